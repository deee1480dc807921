"""Refuse the same text from the same reader within SOUNDOFF_REPEAT_WINDOW."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.discussion.models import Comment

from ..verdicts import Outcome, Submission, Verdict


def _same(text: str) -> str:
    return " ".join(text.casefold().split())


def check(submission: Submission) -> Verdict | None:
    since = timezone.now() - timedelta(seconds=settings.SOUNDOFF_REPEAT_WINDOW)
    recent = Comment.objects.filter(author=submission.author, created_at__gte=since)
    if submission.editing is not None:
        recent = recent.exclude(pk=submission.editing.pk)
    wanted = _same(submission.body)
    # The reader's own recent comments: few, because of the rate limits.
    newest = recent.order_by("-created_at").values_list("body", flat=True)[:200]
    if any(_same(body) == wanted for body in newest):
        return Verdict(
            outcome=Outcome.REFUSED,
            reason="repeat",
            detail=_(
                "You already posted this comment. Say something new, or edit the one you posted."
            ),
        )
    return None
