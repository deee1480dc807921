"""Soundoff's own naive-Bayes spam model: features, training, the shipped file."""

import json

import pytest

from soundoff.moderation.scoring import spam
from soundoff.moderation.scoring.spam import SpamModel, SpamScorer, spam_features, train_spam_model

EXAMPLES = [
    ("Earn $500 a day from home!!! Visit www.quick-jobs.biz", True),
    ("Cheap watches, best prices, order now at deals.shop", True),
    ("FREE crypto airdrop, connect your wallet at https://airdrop.click", True),
    ("The council meets on Tuesday about the bridge.", False),
    ("I disagree with the mayor about the bike lanes.", False),
    ("Thanks for covering the flood, my street was hit hard.", False),
    ("Does anyone know when the library reopens?", False),
]


def test_features_mark_links_money_phones_and_shouting():
    features = spam_features(
        "EARN $1,200 weekly at https://www.jobs.biz/apply or call +1 555 013 4444"
    )
    assert {
        "<link>",
        "<tld:biz>",
        "<money>",
        "<phone>",
        "<shouting>",
        "earn",
        "weekly",
    } <= features
    assert "jobs" not in features  # the link is one feature, not words


def test_features_of_plain_text_are_its_words():
    assert spam_features("The bridge, the Bridge! OK?") == {"the", "bridge", "ok"}
    assert spam_features("") == set()


def test_a_trained_model_ranks_spam_above_ordinary_comments():
    model = SpamModel.from_dict(train_spam_model(EXAMPLES, min_documents=1))
    spammy = model.probability("Earn $300 a day from home, visit www.jobs.biz")
    ordinary = model.probability("The council meets about the library on Tuesday.")
    assert spammy > 0.9 > 0.1 > ordinary


def test_training_keeps_counts_that_survive_json():
    data = train_spam_model(EXAMPLES, min_documents=2)
    assert data["documents"] == {"ham": 4, "spam": 3}
    assert data["features"]["<link>"] == [0, 3]
    assert all(sum(counts) >= 2 for counts in data["features"].values())
    again = SpamModel.from_dict(json.loads(json.dumps(data)))
    assert again == SpamModel.from_dict(data)


def test_a_model_needs_both_classes_and_a_known_format():
    with pytest.raises(ValueError, match="both"):
        SpamModel.from_dict(train_spam_model([("hello there", False)]))
    with pytest.raises(ValueError, match="format"):
        SpamModel.from_dict({"format": 99})


def test_probabilities_stay_finite_for_long_texts():
    model = SpamModel.from_dict(train_spam_model(EXAMPLES, min_documents=1))
    assert model.probability(" ".join(t for t, _ in EXAMPLES) * 50) <= 1.0
    assert 0.0 <= model.probability("council " * 2000) <= 1.0


def test_the_shipped_model_loads_and_tells_spam_from_news_chatter():
    scorer = SpamScorer()
    promo = scorer.score("Work from home and earn $450 weekly!! Apply at https://quickcash.click")
    chatter = scorer.score("Anyone know if Main Street is closed for the parade on Saturday?")
    assert promo.value > 0.9 > chatter.value
    assert promo.model == "soundoff-spam-naive-bayes"
    assert promo.version.endswith("+" + spam.model().digest)
