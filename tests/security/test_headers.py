"""Every page sends the browser-side protections, and forms are CSRF-bound."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from soundoff.discussion import services
from soundoff.discussion.models import Comment
from testkit import cast

ANONYMOUS_PAGES = [
    "/",
    "/posts/water-main/",
    "/accounts/register/",
    "/accounts/login/",
    "/accounts/password-reset/",
    "/terms/",
    "/privacy/",
    "/rules/",
]


class PageScan(HTMLParser):
    """What in a page a strict Content-Security-Policy would block or need."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.inline_handlers: list[str] = []
        self.style_attributes = 0
        self.post_forms = 0
        self.forms_with_token = 0
        self._in_post_form = False
        self._has_token = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        self.inline_handlers += [name for name in attributes if name.startswith("on")]
        if "style" in attributes:
            self.style_attributes += 1
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._in_post_form, self._has_token = True, False
            self.post_forms += 1
        if (
            self._in_post_form
            and tag == "input"
            and (attributes.get("name") == "csrfmiddlewaretoken" and attributes.get("value"))
        ):
            self._has_token = True

    def handle_endtag(self, tag):
        if tag == "form" and self._in_post_form:
            self._in_post_form = False
            self.forms_with_token += self._has_token


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    return parser


def directives(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    parts = (part.strip() for part in header.split(";") if part.strip())
    return {part.split()[0]: " ".join(part.split()[1:]) for part in parts}


@pytest.fixture
def comment(alice, thread) -> Comment:
    result = services.post_comment(
        thread, author=alice, body="A first comment.", client=cast.CLIENT
    )
    return result.comment


def reader_pages(comment) -> list[str]:
    return [
        "/posts/water-main/",
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("discussion:reply", args=[comment.pk]),
        reverse("discussion:edit", args=[comment.pk]),
        reverse("discussion:delete", args=[comment.pk]),
    ]


def assert_protected(url: str, response) -> None:
    assert response.status_code == 200, url
    csp = directives(response)
    assert csp, f"{url} has no Content-Security-Policy"
    assert "script-src" in csp, url
    script_src = csp["script-src"]
    assert "'unsafe-inline'" not in script_src, url
    assert "'unsafe-eval'" not in script_src, url
    assert csp.get("frame-ancestors") == "'none'", url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy"), url


def assert_no_inline_code(url: str, page: PageScan) -> None:
    assert page.inline_scripts == 0, f"{url} has an inline <script>"
    assert page.inline_handlers == [], f"{url} has inline event handlers {page.inline_handlers}"
    assert page.style_attributes == 0, f"{url} has style attributes, which the CSP blocks"


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_every_public_page_sends_the_protective_headers(client, policies, post, url):
    response = client.get(url)
    assert_protected(url, response)
    page = scan(response.text)
    assert_no_inline_code(url, page)
    assert page.forms_with_token == page.post_forms, f"{url} has a POST form without a token"


def test_every_reader_page_sends_the_protective_headers(client, alice, comment):
    client.force_login(alice)
    for url in reader_pages(comment):
        response = client.get(url)
        assert_protected(url, response)
        page = scan(response.text)
        assert_no_inline_code(url, page)
        assert page.post_forms, f"{url} should show a form to a logged-in reader"
        assert page.forms_with_token == page.post_forms, f"{url}: a POST form lacks a token"


def test_the_comment_form_carries_a_csrf_token(client, alice, post):
    client.force_login(alice)
    html = client.get(post.get_absolute_url()).text
    form = re.search(r'<form[^>]+action="/posts/water-main/comments/".*?</form>', html, re.S)
    assert form, "the post page should show the comment form"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)


def test_posting_a_comment_without_a_csrf_token_is_refused(alice, post):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        reverse("discussion:post_comment", args=[post.slug]), {"body": "Forged from another site."}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_form_token_lets_the_same_post_through(alice, post):
    """The other half of the CSRF test: the refusal above is about the token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(post.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("discussion:post_comment", args=[post.slug]),
        {"body": "Posted from the page.", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 303
    assert Comment.objects.filter(body="Posted from the page.").exists()
