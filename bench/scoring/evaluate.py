"""Measure the comment scorers on bench/scoring/eval_set.jsonl.

    .venv/bin/python bench/scoring/evaluate.py [--passes N]

Prints, as Markdown: precision and recall of each scorer at a few thresholds
and at the one soundoff.settings applies (SOUNDOFF_TOXICITY_THRESHOLD,
SOUNDOFF_SPAM_THRESHOLD; a score strictly above it withholds the comment),
which kinds of comment each one catches at that threshold, the spam
model's precision and recall on templates it was not trained on, and the
time per comment of each scorer as a ratio to a baseline measured in the
same run (Unicode normalisation and splitting of the same text, the least
any text check does). It reports; it never asserts.

If ``antispam`` happens to be installed, it is measured too, for comparison
with the spam model that replaced it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from soundoff.moderation.scoring import (
    Score,
    Scorer,
    available_scorers,
    distribution_version,
    offensive,
    spam,
    toxicity,
)
from soundoff.moderation.scoring.spam import SpamModel, train_spam_model

EVAL_SET = Path(__file__).with_name("eval_set.jsonl")
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)
FOLDS = 5
LABEL = {"toxicity": "toxic", "offensive": "toxic", "spam": "spam"}
# Each scorer's model loader, timed on its own before anything else loads it.
LOADERS: dict[str, Callable[[], object]] = {
    toxicity.DISTRIBUTION: toxicity.network,
    offensive.DISTRIBUTION: offensive.predictor,
    spam.MODEL_NAME: spam.model,
}

Row = dict[str, Any]


class AntispamForComparison:
    """antispam's e-mail model, scored the way Soundoff would have used it."""

    name = "antispam"

    def __init__(self) -> None:
        import antispam

        self.detector = antispam.Detector()

    @property
    def version(self) -> str:
        return distribution_version("antispam")

    def score(self, text: str) -> Score:
        words = [w for w in self.detector.TOKENS_RE.findall(text.lower()) if len(w) > 2]
        value = float(self.detector.score(text)) if words else 0.0
        return Score(kind="spam", value=value, model=self.name, version=self.version)


def settings_thresholds() -> dict[str, float]:
    """The thresholds the scoring task applies: soundoff.settings, env included."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")
    from django.conf import settings

    toxicity = settings.SOUNDOFF_TOXICITY_THRESHOLD
    return {"toxicity": toxicity, "offensive": toxicity, "spam": settings.SOUNDOFF_SPAM_THRESHOLD}


def normalise(text: str) -> list[str]:
    """The baseline: what any text check costs before it does anything."""
    return unicodedata.normalize("NFKC", text).casefold().split()


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy

    return [
        f"- nproc: {len(os.sched_getaffinity(0))} (os.cpu_count: {os.cpu_count()})",
        f"- CPU: {cpu}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}",
        f"- numpy {numpy.__version__}",
        "- load average at start (1, 5, 15 min): "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg()),
    ]


def precision_recall(
    values: Sequence[float], labels: Sequence[bool], threshold: float
) -> tuple[int, str, str]:
    # Strictly above, as the scoring task withholds.
    flagged = [label for value, label in zip(values, labels, strict=True) if value > threshold]
    hits, positives = sum(flagged), sum(labels)
    precision = f"{hits / len(flagged):.2f}" if flagged else "-"
    recall = f"{hits / positives:.2f}" if positives else "-"
    return len(flagged), precision, recall


def timed(func: Callable[[str], object], texts: Sequence[str], passes: int) -> list[float]:
    """Seconds per call, one sample per text per pass."""
    samples = []
    for _ in range(passes):
        for text in texts:
            start = time.perf_counter()
            func(text)
            samples.append(time.perf_counter() - start)
    return samples


def p99(samples: Sequence[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def held_out_spam(rows: Sequence[Row]) -> list[tuple[float, bool]]:
    """Spam scores from models trained without the comment's template.

    Templates, not comments, are split into folds: a comment whose template
    the model saw with other slot fillings would be too easy.
    """
    templates = sorted({row["template"] for row in rows})
    fold_of = {template: i % FOLDS for i, template in enumerate(templates)}
    out = []
    for fold in range(FOLDS):
        train = [(r["text"], r["spam"]) for r in rows if fold_of[r["template"]] != fold]
        model = SpamModel.from_dict(train_spam_model(train))
        out += [
            (model.probability(r["text"]), r["spam"])
            for r in rows
            if fold_of[r["template"]] == fold
        ]
    return out


def quality_table(values: Sequence[float], labels: Sequence[bool], setting: float) -> str:
    lines = ["| threshold | flagged | precision | recall |", "|---|---|---|---|"]
    for threshold in sorted({*THRESHOLDS, setting}):
        flagged, precision, recall = precision_recall(values, labels, threshold)
        mark = " (setting)" if threshold == setting else ""
        lines.append(f"| {threshold}{mark} | {flagged} | {precision} | {recall} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passes", type=int, default=3, help="timing passes over the set")
    args = parser.parse_args()

    rows: list[Row] = [json.loads(line) for line in EVAL_SET.read_text().splitlines()]
    texts = [row["text"] for row in rows]
    categories = sorted({row["category"] for row in rows})

    loads: dict[str, float] = {}
    for name, loader in LOADERS.items():
        start = time.perf_counter()
        try:
            loader()
        except Exception as exc:
            print(f"{name} did not load: {exc!r}", file=sys.stderr)
            continue
        loads[name] = time.perf_counter() - start

    defaults = settings_thresholds()
    scorers: list[Scorer] = list(available_scorers())
    try:
        start = time.perf_counter()
        scorers.append(AntispamForComparison())
        loads[AntispamForComparison.name] = time.perf_counter() - start
    except ImportError:
        pass

    print("# Comment scorers on bench/scoring/eval_set.jsonl\n")
    print(*machine(), sep="\n")
    toxic, spam = sum(r["toxic"] for r in rows), sum(r["spam"] for r in rows)
    print(f"- eval set: {len(rows)} comments, {toxic} toxic, {spam} spam\n")

    baseline = timed(normalise, texts, args.passes)
    timings: dict[str, list[float]] = {}
    by_category: dict[str, dict[str, float]] = defaultdict(dict)

    for scorer in scorers:
        first = scorer.score(texts[0])
        values = [scorer.score(text).value for text in texts]
        labels = [bool(row[LABEL[first.kind]]) for row in rows]
        cut = defaults[first.kind]
        print(f"## {scorer.name} {scorer.version} ({first.kind}, against '{LABEL[first.kind]}')\n")
        print(quality_table(values, labels, cut), "\n")
        for category in categories:
            picked = [v for v, r in zip(values, rows, strict=True) if r["category"] == category]
            by_category[scorer.name][category] = sum(v > cut for v in picked) / len(picked)
        timings[scorer.name] = timed(scorer.score, texts, args.passes)

    spam_scores = held_out_spam(rows)
    print(f"## Spam model on held-out templates ({FOLDS}-fold, grouped by template)\n")
    print(
        quality_table(
            [v for v, _ in spam_scores],
            [label for _, label in spam_scores],
            defaults["spam"],
        ),
        "\n",
    )

    print("## Share of each kind of comment flagged at the settings' thresholds\n")
    names = list(by_category)
    print("| category | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for category in categories:
        cells = " | ".join(f"{by_category[name][category]:.2f}" for name in names)
        print(f"| {category} | {cells} |")
    print()

    base_mean, base_p99 = statistics.fmean(baseline), p99(baseline)
    print(f"## Time per comment ({args.passes} passes over the set, after loading)\n")
    print("| scorer | load (s) | mean (µs) | p99 (µs) | mean / baseline | p99 / baseline |")
    print("|---|---|---|---|---|---|")
    print(f"| baseline: normalise | - | {base_mean * 1e6:.1f} | {base_p99 * 1e6:.1f} | 1 | 1 |")
    for name, samples in timings.items():
        mean, tail = statistics.fmean(samples), p99(samples)
        load = f"{loads[name]:.2f}" if name in loads else "-"
        print(
            f"| {name} | {load} | {mean * 1e6:.0f} | {tail * 1e6:.0f} "
            f"| {mean / base_mean:.0f} | {tail / base_p99:.0f} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
