"""What the view tests read off a response of the Django test client."""

from __future__ import annotations

from html import unescape

from django.http import HttpResponseBase
from django.urls import reverse


def page_text(response: HttpResponseBase) -> str:
    """The page's HTML with its character references unescaped, so that a
    test looks for text as a reader sees it ("Ben's", not "Ben&#x27;s")."""
    return unescape(response.content.decode())  # type: ignore[attr-defined]


def assert_sent_to_log_in(response: HttpResponseBase) -> None:
    """The response redirects the visitor to the login page."""
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
