from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "soundoff.accounts"
    verbose_name = _("Readers and policies")

    def ready(self) -> None:
        # The checks of every setting (soundoff/checks.py) are site-wide;
        # the first app in INSTALLED_APPS registers them.
        from django.contrib.auth.signals import user_logged_in

        from soundoff import checks

        from .language import remember_language

        checks.register()
        user_logged_in.connect(remember_language, dispatch_uid="soundoff.remember_language")
