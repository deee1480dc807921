"""Hold the first SOUNDOFF_PREMODERATE_FIRST comments of a new account."""

from django.conf import settings

from soundoff.discussion.models import Comment, CommentStatus

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    first = settings.SOUNDOFF_PREMODERATE_FIRST
    if not first or submission.editing is not None:
        return None
    # Reviewed and still shown: a moderator approved (or restored) it. A
    # removed comment was reviewed too, and must not end pre-moderation.
    approved = Comment.objects.filter(
        author=submission.author, status=CommentStatus.VISIBLE, reviewed_at__isnull=False
    )
    if approved.exists() or Comment.objects.filter(author=submission.author).count() >= first:
        return None
    return Verdict(outcome=Outcome.HELD, reason="new_commenter", flags=("new_commenter",))
