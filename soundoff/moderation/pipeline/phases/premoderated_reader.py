"""Hold every comment of a reader a moderator put on pre-moderation.

Edits are held too: otherwise an approved comment could be rewritten into
what the hold was there to stop.
"""

from ...models import PremoderatedReader
from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    if not PremoderatedReader.objects.filter(reader=submission.author).exists():
        return None
    return Verdict(
        outcome=Outcome.HELD, reason="premoderated_reader", flags=("premoderated_reader",)
    )
