"""Whether a comment speaks to someone: what separates an insult from a curse.

"Holy shit, the water bill went up 38 percent?" and "shut your damn mouth"
both score high on profanity; only the second is aimed at a person. Readers
address each other in the second person, so a comment with no "you" in any
spelling is read as talking about things (or about third persons, which the
toxicity network's insult, threat and identity-hate labels judge on their
own). bench/scoring/RESULTS.md shows what this does to the curves.
"""

from __future__ import annotations

import re

_SECOND_PERSON = re.compile(
    r"\b(?:you|your|you're|youre|you've|you'll|you'd|yours|yourself|yourselves|ya|yer|ur|thou)\b"
)


def addresses_someone(text: str) -> bool:
    return _SECOND_PERSON.search(text.casefold().replace("\u2019", "'")) is not None
