"""Which reader an account at the newsroom's OpenID Connect provider is."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProviderIdentity(models.Model):
    """A reader's account at the provider, named as OpenID Connect names it.

    The pair (issuer, subject) is the provider's stable identifier for the
    account: unlike the e-mail address, it survives a change of address at
    the provider, so a later sign-in still finds the same reader.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_identities"
    )
    issuer = models.CharField(_("provider"), max_length=255)
    subject = models.CharField(_("account at the provider"), max_length=255)
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), default=timezone.now)

    class Meta:
        verbose_name = _("provider identity")
        verbose_name_plural = _("provider identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="oidc_identity_unique_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
