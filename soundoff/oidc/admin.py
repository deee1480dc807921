from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ProviderIdentity


@admin.register(ProviderIdentity)
class ProviderIdentityAdmin(admin.ModelAdmin):
    """Which account at the provider signs in as which reader.

    Only a sign-in makes one. The operator can delete one to unlink it: the
    reader keeps their account, and that provider account links again only
    through an address the provider has verified.
    """

    list_display = ["user", "issuer", "subject", "linked_at", "last_sign_in_at"]
    list_select_related = ["user"]
    search_fields = ["user__display_name", "subject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
