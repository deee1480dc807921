from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "soundoff.notifications"
    verbose_name = _("Reply e-mails")

    def ready(self) -> None:
        from soundoff.discussion.signals import comment_changed

        from . import receivers

        comment_changed.connect(
            receivers.note_reply, dispatch_uid="soundoff.notifications.note_reply"
        )
