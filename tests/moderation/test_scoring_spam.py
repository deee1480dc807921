"""The spam model: scikit-learn's arithmetic redone from a JSON file, and the shipped file."""

import importlib.util
import json
from pathlib import Path

import pytest

from soundoff.moderation.scoring import spam
from soundoff.moderation.scoring.spam import SpamModel, SpamScorer

TRAIN_SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "scoring" / "train_spam.py"

EXAMPLES = [
    ("Earn $500 a day from home!!! Visit www.quick-jobs.biz now", True),
    ("Cheap watches, best prices, order now at deals.shop", True),
    ("FREE crypto airdrop, connect your wallet at https://airdrop.click", True),
    ("Lowest mortgage rates, apply now, free quote, act today", True),
    ("The council meets on Tuesday about the bridge.", False),
    ("I disagree with the mayor about the bike lanes.", False),
    ("Thanks for covering the flood, my street was hit hard.", False),
    ("Does anyone know when the library reopens?", False),
] * 3  # the vectoriser keeps words seen in at least three texts

CLEAN = [
    "Holy shit, the water bill went up 38 percent?",
    "The budget shows $4.2 million for road repair, up 12% from last year. "
    "Page 14: https://www.riverside.gov/budget/2026.pdf",
    "According to the court filing (Case No. 24-cv-01187, filed March 3), "
    "the city asked for a 90-day extension.",
    "My property tax went from $2,310 to $2,870. Anyone else see a 24% increase?",
    "The full ruling is here: https://www.supremecourt.gov/opinions/24pdf/23-719_19m2.pdf",
    "Call the county clerk at 555-0142 if your ballot did not arrive.",
]


def _train_script():
    spec = importlib.util.spec_from_file_location("train_spam", TRAIN_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_scorer_repeats_scikit_learns_arithmetic():
    train = _train_script()
    pipeline = train.fit([t for t, _ in EXAMPLES], [s for _, s in EXAMPLES])
    model = SpamModel.from_dict(json.loads(json.dumps(train.as_json(pipeline))))
    texts = [
        "Earn money from home, visit now",
        "The council meets about the library",
        "now now now NOW free free",
        "words the model never saw",
        "",
    ]
    expected = pipeline.predict_proba(texts)[:, 1]
    for text, probability in zip(texts, expected, strict=True):
        assert model.probability(text) == pytest.approx(probability, abs=1e-4)


def test_the_shipped_model_loads_from_the_repository_and_names_itself():
    scorer = SpamScorer()
    score = scorer.score("Anything at all")
    assert spam.MODEL_FILE.is_file()
    assert score.model == "soundoff-spam-linear"
    assert score.version.endswith("+" + spam.model().digest)
    assert len(spam.model().terms) > 1000


def test_the_shipped_model_withholds_mail_order_spam():
    text = (
        "Dear friend, you have been selected to receive a FREE credit report and a "
        "guaranteed low mortgage rate. Click here to order now, this limited time offer "
        "expires soon. To be removed from our mailing list reply with REMOVE."
    )
    assert SpamScorer().score(text).value > 0.8


@pytest.mark.parametrize("text", CLEAN)
def test_clean_comments_with_prices_percentages_filings_and_links_are_not_spam(text, settings):
    assert SpamScorer().score(text).value < settings.SOUNDOFF_SPAM_THRESHOLD


def test_a_model_file_of_another_format_or_without_terms_is_refused():
    with pytest.raises(ValueError, match="format"):
        SpamModel.from_dict({"format": 1, "documents": {}, "features": {}})
    with pytest.raises(ValueError, match="at least one term"):
        SpamModel.from_dict({"format": spam.FORMAT, "intercept": 0.0, "terms": {}})


def test_probabilities_stay_finite_for_long_and_empty_texts():
    model = spam.model()
    assert 0.0 <= model.probability("free " * 5000) <= 1.0
    assert 0.0 <= model.probability("") <= 1.0
    assert 0.0 <= model.probability("🙂 ✓ Ünïcödé") <= 1.0
