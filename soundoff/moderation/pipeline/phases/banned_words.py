"""Refuse comments containing a banned word, citing the rule."""

from django.utils.translation import gettext as _

from soundoff.accounts.queries import current_rules

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    banned = submission.word_lists["banned"]
    match = banned.matcher.first(submission.body)
    if match is None:
        return None
    rule = next((r for r in current_rules() if r.number == banned.rule_number), None)
    if rule is not None:
        detail = _(
            "Your comment contains “%(word)s”, which breaks Rule %(n)d (%(title)s). "
            "Rephrase it and post again."
        ) % {
            "word": submission.body[match.start : match.end],
            "n": rule.number,
            "title": rule.title,
        }
    else:
        detail = _(
            "Your comment contains “%(word)s”, which this site does not allow. "
            "Rephrase it and post again."
        ) % {"word": submission.body[match.start : match.end]}
    return Verdict(outcome=Outcome.REFUSED, reason="banned_word", detail=detail)
