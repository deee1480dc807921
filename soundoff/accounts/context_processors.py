from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from .confirmation import must_confirm_email


def site(request: HttpRequest) -> dict[str, str | int | Callable[[], bool]]:
    return {
        "site_name": settings.SOUNDOFF_SITE_NAME,
        # Where pages open live streams: a port of the page's own host, or
        # (0) its own origin. The same for every host, so cached pages hold it.
        "live_port": settings.SOUNDOFF_LIVE_PUBLIC_PORT,
        # A callable, so that templates that never ask don't read the session
        # (anonymous pages must not vary on the cookie).
        "must_confirm_email": lambda: must_confirm_email(request.user),
    }
