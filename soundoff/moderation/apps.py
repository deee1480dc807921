from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "soundoff.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from . import receivers
        from .models import WordList

        for signal in (post_save, post_delete):
            signal.connect(
                receivers.word_lists_changed,
                sender=WordList,
                dispatch_uid="soundoff.moderation.word_lists_changed",
            )
