"""Sites allowed to embed the discussion."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AllowedOrigin(models.Model):
    """An origin (scheme://host[:port]) whose pages may embed discussions
    and create threads; SOUNDOFF_EMBED_ORIGINS lists more by environment."""

    origin = models.CharField(
        _("origin"),
        max_length=300,
        unique=True,
        help_text=_("For example https://www.example.org"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allowed origin")

    def __str__(self) -> str:
        return self.origin
