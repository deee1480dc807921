"""Hold the first SOUNDOFF_PREMODERATE_FIRST comments of a new account."""

from django.conf import settings

from soundoff.discussion.models import Comment, CommentStatus

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    first = settings.SOUNDOFF_PREMODERATE_FIRST
    if not first or submission.editing is not None:
        return None
    # Both reads stop at ``first`` comments: a reader with thousands costs
    # what a new one does (the first read ends it for all but new accounts).
    written = Comment.objects.filter(author=submission.author)
    if written[:first].count() >= first:
        return None
    # Reviewed and still shown: a moderator approved (or restored) it. A
    # removed comment was reviewed too, and must not end pre-moderation.
    if written.filter(status=CommentStatus.VISIBLE, reviewed_at__isnull=False).exists():
        return None
    return Verdict(outcome=Outcome.HELD, reason="new_commenter", flags=("new_commenter",))
