"""What the browser tests watch a page for (Playwright pages, real Chromium)."""

from __future__ import annotations

from typing import Any


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
