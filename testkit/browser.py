"""What the browser tests watch a page for (Playwright pages, real Chromium)."""

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
