"""The checks every new or edited comment passes before it is written.

``PHASES`` is the one ordered list. Each phase is a small function of the
submission that returns a Verdict or None. The first phase that decides an
outcome wins; a refusal stops the run at once (so a refused comment is not
counted against the reader's rate limit), while a hold lets later phases
add their flags. No outcome at all means the comment is visible at once:
comments are not pre-screened.
"""

from collections.abc import Callable

from .phases import closed, length, rate_limit
from .verdicts import Evaluation, Outcome, Submission, Verdict

Phase = Callable[[Submission], Verdict | None]

PHASES: list[Phase] = [
    # Cheap, pure checks of the text first.
    length.check,
    # The discussion must be open and its post published.
    closed.check,
    # Last, so that only submissions that would otherwise be accepted count.
    rate_limit.check,
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
