"""Refuse the same text from the same reader within SOUNDOFF_REPEAT_WINDOW."""

from django.utils.translation import gettext as _

from ..verdicts import Outcome, Submission, Verdict


def _same(text: str) -> str:
    return " ".join(text.casefold().split())


def check(submission: Submission) -> Verdict | None:
    editing = submission.editing.pk if submission.editing is not None else None
    wanted = _same(submission.body)
    if any(_same(body) == wanted for pk, body in submission.recent_comments.rows if pk != editing):
        return Verdict(
            outcome=Outcome.REFUSED,
            reason="repeat",
            detail=_(
                "You already posted this comment. Say something new, or edit the one you posted."
            ),
        )
    return None
