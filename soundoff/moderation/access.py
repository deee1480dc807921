"""Who may open the moderator pages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse

from soundoff.discussion.models import MODERATE


def moderator_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors who are not logged in are sent to log in; logged-in readers
    without the permission get a 403 (raise_exception alone would answer
    403 to visitors too, with no way to log in)."""
    return login_required(permission_required(MODERATE, raise_exception=True)(view))
