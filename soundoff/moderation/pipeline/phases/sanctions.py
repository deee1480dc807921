"""Refuse readers who are suspended or banned, saying until when and why."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ...queries import sanction_notice
from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    # A new comment's write checks under its lock that no sanction is in
    # force (discussion.write_checks), so the readers known to be
    # sanctioned are enough here; an edit, which no such check follows,
    # reads the database.
    if submission.editing is None and submission.author.pk not in submission.restricted.sanctioned:
        return None
    detail = sanction_notice(submission.author)
    if detail is None:
        return None
    # Every interface shows this detail (the page, the API's error, the
    # widget), so the way to appeal is in it, as an address that works
    # from another site's page too.
    appeal = _("To appeal, go to %(url)s") % {
        "url": settings.SOUNDOFF_SITE_URL + reverse("appeals:mine")
    }
    return Verdict(outcome=Outcome.REFUSED, reason="sanctioned", detail=f"{detail} {appeal}")
