"""What the browser tests watch a page for (Playwright pages, real Chromium),
how they sign in, and the pages of the newsroom site that embeds the widget."""

from __future__ import annotations

from typing import Any

from testkit.cast import PASSWORD


class BrowserProblems:
    """Console errors, uncaught exceptions and CSP violations seen by a page."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def _console(self, message: Any) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            where = message.location.get("url", "")
            self.messages.append(f"console {message.type}: {message.text} ({where})")


def log_in(page: Any, login_url: str, email: str) -> None:
    """Sign ``email`` in through Soundoff's login form at ``login_url``
    (its ``?next=`` says where the page lands)."""
    page.goto(login_url)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


# The pages of another site that embeds Soundoff (tests/browser/conftest.py
# serves them): an article with the widget, and an index with comment counts.
ARTICLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bridge reopens</title>
<link rel="icon" href="data:,">
<style>.discussion {{ --soundoff-accent: #0b5394; --soundoff-font: Georgia, serif; }}</style>
</head><body>
<h1>Bridge reopens after repairs</h1>
<p>The river bridge reopened on Monday.</p>
<div class="discussion">
<script async src="{soundoff}/embed.js" data-soundoff-page="{page}?utm_source=feed"
        data-soundoff-title="Bridge reopens after repairs"></script>
</div>
</body></html>
"""

INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The Valley Paper</title>
<link rel="icon" href="data:,"></head><body>
<h1>The Valley Paper</h1>
<ul>
<li><a href="/news/bridge.html">Bridge reopens</a>
    <a class="bridge" href="/news/bridge.html#comments" data-soundoff-count>Comments</a></li>
<li><a href="/news/fair.html">County fair opens</a>
    <a class="fair" href="/news/fair.html" data-soundoff-count>Comments</a></li>
</ul>
<script async src="{soundoff}/counts.js"></script>
</body></html>
"""
