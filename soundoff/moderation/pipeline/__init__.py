"""The checks every new or edited comment passes before it is written.

``PHASES`` is the one ordered list. Each phase is a small function of the
submission that returns a Verdict or None. The first phase that decides an
outcome wins; a refusal stops the run at once (so a refused comment is not
counted against the reader's rate limit), while a hold lets later phases
add their flags. No outcome at all means the comment is visible at once:
comments are not pre-screened.

Every way a comment comes to be withheld (status HELD, ``held_reason``
saying why, in the moderators' "withheld" queue, with an audit row):

Held on posting, by a phase below (ActionKind.HELD, written with the
comment by discussion.services.post_comment):
  - suspect_words: a suspect word where the post pre-moderates them
    ("suspect_word"; elsewhere the word only flags);
  - links: more than SOUNDOFF_MAX_LINKS links, or any link where the post
    pre-moderates suspect comments ("links");
  - scores: a scorer run inline (moderation.scoring_plan) over its
    threshold ("score_<kind>");
  - new_commenter: one of a new account's first SOUNDOFF_PREMODERATE_FIRST
    comments ("new_commenter");
  - premoderated_reader: a reader a moderator put on pre-moderation
    ("premoderated_reader");
  - discussion_mode: a pre-moderated discussion ("premoderated").
  The same phases judge an edit: a visible comment whose new text they
  would hold is held (discussion.services.edit_comment).

Withheld after posting, by the system through
moderation.decisions.withhold_comment (ActionKind.WITHHELD, citing the rule):
  - a background scorer over its threshold, in the task worker after the
    commit (moderation.tasks.score_comment; "score_<kind>");
  - SOUNDOFF_FLAG_THRESHOLD open reports by readers
    (moderation.decisions.flag_comment; "flags"); the pipeline's own flags
    never count towards it.

Imported held: a comment the old site was holding stays held
(importers.services, held_reason "import").
"""

from collections.abc import Callable

from .phases import (
    banned_words,
    closed,
    discussion_mode,
    length,
    links,
    new_commenter,
    premoderated_reader,
    rate_limit,
    repeat,
    sanctions,
    scores,
    slow_mode,
    suspect_words,
)
from .verdicts import Evaluation, Outcome, Submission, Verdict

Phase = Callable[[Submission], Verdict | None]

PHASES: list[Phase] = [
    # Refusals first, cheapest first: the reader is told at once and
    # nothing is written.
    length.check,  # empty, too long, or text the database cannot store
    closed.check,  # closed, not yet published, or past its closing time
    sanctions.check,  # the author is suspended or banned
    repeat.check,  # the same text again within the repeat window
    banned_words.check,  # refused, citing the rule
    # Limiters after the other refusals, so refused text is not counted.
    slow_mode.check,  # the post's one-comment-per-N-seconds
    rate_limit.check,  # burst and sustained, per reader and per IP
    # Holds and flags: the comment is written, visible or held for review.
    suspect_words.check,  # flagged; held where the post pre-moderates them
    links.check,  # held above SOUNDOFF_MAX_LINKS, or any where the post says
    scores.check,  # the cheap on-device scores (spam); the rest after the commit
    new_commenter.check,  # the first N comments of a new account
    premoderated_reader.check,  # a reader a moderator put on pre-moderation
    discussion_mode.check,  # a pre-moderated discussion holds everything
]


def evaluate(submission: Submission, phases: list[Phase] | None = None) -> Evaluation:
    decided: Verdict | None = None
    flags: list[str] = []
    for phase in PHASES if phases is None else phases:
        verdict = phase(submission)
        if verdict is None:
            continue
        flags.extend(flag for flag in verdict.flags if flag not in flags)
        if verdict.outcome is Outcome.REFUSED:
            return Evaluation(
                outcome=Outcome.REFUSED,
                reason=verdict.reason,
                detail=verdict.detail,
                retry_after=verdict.retry_after,
                flags=tuple(flags),
            )
        if decided is None and verdict.outcome is not None:
            decided = verdict
    if decided is None:
        return Evaluation(outcome=Outcome.VISIBLE, flags=tuple(flags))
    return Evaluation(
        outcome=decided.outcome or Outcome.VISIBLE,
        reason=decided.reason,
        detail=decided.detail,
        flags=tuple(flags),
    )


__all__ = ["PHASES", "Evaluation", "Outcome", "Submission", "Verdict", "evaluate"]
