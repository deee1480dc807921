from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "soundoff.importers"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from soundoff.accounts.signals import unclaimed_address_registered

        from .receivers import offer_claim

        unclaimed_address_registered.connect(
            offer_claim, dispatch_uid="soundoff.importers.offer_claim"
        )
