from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "soundoff.accounts"
    verbose_name = _("Readers and policies")

    def ready(self) -> None:
        # The checks of every setting (soundoff/checks.py) are site-wide;
        # the first app in INSTALLED_APPS registers them.
        from django.contrib.auth.signals import user_logged_in

        from soundoff import checks

        from . import receivers
        from .language import remember_language
        from .models import ConductRule, PolicyVersion

        checks.register()
        for model in (PolicyVersion, ConductRule):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.policies_changed,
                    sender=model,
                    dispatch_uid=f"soundoff.accounts.policies_changed.{model.__name__}",
                )
        user_logged_in.connect(remember_language, dispatch_uid="soundoff.remember_language")
