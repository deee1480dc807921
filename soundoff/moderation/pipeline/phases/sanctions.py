"""Refuse readers who are suspended or banned, saying until when and why."""

from django.utils.translation import gettext as _

from soundoff.lib.dateline import date_line, time_line

from ...models import Sanction, SanctionKind
from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    sanction = (
        Sanction.objects.in_force()
        .filter(user=submission.author)
        .select_related("rule")
        .order_by("ends_at")
        .last()
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
        detail = _("Your account is banned from commenting%(because)s.") % {"because": because}
    else:
        detail = _(
            "Your account is suspended from commenting%(because)s until %(date)s, %(time)s."
        ) % {
            "because": because,
            "date": date_line(sanction.ends_at),
            "time": time_line(sanction.ends_at),
        }
    return Verdict(outcome=Outcome.REFUSED, reason="sanctioned", detail=detail)
