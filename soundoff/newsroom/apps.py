from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "soundoff.newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from .templatetags.fixed import forget_fixed_parts

        setting_changed.connect(forget_fixed_parts, dispatch_uid="soundoff.newsroom.fixed")
