"""Refuse a second comment within the post's slow-mode interval."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.discussion.models import Comment

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    interval = submission.thread.slow_mode_seconds
    if not interval or submission.editing is not None:
        return None
    last = (
        Comment.objects.filter(thread=submission.thread, author=submission.author)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return None
    wait = last + timedelta(seconds=interval) - timezone.now()
    if wait <= timedelta(0):
        return None
    seconds = max(1, int(wait.total_seconds()))
    return Verdict(
        outcome=Outcome.REFUSED,
        reason="slow_mode",
        retry_after=seconds,
        detail=_(
            "This discussion is in slow mode: one comment every %(n)d seconds. "
            "You can post again in %(s)d seconds."
        )
        % {"n": interval, "s": seconds},
    )
