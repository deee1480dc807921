"""Refuse readers who are suspended or banned, saying until when and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from soundoff.lib.dateline import date_line, time_line

from ...models import Sanction, SanctionKind
from ..verdicts import Outcome, Submission, Verdict

if TYPE_CHECKING:
    from soundoff.accounts.models import User


def notice(user: User) -> str | None:
    """Why and until when ``user`` may not write, or None when they may.

    Shared with the other write paths (flags), so a sanctioned reader is
    told the same thing wherever they try.
    """
    # The sanction that lasts longest: a ban (no end) first, on every
    # database (SQLite sorts NULL first, PostgreSQL last, unless told).
    sanction = (
        Sanction.objects.in_force()
        .filter(user=user)
        .select_related("rule")
        .order_by(F("ends_at").desc(nulls_first=True))
        .first()
    )
    if sanction is None:
        return None
    because = (
        _(" under Rule %(n)d (%(title)s)")
        % {"n": sanction.rule.number, "title": sanction.rule.title}
        if sanction.rule
        else ""
    )
    if sanction.kind == SanctionKind.BAN or sanction.ends_at is None:
        return _("Your account is banned from commenting%(because)s.") % {"because": because}
    return _("Your account is suspended from commenting%(because)s until %(date)s, %(time)s.") % {
        "because": because,
        "date": date_line(sanction.ends_at),
        "time": time_line(sanction.ends_at),
    }


def check(submission: Submission) -> Verdict | None:
    detail = notice(submission.author)
    if detail is None:
        return None
    # Every interface shows this detail (the page, the API's error, the
    # widget), so the way to appeal is in it, as an address that works
    # from another site's page too.
    appeal = _("To appeal, go to %(url)s") % {
        "url": settings.SOUNDOFF_SITE_URL + reverse("appeals:mine")
    }
    return Verdict(outcome=Outcome.REFUSED, reason="sanctioned", detail=f"{detail} {appeal}")
