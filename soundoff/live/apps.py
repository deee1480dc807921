from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "soundoff.live"
    label = "live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from soundoff.discussion.signals import comment_changed
        from soundoff.moderation.signals import comment_reported

        from . import checks, desk, receivers

        comment_changed.connect(receivers.publish_change, dispatch_uid="soundoff.live.publish")
        # The moderation desk hears of every change and every report.
        comment_changed.connect(desk.publish_desk_change, dispatch_uid="soundoff.live.desk")
        comment_reported.connect(desk.publish_desk_change, dispatch_uid="soundoff.live.desk")
        checks.register()
