"""The table of ratios, and the targets, from one run's results.json.

.venv/bin/python -m bench.report bench/.work/run-…/results.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from bench import dataset

Run = dict[str, Any]


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds * 1000:.2f} ms"


def rate(run: Run | None) -> str:
    if not run:
        return "-"
    if not run["ok"]:
        # Nothing finished inside the bound: the rate is below one per run.
        return f"<{1 / run['elapsed']:.2f}"
    value = run["rate"]
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def cpu(run: Run | None) -> str:
    value = run.get("cpu_ms") if run else None
    if value is None:
        return "-"
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def cell(run: Run | None, *, failures: bool = False) -> str:
    if not run:
        return "(not run)"
    text = f"{rate(run):>7}/s {duration(run['p50']):>8} {duration(run['p99']):>8} {cpu(run):>7}"
    if failures or run.get("unfinished") or run.get("errors"):
        failed = sum(run.get("statuses", {}).values()) - run["ok"]
        failed += run.get("errors", 0) + run.get("unfinished", 0)
        if failures or failed:
            text += f"  {failed} failed" if failed else "  0 failed"
    return text


def times(ours: float | None, theirs: float | None, *, lower_is_better: bool = False) -> str:
    if not ours or not theirs:
        return "-"
    value = theirs / ours if lower_is_better else ours / theirs
    return (
        f"{value:,.0f}x" if value >= 100 else f"{value:.1f}x" if value >= 10 else f"{value:.2f}x"
    )


def _field(run: Run | None, key: str) -> float | None:
    """``run[key]``, or None for a scenario that didn't run or didn't record it."""
    return run.get(key) if run else None


def rate_ratio(ours: Run | None, theirs: Run | None) -> str:
    if not ours or not theirs:
        return "-"
    if theirs["ok"] == 0 and ours["ok"]:
        return f">{ours['rate'] * theirs['elapsed']:,.0f}x"
    return times(ours["rate"], theirs["rate"])


class Row(NamedTuple):
    """One line of the table: a run of Soundoff's and the run it is held up to."""

    label: str
    ours: str
    ref_name: str = ""
    ref: str | None = None
    failures: bool = False  # show the failure count even when it is 0


def rows() -> Iterator[Row]:
    """The table from top to bottom, by the names of the runs in results.json."""
    for size in (10, 200, 2_000, 20_000):
        for c in (1, 32):
            isso = f"read/isso/{size}/c{c}"
            yield Row(
                f"read {size:,} c={c}: API first page", f"read/api/{size}/c{c}", "Isso", isso
            )
            yield Row(f"read {size:,} c={c}: post page", f"read/page/{size}/c{c}", "Isso", isso)
    for size in dataset.COUNTED_AT_ONCE:
        name = dataset.counts_run(size)
        for c in (1, 32):
            yield Row(
                f"counts of {size} pages c={c}",
                f"{name}/soundoff/c{c}",
                "Isso",
                f"{name}/isso/c{c}",
            )
    for c in (1, 16):
        yield Row(
            f"writes c={c}", f"write/soundoff/c{c}", "Isso", f"write/isso/c{c}", failures=True
        )
    for c in (1, 16):
        yield Row(
            f"writes c={c} vs durable commits",
            f"write/soundoff/c{c}",
            "commit loop",
            f"commit/c{c}",
        )
    for c in (1, 32):
        yield Row(f"framework floor c={c}", f"floor/c{c}")
    for what in ("page", "api"):
        yield Row(f"read 200 c=32 {what} vs floor", f"read/{what}/200/c32", "floor", "floor/c32")
    for what in ("page", "api"):
        for c in (1, 32):
            yield Row(
                f"cold {what} 200 c={c} vs floor", f"cold/{what}/200/c{c}", "floor", f"floor/c{c}"
            )
    yield Row("cold page 20,000 c=1 vs floor", "cold/page/20000/c1", "floor", "floor/c1")
    for what in ("page", "api"):
        yield Row(
            f"revalidated {what} 200 c=32 (304)",
            f"revalidate/{what}/200/c32",
            "floor",
            "floor/c32",
        )
    for what in ("api", "page"):
        yield Row(
            f"20,000 vs 200 c=1: {what}", f"read/{what}/20000/c1", "200", f"read/{what}/200/c1"
        )
    for key, label in (
        ("api/10/c1", "API 10 c=1"),
        ("page/10/c1", "page 10 c=1"),
        ("api/200/c32", "API 200 c=32"),
        ("page/200/c32", "page 200 c=32"),
        ("isso/10/c1", "Isso 10 c=1"),
        ("isso/200/c32", "Isso 200 c=32"),
        ("write/soundoff/c16", "writes c=16"),
        ("write/isso/c16", "Isso writes c=16"),
    ):
        yield Row(
            f"100k vs small DB: {label}",
            f"big/{key}",
            "small",
            f"small/{key}",
            failures=key.startswith("write"),
        )


def render(results: dict[str, Any]) -> str:
    runs: dict[str, Run] = results["runs"]
    m = results.get("machine", {})
    lines = [
        "Soundoff vs Isso 0.14, and vs its own limits: one run of bench/run",
        f"{m.get('nproc')} cores ({m.get('cpu')}), {m.get('ram_gib')} GiB; "
        f"load average at start {_load(m.get('load_start'))}, at end {_load(m.get('load_end'))}",
        f"Soundoff: {m.get('soundoff_server')}; Isso: {m.get('isso_server')}",
        "Each cell: requests/s (or comments/s), p50, p99, and the server's CPU milliseconds "
        "per answered request.",
        "Ratios (x): Soundoff's rate over the reference's; the reference's p50 over Soundoff's; "
        "the reference's CPU per request over Soundoff's (bigger is better for Soundoff).",
        "",
    ]
    header = (
        f"{'measure':<34} {'Soundoff  rate / p50 / p99 / CPU ms':<44} "
        f"{'reference  rate / p50 / p99 / CPU ms':<52} {'rate':>7} {'p50':>7} {'CPU':>7}"
    )
    lines += [header, "-" * len(header)]

    for row in rows():
        ours, ref = runs.get(row.ours), runs.get(row.ref) if row.ref else None
        reference = faster = latency = cheaper = ""
        if row.ref_name:
            reference = f"{row.ref_name:<6} {cell(ref, failures=row.failures)}"
            faster = rate_ratio(ours, ref)
            latency = times(_field(ours, "p50"), _field(ref, "p50"), lower_is_better=True)
            cheaper = times(_field(ours, "cpu_ms"), _field(ref, "cpu_ms"), lower_is_better=True)
        lines.append(
            f"{row.label:<34} {cell(ours, failures=row.failures):<44} {reference:<52} "
            f"{faster:>7} {latency:>7} {cheaper:>7}"
        )

    notes = results.get("notes", {})
    small, big = notes.get("comments/small", {}), notes.get("comments/big", {})
    lines += [
        "",
        f"Comments in the databases: small probe {small.get('soundoff')} (Soundoff) / "
        f"{small.get('isso')} (Isso); main {notes.get('comments/main', {}).get('soundoff')} / "
        f"{notes.get('comments/main', {}).get('isso')}; big {big.get('soundoff')} / "
        f"{big.get('isso')}.",
        f"Resident memory at the end: Soundoff {notes.get('rss_end/soundoff')} MiB, "
        f"Isso {notes.get('rss_end/isso')} MiB. Whole run: {results.get('seconds')} s.",
        "",
        "Targets (issue 10)",
        "------------------",
        *targets(runs),
    ]
    return "\n".join(lines) + "\n"


def _load(value: Any) -> str:
    return " ".join(f"{v:.2f}" for v in value) if value else "?"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def targets(runs: dict[str, Run]) -> list[str]:
    out = []

    def check(label: str, value: float | None, goal: str, met: bool | None) -> None:
        verdict = "n/a" if met is None else "MET" if met else "MISSED"
        shown = "-" if value is None else f"{value:,.2f}"
        out.append(f"{verdict:<7} {label}: {shown} ({goal})")

    def r(key: str, field: str = "rate") -> float | None:
        run = runs.get(key)
        return run.get(field) if run else None

    # 0. Every shape held up to Isso at least matches it; the small ones by 2x.
    against_isso = {
        row.label: _ratio(r(row.ours), r(row.ref or ""))
        for row in rows()
        if row.ref_name == "Isso"
    }
    measured = {label: v for label, v in against_isso.items() if v is not None}
    behind = [label for label, v in measured.items() if v < 1]
    verdict = "n/a" if not measured else "MISSED" if behind else "MET"
    out.append(
        f"{verdict:<7} every shape at least matches Isso (>= 1)"
        + (f": behind on {', '.join(behind)}" if behind else "")
    )
    for what in ("page", "api"):
        v = _ratio(r(f"read/{what}/10/c32"), r("read/isso/10/c32"))
        check(f"read 10 c=32 {what}, x Isso", v, ">= 2", None if v is None else v >= 2)
    for size in dataset.COUNTED_AT_ONCE:
        name = dataset.counts_run(size)
        for c in (1, 32):
            v = _ratio(r(f"{name}/soundoff/c{c}"), r(f"{name}/isso/c{c}"))
            check(f"counts of {size} c={c}, x Isso", v, ">= 2", None if v is None else v >= 2)
    for what in ("page", "api"):
        v = _ratio(r(f"read/{what}/200/c32"), r("read/isso/200/c32"))
        check(f"read 200 c=32 {what}, x Isso", v, ">= 100", None if v is None else v >= 100)
        v = _ratio(r("read/isso/200/c32", "cpu_ms"), r(f"read/{what}/200/c32", "cpu_ms"))
        out.append(f"{'':<7}   (by server CPU per request: {_shown(v)}x)")
        v = _ratio(r(f"read/{what}/200/c32"), r("floor/c32"))
        check(f"read 200 c=32 {what}, x floor", v, ">= 0.8", None if v is None else v >= 0.8)
        v = _ratio(r("floor/c32", "cpu_ms"), r(f"read/{what}/200/c32", "cpu_ms"))
        out.append(f"{'':<7}   (by server CPU per request: {_shown(v)}x)")
    for what in ("page", "api"):
        v = _ratio(r(f"read/{what}/20000/c1", "p50"), r(f"read/{what}/200/c1", "p50"))
        check(
            f"first page of 20,000 vs 200, {what} p50",
            v,
            "<= 1.5",
            None if v is None else v <= 1.5,
        )
    for what in ("page", "api"):
        for c in (1, 32):
            v = _ratio(r(f"cold/{what}/200/c{c}"), r(f"floor/c{c}"))
            check(f"cold {what} 200 c={c}, x floor", v, ">= 0.3", None if v is None else v >= 0.3)
            v = _ratio(r(f"floor/c{c}", "cpu_ms"), r(f"cold/{what}/200/c{c}", "cpu_ms"))
            out.append(f"{'':<7}   (by server CPU per request: {_shown(v)}x)")
    for key in ("api/10/c1", "page/10/c1", "api/200/c32", "page/200/c32", "write/soundoff/c16"):
        v = _ratio(r(f"big/{key}", "p50"), r(f"small/{key}", "p50"))
        check(f"100k vs small DB, {key} p50", v, "<= 1.2", None if v is None else v <= 1.2)
    v = _ratio(r("write/soundoff/c16"), r("write/isso/c16"))
    failed = sum(
        (runs.get(f"write/soundoff/c{c}") or {}).get(k, 0)
        for c in (1, 16)
        for k in ("errors", "unfinished")
    ) + sum(
        n
        for c in (1, 16)
        for code, n in (runs.get(f"write/soundoff/c{c}") or {}).get("statuses", {}).items()
        if int(code) not in (201, 202)
    )
    check("writes c=16, x Isso", v, ">= 2", None if v is None else v >= 2)
    v = _ratio(r("write/isso/c16", "cpu_ms"), r("write/soundoff/c16", "cpu_ms"))
    out.append(f"{'':<7}   (by server CPU per request: {_shown(v)}x)")
    wrote = any(f"write/soundoff/c{c}" in runs for c in (1, 16))
    check("write failures (c=1 and c=16)", failed, "== 0", failed == 0 if wrote else None)
    for c in (1, 16):
        v = _ratio(r(f"commit/c{c}"), r(f"write/soundoff/c{c}"))
        check(f"durable-commit limit / writes, c={c}", v, "<= 2", None if v is None else v <= 2)
    out.append("see bench/live: 5,000 streams, fan-out p99 <= 1 s, <= 150 MB per instance")
    return out


if __name__ == "__main__":
    print(render(json.loads(Path(sys.argv[1]).read_text())), end="")
