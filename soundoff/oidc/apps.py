from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcConfig(AppConfig):
    name = "soundoff.oidc"
    label = "oidc"
    verbose_name = _("Sign-in with the newsroom's accounts")

    def ready(self) -> None:
        from . import checks

        checks.register()
