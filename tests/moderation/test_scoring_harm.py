"""Threats, doxxing and identity hate in plain words (scoring/harm.py)."""

import pytest

from soundoff.moderation.scoring import available_scorers
from soundoff.moderation.scoring.harm import HarmScorer, doxxing, identity_hate, threat

THRESHOLD = 0.5  # SOUNDOFF_HARM_THRESHOLD's default

THREATS = [
    "Somebody should shoot the mayor... I'd do it myself.",
    "Somebody should shoot the mayor. I\u2019d do it myself.",
    "I'm going to kill you if you show up at the next meeting.",
    "Keep talking and I will break your legs.",
    "The councilman deserves to be hanged from the courthouse steps.",
    "I hope someone runs you over with a truck.",
    "I know where you live.",
    "Nice house. Would be a shame if something happened to it.",
]
NOT_THREATS = [
    "Police say the suspect threatened to shoot the mayor before he was arrested.",
    "He was charged with making terroristic threats against a school board member.",
    "The man allegedly told officers he would kill his neighbor, according to the affidavit.",
    "This budget kills the library. Shameful.",
    "I could kill for a decent cup of coffee downtown.",
    "We should shoot for a vote before the summer recess.",
    "Somebody should tell the mayor the potholes are still there.",
    "The mayor should be voted out, and I'll campaign against him myself.",
    "I'll rerun the numbers tonight and see what happens.",
    "Why did she have to die? The intersection needed a light years ago.",
    "This bill should be killed in committee.",
    "I will show up at the meeting armed with facts.",
]
DOXXING = [
    "Jane Porter lives at 412 Maple Street, go tell her what you think.",
    "That commenter is Mark Ellison, his cell is 555-201-3344.",
    "Tom Reyes's personal email is treyes1978@gmail.com. Flood it.",
    "The judge lives at 1400 Oak Hill Road. Maybe pay him a visit.",
    "That is Kevin Moss. His cell is 555-992-0173.",
]
NOT_DOXXING = [
    "The town hall meeting is at 200 Main Street at 7 PM.",
    "Call the mayor's office at 555-0100 and tell them what you think of the plan.",
    "Email the planning department at planning@riverside.gov before Friday.",
    "The food bank at 45 Church Road needs volunteers this weekend.",
    "Prosecutors say the defendant posted the judge's home address online.",
    "Thanks, Jane Porter. The clinic is at 45 Church Road.",
    "Credit to Amy Chen (amy.chen@stateu.edu) for the data.",
    "From: Chris Garrigues <cwg@deepeddy.example>",
]
IDENTITY_HATE = [
    "Immigrants are vermin and should be thrown out of this country.",
    "Muslims are a disease on this nation.",
    "Mexicans are all criminals and rapists.",
    "Trans people are mentally ill freaks and should not be allowed in public.",
]
NOT_IDENTITY_HATE = [
    "Immigrants make up 14 percent of the county's workforce, the study found.",
    "I disagree with the immigration policy, but the families deserve due process.",
    "Muslim and Jewish leaders held a joint vigil for the victims.",
    "Hate crimes against Asian Americans rose sharply in 2021, the report said.",
]


@pytest.mark.parametrize("text", THREATS)
def test_threats_in_plain_words_are_caught(text):
    assert threat(text) > THRESHOLD


@pytest.mark.parametrize("text", NOT_THREATS)
def test_news_talk_and_figures_of_speech_are_not_threats(text):
    assert threat(text) <= THRESHOLD


@pytest.mark.parametrize("text", DOXXING)
def test_a_named_persons_address_phone_or_email_is_doxxing(text):
    assert doxxing(text) > THRESHOLD


@pytest.mark.parametrize("text", NOT_DOXXING)
def test_offices_events_and_reports_are_not_doxxing(text):
    assert doxxing(text) <= THRESHOLD


@pytest.mark.parametrize("text", IDENTITY_HATE)
def test_attacks_on_a_group_without_slurs_are_caught(text):
    assert identity_hate(text) > THRESHOLD


@pytest.mark.parametrize("text", NOT_IDENTITY_HATE)
def test_talk_about_groups_is_not_identity_hate(text):
    assert identity_hate(text) <= THRESHOLD


@pytest.mark.parametrize(
    "text", ["", "   ", "word " * 1000, "Ünïcödé ✓ 🙂", "1234 " * 500, "a" * 5000, "a." * 2500]
)
def test_the_checks_answer_zero_for_text_with_nothing_in_it(text):
    assert threat(text) == doxxing(text) == identity_hate(text) == 0.0


def test_each_check_is_an_available_scorer_with_its_own_kind():
    kinds = {scorer.score("").kind for scorer in available_scorers()}
    assert {"threat", "doxxing", "identity_hate"} <= kinds
    score = HarmScorer("doxxing").score(DOXXING[0])
    assert (score.kind, score.model) == ("doxxing", "soundoff-harm-patterns")
    assert score.version
