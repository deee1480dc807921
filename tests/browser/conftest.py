"""Pages in real Chromium (the session's browser is in tests/conftest.py)."""

import pytest

from soundoff import testing


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(transactional_db, live_server):
    """The live server with the policy documents back in place.

    live_server needs a transactional database, whose flush removes the
    documents the data migration installed.
    """
    testing.ensure_policies()
    return live_server


class BrowserProblems:
    """Console errors, uncaught exceptions and CSP violations seen by a page."""

    def __init__(self, page) -> None:
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            where = message.location.get("url", "")
            self.messages.append(f"console {message.type}: {message.text} ({where})")


@pytest.fixture
def problems(page):
    return BrowserProblems(page)
