"""The sign-in popup: a token for the reader, only for an allowed origin."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.contrib.staticfiles import finders

from soundoff.api.tokens import reader_for_token


class Scripts(HTMLParser):
    """The page's scripts, and the data the hand-off script reads."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.sources: list[str] = []
        self.handoff: dict[str, str | None] = {}
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.sources.append(attributes["src"] or "")
            else:
                self._in_inline_script = True
        if attributes.get("id") == "soundoff-handoff":
            self.handoff = attributes

    def handle_data(self, data):
        if self._in_inline_script:
            self.inline.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def scan(response) -> Scripts:
    parser = Scripts()
    parser.feed(response.content.decode())
    return parser


def signin(client, origin: str, **extra: str):
    return client.get("/embed/signin/", {"origin": origin, **extra})


def test_it_refuses_an_origin_not_on_the_allow_list(client, alice, allowed_origin, refused_origin):
    client.force_login(alice)
    response = signin(client, refused_origin)
    assert response.status_code == 403
    assert b"not on Soundoff" in response.content
    assert "data-token" not in response.content.decode()
    assert scan(response).handoff == {}


def test_it_refuses_a_missing_or_malformed_origin(client, alice, allowed_origin):
    client.force_login(alice)
    for origin in ["", "null", "javascript:alert(1)", "news.example.org"]:
        response = signin(client, origin)
        assert response.status_code == 403, origin
        assert "data-token" not in response.content.decode(), origin


def test_it_sends_a_signed_out_reader_to_log_in_and_back(client, allowed_origin):
    response = signin(client, allowed_origin)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/embed/accounts/login/"
    back = parse_qs(target.query)["next"][0]
    assert urlsplit(back).path == "/embed/signin/"
    assert parse_qs(urlsplit(back).query)["origin"] == [allowed_origin]
    assert "data-token" not in response.content.decode()


def test_it_can_send_a_new_reader_to_register_instead(client, allowed_origin):
    response = signin(client, allowed_origin, action="register")
    assert urlsplit(response["Location"]).path == "/embed/accounts/register/"


def test_it_hands_a_signed_in_reader_a_token_for_that_origin_only(client, alice, allowed_origin):
    client.force_login(alice)
    response = signin(client, allowed_origin)
    assert response.status_code == 200
    handoff = scan(response).handoff
    assert handoff["data-origin"] == allowed_origin
    assert reader_for_token(handoff["data-token"] or "") == alice


def test_the_target_origin_is_the_canonical_allowed_origin(client, alice, allowed_origin):
    client.force_login(alice)
    response = signin(client, "HTTPS://News.Example.org:443")
    assert scan(response).handoff["data-origin"] == allowed_origin


def test_an_origin_allowed_by_setting_works_too(client, alice, settings):
    settings.SOUNDOFF_EMBED_ORIGINS = ["http://127.0.0.1:8100"]
    client.force_login(alice)
    response = signin(client, "http://127.0.0.1:8100")
    assert scan(response).handoff["data-origin"] == "http://127.0.0.1:8100"


def test_the_token_page_is_never_cached_and_keeps_its_opener(client, alice, allowed_origin):
    client.force_login(alice)
    response = signin(client, allowed_origin)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    # same-origin would cut the popup off from the page that opened it.
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_it_runs_no_inline_script(client, alice, allowed_origin):
    client.force_login(alice)
    response = signin(client, allowed_origin)
    scripts = scan(response)
    assert scripts.inline == []
    assert scripts.sources == ["/static/soundoff/embed-signin.js"]
    script_src = re.search(r"script-src ([^;]*)", response["Content-Security-Policy"])
    assert script_src
    assert script_src.group(1).strip() == "'self'"


def test_the_handoff_script_posts_only_to_the_named_origin():
    path = finders.find("soundoff/embed-signin.js")
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as source:
        code = source.read()
    calls = re.findall(r"postMessage\(([^;]*)\);", code)
    assert calls == ['{ type: "soundoff:token", token: token }, origin']
    assert 'var origin = handoff.getAttribute("data-origin");' in code
    assert "window.opener.postMessage" in code
