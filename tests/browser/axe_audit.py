"""The accessibility audit of the browser tests: axe-core, from npm (tests/axe,
installed by bin/test from its lock file), run inside a page.

The site's Content Security Policy allows scripts from 'self' only, so
page.add_script_tag (an inline script) is refused. page.evaluate is not: it
runs through the DevTools protocol, outside the page's policy, so the audit
needs no hole in the CSP, not even on its test context.
"""

import os
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent.parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_source() -> str:
    """axe-core's source; skipped without it locally, a failure in CI."""
    if not AXE.is_file():
        reason = f"{AXE} is missing; install it with: npm ci --prefix tests/axe"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the accessibility tests: {reason}")
        pytest.skip(reason)
    return AXE.read_text()


def audit(page: Any) -> list[str]:
    """Run axe on the page as it is now (open shadow roots included) and
    answer each WCAG A/AA violation as one readable line per node."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        WCAG_AA,
    )
    found = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " >>> ".join(
                " ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = " ".join(str(node["summary"] or "").split())
            found.append(
                f"{page.url}: {violation['id']} ({violation['help']}) at {target}: {summary}"
            )
    return found
