"""Sanctions on readers: suspend, ban, lift; each audited, and the reader
told by e-mail.

Only moderators (or the system) sanction, and never staff or moderators:
an operator removes their access in the admin instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.accounts.models import ConductRule, User
from soundoff.discussion.models import MODERATE

from . import notices
from .access import require_moderator
from .audit import record
from .errors import InvalidDecision
from .models import ActionKind, Sanction, SanctionKind
from .queries import restricted_readers


def suspend_user(
    user: User,
    *,
    by: User | None,
    duration: timedelta,
    rule: ConductRule | None = None,
    note: str = "",
) -> Sanction:
    if duration <= timedelta(0):
        raise InvalidDecision(_("A suspension needs a duration."))
    return _sanction(
        user,
        by=by,
        kind=SanctionKind.SUSPENSION,
        rule=rule,
        note=note,
        ends_at=timezone.now() + duration,
    )


def ban_user(
    user: User, *, by: User | None, rule: ConductRule | None = None, note: str = ""
) -> Sanction:
    return _sanction(user, by=by, kind=SanctionKind.BAN, rule=rule, note=note, ends_at=None)


def lift_sanctions(
    user: User, *, by: User | None, note: str = "", only: Sanction | None = None
) -> int:
    """Lift the sanctions in force on ``user``, or ``only`` that one (an
    appeal against it was granted)."""
    require_moderator(by)
    with transaction.atomic():
        in_force = Sanction.objects.in_force().filter(user=user)
        if only is not None:
            in_force = in_force.filter(pk=only.pk)
        lifted = in_force.update(lifted_at=timezone.now())
        if lifted:
            restricted_readers.bump()  # an update sends no post_save
            record(ActionKind.SANCTION_LIFTED, by=by, user=user, note=note)
    return lifted


def _sanction(
    user: User,
    *,
    by: User | None,
    kind: SanctionKind,
    rule: ConductRule | None,
    note: str,
    ends_at: datetime | None,
) -> Sanction:
    require_moderator(by)
    if by is not None and user.pk == by.pk:
        raise InvalidDecision(_("You can't sanction yourself."))
    if user.has_perm(MODERATE) or user.is_staff:
        raise InvalidDecision(
            _(
                "Staff and moderators can't be sanctioned here; an operator "
                "can remove their access in the admin."
            )
        )
    sanction = Sanction(user=user, kind=kind, ends_at=ends_at, rule=rule, note=note, created_by=by)
    action = ActionKind.BANNED if kind == SanctionKind.BAN else ActionKind.SUSPENDED
    until = ends_at.isoformat() if ends_at else ""
    with transaction.atomic():
        # The log row first: the sanction points at the decision that imposed
        # it, which is what the reader appeals against.
        sanction.decision = record(
            action, by=by, user=user, rule=rule, note=note, reason_code=until
        )
        sanction.save()
        notices.after_commit(notices.tell_of_sanction, sanction_id=sanction.pk)
    return sanction
