"""Refuse comments containing a banned word, citing the rule."""

from django.utils.translation import gettext as _

from soundoff.accounts.queries import current_rules

from ...wordlists import first_listed
from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    found = first_listed(submission.word_lists, "banned", submission.readings)
    if found is None:
        return None
    text, match = found
    word = text[match.start : match.end]
    banned = submission.word_lists["banned"]
    rule = next((r for r in current_rules() if r.number == banned.rule_number), None)
    if rule is not None:
        detail = _(
            "Your comment contains “%(word)s”, which breaks Rule %(n)d (%(title)s). "
            "Rephrase it and post again."
        ) % {
            "word": word,
            "n": rule.number,
            "title": rule.title,
        }
    else:
        detail = _(
            "Your comment contains “%(word)s”, which this site does not allow. "
            "Rephrase it and post again."
        ) % {"word": word}
    return Verdict(outcome=Outcome.REFUSED, reason="banned_word", detail=detail)
