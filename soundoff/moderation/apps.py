from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "soundoff.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from . import receivers
        from .models import PremoderatedReader, Sanction, WordList

        for signal in (post_save, post_delete):
            signal.connect(
                receivers.word_lists_changed,
                sender=WordList,
                dispatch_uid="soundoff.moderation.word_lists_changed",
            )
            for model in (Sanction, PremoderatedReader):
                signal.connect(
                    receivers.restricted_readers_changed,
                    sender=model,
                    dispatch_uid=f"soundoff.moderation.restricted_readers_changed.{model.__name__}",
                )
