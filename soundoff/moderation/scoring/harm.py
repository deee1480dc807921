"""Threats, doxxing and identity hate in plain words: on-device patterns of our own.

The toxicity network and alt-profanity-check weigh words, so a threat or an
attack on a group written without a rude word passes them ("Somebody should
shoot the mayor... I'd do it myself" scores 0.11 and 0.15). These checks read
the shape of the sentence instead:

- **threat**: violence aimed at a person or group, said as intent ("I'll…",
  "I'm going to…"), as a call ("someone should…"), as a wish ("…deserves to
  be shot", "I hope someone…"), or veiled ("I know where you live", "would be
  a shame if something happened");
- **doxxing**: a street address, phone number or e-mail address together
  with a person: their name, "lives at", "his cell", "her home address";
  the same details of an office, a department or an event do not count;
- **identity hate**: a protected group said to be vermin, a disease,
  criminals or less than human, or told to leave, with or without slurs
  (slurs are the banned-word list's job).

News talk about threats ("police say the suspect threatened to shoot…") is
marked down: a sentence that reports what someone else said or did (police,
prosecutors, "allegedly", "was charged with") and has no "I", "we" or "you"
is not the commenter's own threat. bench/scoring/RESULTS.md measures all of
this on a labelled set (ours: nothing outside was found) and how often news
talk is flagged.

Each check answers 0.9 for a plain form, 0.7 for a veiled one, 0.4 for a
name beside contact details with nothing else said, and 0 for none;
reported speech multiplies by 0.3. Every pattern runs in time linear in
the text: the gaps they allow are bounded (six words at most), and they run
one sentence (or two, for doxxing) at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from .base import Score, distribution_version

MODEL_NAME = "soundoff-harm-patterns"
PLAIN, VEILED, NONE = 0.9, 0.7, 0.0
# A name next to contact details, with nothing private or hostile said:
# shown to moderators, below the default threshold. Real mail is full of
# "Name <address>" lines, and so are comments that credit a source.
NAMED = 0.4
REPORTED = 0.3  # news talk: someone else's threat, reported

HarmKind = Literal["threat", "doxxing", "identity_hate"]


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# People by role: who a threat is aimed at.
_PERSON = _words(
    "mayor",
    "governor",
    "judge",
    "cops?",
    "officers?",
    "police",
    "chief",
    "sheriff",
    "reporters?",
    "editors?",
    "journalists?",
    "columnists?",
    "writers?",
    "council(?:man|woman|member|lor)?s?",
    "commission(?:er)?s?",
    "board",
    "senators?",
    "president",
    "executive",
    "teachers?",
    "clerks?",
    "family",
    "wife",
    "husband",
    "kids",
    "children",
    "guys?",
    "man",
    "woman",
    "people",
    "utility",
    "office",
    "house",
    "home",
)
_DETERMINER = r"(?:the|that|this|your|his|her|their|our|every|whole)"
# Who can be threatened: pronouns, and people by role.
_TARGET = _words(
    r"you\b",
    r"him\b",
    r"her\b",
    r"them\b",
    r"y'all\b",
    _DETERMINER + r"(?: [\w']+){0,3}? " + _PERSON + r"\b",
)
# Who can be wished harm: the same, as the subject of a sentence.
_SUBJECT = _words(
    r"\b(?:you|he|she|they|y'all)\b",
    r"\b" + _PERSON + r"\b(?: [\w']+){0,2}?",
)
_HARM = _words(
    r"kill",
    r"murder",
    r"shoot(?: up)?",
    r"stab",
    r"hang",
    r"lynch",
    r"string up",
    r"burn",
    r"torch",
    r"beat(?: the hell out of| the crap out of)?",
    r"hurt",
    r"strangle",
    r"choke",
    r"bomb",
    r"blow up",
    r"put a bullet in",
)
# Harm that names its victim itself: "break your legs", "run him over".
_HARM_DONE_TO = _words(
    r"runs? (?:you|him|her|them) over",
    r"pull the trigger",
    r"break (?:your|his|her|their) (?:legs|neck|face|arms)",
    r"slit (?:your|his|her|their) throat",
)
_HARMED = _words(
    "shot",
    "killed",
    "hanged",
    "hung",
    "lynched",
    "beaten",
    "stabbed",
    "murdered",
    "executed",
    "burned",
    "strung up",
    "die",
    "dead",
    "put down",
)
_THREATS: tuple[tuple[re.Pattern[str], float], ...] = (
    # Intent: "I'll shoot him", "I'm gonna stab you", "I'd gladly pull the trigger".
    (
        re.compile(
            r"\b(?:i|we)(?:'ll| will| am going to|'m going to|'m gonna| am gonna| are going to"
            r"|'re going to|'re gonna|'d| would| shall)(?: [\w']+){0,6}? "
            + _words(
                _HARM_DONE_TO,
                _HARM
                + r"\b(?! (?:for|to)\b)(?:(?: [\w']+){0,2}? "
                + _TARGET
                + r"|(?: [\w']+)? myself)",
            )
        ),
        PLAIN,
    ),
    # A call to others: "somebody should shoot the mayor", "let's burn it down".
    (
        re.compile(
            r"\b(?:some(?:one|body)|any(?:one|body)|we|you(?: all)?|people|y'all|they)"
            r" (?:should|needs? to|ought to|has to|have to|must|gotta|oughta)(?: [\w']+){0,2}? "
            + _words(_HARM_DONE_TO, _HARM + r"(?: [\w']+){0,2}? " + _TARGET)
        ),
        PLAIN,
    ),
    (re.compile(r"\blet'?s(?: [\w']+){0,5}? " + _HARM + r"\b(?! (?:for|to)\b)"), PLAIN),
    # A wish: "deserves to be hanged", "needs to be beaten", "I hope someone runs you over".
    (
        re.compile(
            _SUBJECT
            + r" (?:deserves?|needs?|ought|should) (?:to )?(?:be |get )?"
            + r"(?:[\w']+ ){0,5}?"
            + _HARMED
            + r"\b(?! down\b)"
        ),
        PLAIN,
    ),
    (
        re.compile(
            r"\bhope (?:some(?:one|body)|he|she|you|they|somebody)(?: [\w']+){0,2}? "
            r"(?:dies|die|gets? (?:shot|killed|hurt)|" + _HARM + "|" + _HARM_DONE_TO + ")"
        ),
        PLAIN,
    ),
    (re.compile(r"\bi'?d do it myself\b"), PLAIN),
    (re.compile(r"\b(?:end|wind) up (?:in a body bag|dead|in a ditch|in the hospital)"), PLAIN),
    # Veiled.
    (re.compile(r"\b(?:i|we) know where (?:you|your|his|her|they)\b"), VEILED),
    (re.compile(r"\bwatch your back\b"), VEILED),
    (re.compile(r"\bshame if (?:something|anything) (?:happened|were to happen|happens)"), VEILED),
    (re.compile(r"\baccidents happen\b"), VEILED),
    (re.compile(r"\b(?:see what happens to (?:you|your)|you'll see what happens)\b"), VEILED),
    (re.compile(r"\benjoy it while you can\b"), VEILED),
    (re.compile(r"\bsleep with one eye open\b"), VEILED),
    (
        re.compile(
            r"\b(?:people|folks|guys) like you (?:tend to |usually |often )?"
            r"(?:disappear|get hurt|go missing)"
        ),
        VEILED,
    ),
    (re.compile(r"\byou won't be \w+ing (?:for long|much longer)"), VEILED),
    (
        re.compile(
            r"\byour (?:kids|children|son|daughter|wife|husband) "
            r"(?:go|goes|walk|walks|play|plays|get|gets)\b"
        ),
        VEILED,
    ),
    (re.compile(r"\btell your (?:wife|husband|kids|mother|mom) i said hi\b"), VEILED),
    (
        re.compile(
            r"\b(?:you|your (?:family|kids|children|wife|husband|son|daughter))"
            r"(?: [\w']+){0,3}? (?:isn't|is not|aren't|are not|won't be|will not be) safe\b"
        ),
        VEILED,
    ),
    (re.compile(r"\byou'?d better (?:hope|pray|watch)\b"), VEILED),
    (re.compile(r"\b(?:find|get|hunt down) you and\b"), VEILED),
    (re.compile(r"\bconsider (?:yourself|yourselves) warned\b"), VEILED),
    (
        re.compile(r"\b(?:show|showing|come|coming) (?:up )?(?:[\w']+ ){0,4}?armed\b(?! with\b)"),
        PLAIN,
    ),
    (re.compile(r"\beating through a straw\b"), VEILED),
    (re.compile(r"\bbe careful (?:walking|driving|going)"), VEILED),
)

_STREET = re.compile(
    r"\b\d{1,5} (?:[a-z]+ ){1,3}"
    r"(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|court|ct|boulevard|blvd|way|place|pl"
    r"|terrace|circle|cir|highway|hwy|parkway|pkwy|trail)\b"
)
_PHONE = re.compile(r"(?<!\d)(?:\(\d{3}\) ?|\d{3}[ .-])?\d{3}[ .-]\d{4}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PRIVATE = re.compile(
    r"\b(?:lives? at|living at|home address|home number|home phone"
    r"|personal (?:email|e-mail|cell|phone|number)|address of (?:the|that|this) \w+"
    r"|found (?:the|that|this) (?:guy|man|woman|person|commenter|poster)|who wrote this"
    r"|(?:his|her|their)(?: [\w']+)? (?:address|cell|phone|number|email|e-mail)"
    r"|(?:'s|is) (?:cell|phone|address|email|e-mail|number) is|is actually|is really)\b"
)
_CALL_TO_ACTION = re.compile(
    r"\b(?:pay (?:him|her|them) a visit|visit (?:him|her|them)|drop by|call (?:him|her|them)"
    r"|tell (?:him|her|them)|let (?:him|her|them) (?:know|have it)|flood (?:it|him|her)"
    r"|everyone call|go tell)\b"
)
_PUBLIC = re.compile(
    r"\b(?:office|offices|department|hotline|city hall|county|center|centre|shelter|food bank"
    r"|meeting|rally|library|school|church|mosque|clinic|open|hours|volunteers?|letters)\b"
    r"|\.gov\b"
)
# A person's name: two capitalised words, read on the text as typed.
_NAME = re.compile(r"\b[A-Z][a-z]+(?:'s)? [A-Z][a-z]+(?:'s)?\b")

_GROUP = _words(
    r"immigrants",
    r"migrants",
    r"refugees",
    r"muslims",
    r"jews",
    r"christians",
    r"blacks",
    r"whites",
    r"gays",
    r"lesbians",
    r"homosexuals",
    r"mexicans",
    r"asians",
    r"chinese",
    r"africans",
    r"arabs",
    r"somalis",
    r"hispanics",
    r"latinos",
    r"indians",
    r"women",
    r"(?:black|white|gay|trans|transgender|jewish|muslim|asian|disabled|brown)"
    r" (?:people|folks|men|women)",
    r"(?:those|these) people(?: from \w+)?",
)
_DEGRADED = _words(
    r"vermin",
    r"animals",
    r"parasites",
    r"rats",
    r"cockroaches",
    r"roaches",
    r"savages",
    r"sub-?human",
    r"a disease",
    r"a plague",
    r"a cancer",
    r"an infestation",
    r"filth",
    r"scum",
    r"criminals",
    r"rapists",
    r"terrorists",
    r"perverts",
    r"freaks",
    r"an abomination",
    r"abominations",
    r"mentally ill",
    r"inferior",
    r"too stupid",
    r"stupid",
    r"greedy",
    r"dirty",
    r"a danger",
    r"a threat",
    r"invaders",
    r"disgusting",
    r"evil",
    r"not human",
)
_HATE: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"\b" + _GROUP + r" (?:are|is)(?: all| just| nothing but| really| simply)?"
        r"(?: [\w']+){0,2}? " + _DEGRADED + r"\b"
    ),
    re.compile(
        r"\b" + _GROUP + r"(?: [\w']+){0,6}? (?:should|must|need to|ought to) (?:all )?(?:be )?"
        r"(?:deported|thrown out|kicked out|removed|exterminated|wiped out|gassed|banned|locked up"
        r"|sent back|go back|kept away|eliminated|gotten rid of)\b"
    ),
    re.compile(r"\b" + _GROUP + r"(?: [\w']+){0,2}? (?:don't|do not|doesn't) belong\b"),
    re.compile(r"\b" + _GROUP + r" control (?:the|our) (?:banks|media|government|world)"),
    re.compile(
        r"\b" + _GROUP + r"(?: [\w']+){0,4}? (?:breed like|spreading disease|should go back)"
    ),
    re.compile(r"\bgo back where (?:they|you) came from\b"),
)

_REPORTED = re.compile(
    r"\b(?:police|prosecutors?|officials?|authorities|investigators"
    r"|the (?:suspect|defendant|accused)"
    r"|allegedly|alleged|according to|charged with|arrested|indictment|affidavit|jury|testified"
    r"|court records|said in a statement|threatened to|threatening to|threats? (?:to|against)"
    r"|death threats|hate crimes?|the report|the study|statute|was accused)\b"
)
_SPEAKER = re.compile(r"\b(?:i|i'm|i'll|i'd|we|we're|we'll|you|you're|your|let's)\b")
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCES.split(text) if s.strip()]


def _discount(sentence: str, value: float) -> float:
    """News talk: reported by someone else, and the commenter is not in it."""
    if value and _REPORTED.search(sentence) and not _SPEAKER.search(sentence):
        return value * REPORTED
    return value


def threat(text: str) -> float:
    best = NONE
    for sentence in map(_normal, _sentences(text)):
        for pattern, value in _THREATS:
            if value > best and pattern.search(sentence):
                best = max(best, _discount(sentence, value))
    return best


def _with_neighbours(sentences: list[str]) -> list[str]:
    """Each sentence with the one before it: "That's Kevin Moss. His cell is …"."""
    return [" ".join(sentences[max(0, i - 1) : i + 1]) for i in range(len(sentences))]


def doxxing(text: str) -> float:
    best = NONE
    for original in _with_neighbours(_sentences(text)):
        sentence = _normal(original)
        if not (_STREET.search(sentence) or _PHONE.search(sentence) or _EMAIL.search(sentence)):
            continue
        named = _NAME.search(_EMAIL.sub(" ", original))
        if _PRIVATE.search(sentence):
            value = PLAIN  # "lives at", "his cell": a private person's details
        elif _PUBLIC.search(sentence) or not named:
            continue  # an office, an event, a department; or nobody in particular
        elif _CALL_TO_ACTION.search(sentence):
            value = PLAIN  # "Jane Porter, 12 Elm St. Pay her a visit."
        else:
            value = NAMED
        best = max(best, _discount(sentence, value))
    return best


def identity_hate(text: str) -> float:
    best = NONE
    for sentence in map(_normal, _sentences(text)):
        if any(pattern.search(sentence) for pattern in _HATE):
            best = max(best, _discount(sentence, PLAIN))
    return best


CHECKS = {"threat": threat, "doxxing": doxxing, "identity_hate": identity_hate}


class HarmScorer:
    """One of the three checks, as a scorer: ``kind`` names which."""

    name = MODEL_NAME

    def __init__(self, kind: HarmKind) -> None:
        self.kind: HarmKind = kind

    @property
    def version(self) -> str:
        return distribution_version("soundoff")

    def score(self, text: str) -> Score:
        return Score(
            kind=self.kind, value=CHECKS[self.kind](text), model=self.name, version=self.version
        )


def harm_scorers() -> Iterable[HarmScorer]:
    return (HarmScorer("threat"), HarmScorer("doxxing"), HarmScorer("identity_hate"))
