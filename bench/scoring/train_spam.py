"""Rebuild soundoff/moderation/scoring/spam_model.json from eval_set.jsonl.

    .venv/bin/python bench/scoring/train_spam.py

The shipped spam model is trained on the whole labelled set; evaluate.py
measures it both on that set (optimistic) and on templates held out of
training (the honest number).
"""

from __future__ import annotations

import json
from pathlib import Path

from soundoff.moderation.scoring.spam import MODEL_FILE, train_spam_model

EVAL_SET = Path(__file__).with_name("eval_set.jsonl")


def main() -> None:
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]
    model = train_spam_model((row["text"], row["spam"]) for row in rows)
    # One feature a line, so that a retrained model reads well in a diff.
    features = ",\n".join(
        f"  {json.dumps(name, ensure_ascii=False)}: {json.dumps(counts)}"
        for name, counts in model["features"].items()
    )
    MODEL_FILE.write_text(
        f'{{"format": {model["format"]}, "documents": {json.dumps(model["documents"])},\n'
        f' "features": {{\n{features}\n}}}}\n',
        encoding="utf-8",
    )
    print(
        f"wrote {MODEL_FILE}: {len(model['features'])} features from "
        f"{model['documents']['spam']} spam and {model['documents']['ham']} other comments"
    )


if __name__ == "__main__":
    main()
