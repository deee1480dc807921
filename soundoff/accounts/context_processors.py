from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from .confirmation import must_confirm_email


def site(request: HttpRequest) -> dict[str, str | Callable[[], bool]]:
    return {
        "site_name": settings.SOUNDOFF_SITE_NAME,
        # A callable, so that templates that never ask don't read the session
        # (anonymous pages must not vary on the cookie).
        "must_confirm_email": lambda: must_confirm_email(request.user),
    }
