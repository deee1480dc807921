"""Who may moderate: the guard on the moderator pages, and the checks every
decision makes of its actor."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soundoff.accounts.models import User
from soundoff.discussion.errors import NotAllowed
from soundoff.discussion.models import MODERATE


def moderator_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors who are not logged in are sent to log in; logged-in readers
    without the permission get a 403 (raise_exception alone would answer
    403 to visitors too, with no way to log in)."""
    return login_required(permission_required(MODERATE, raise_exception=True)(view))


def moderator_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A moderator's decision or note: as ``moderator_only``, and POST only
    (405 otherwise), so that no link or prefetch can make one."""
    return moderator_only(require_POST(view))


def require_moderator(by: User | None) -> None:
    """The system (None) and holders of moderation.moderate may decide."""
    if by is not None and not by.has_perm(MODERATE):
        raise NotAllowed(_("Only moderators can do that."))


def may_set_discussion_policy(user: User) -> bool:
    """Editors (discussion.change_thread) and moderators run discussions."""
    return user.has_perm(MODERATE) or user.has_perm("discussion.change_thread")
