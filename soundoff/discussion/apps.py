from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "soundoff.discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_migrate, post_save

        from soundoff.lib.planner import refresh_statistics_after_migrate

        from . import receivers

        post_save.connect(
            receivers.refresh_threads_of_author,
            sender=get_user_model(),
            dispatch_uid="soundoff.discussion.refresh_threads_of_author",
        )
        # Once per migrate: discussion's tables are the ones whose plans
        # matter most (see soundoff.lib.planner).
        post_migrate.connect(
            refresh_statistics_after_migrate,
            sender=self,
            dispatch_uid="soundoff.discussion.refresh_statistics",
        )
