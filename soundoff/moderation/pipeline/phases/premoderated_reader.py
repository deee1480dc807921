"""Hold every comment of a reader a moderator put on pre-moderation.

Edits are held too: otherwise an approved comment could be rewritten into
what the hold was there to stop. A new comment is judged by the readers
this process keeps (moderation.queries.restricted_readers), and its write
checks again under its lock; an edit reads the database.
"""

from ...models import PremoderatedReader
from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    if submission.editing is None:
        # Checked again under the write lock (discussion.write_checks).
        premoderated = submission.author.pk in submission.restricted.premoderated
    else:
        premoderated = PremoderatedReader.objects.filter(reader=submission.author).exists()
    if not premoderated:
        return None
    return Verdict(
        outcome=Outcome.HELD, reason="premoderated_reader", flags=("premoderated_reader",)
    )
