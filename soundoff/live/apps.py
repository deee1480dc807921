from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "soundoff.live"
    label = "live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from soundoff.discussion.signals import comment_changed

        from . import checks, receivers

        comment_changed.connect(receivers.publish_change, dispatch_uid="soundoff.live.publish")
        checks.register()
