import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soundoff.lib.text import (
    COMMENT_TAGS,
    POST_TAGS,
    _comment_markdown,
    _sanitized,
    comment_visible_text,
    normalize_newlines,
    plain_text,
    render_comment,
    render_post,
    unstorable_reason,
)


class TagCollector(HTMLParser):
    """Every start tag and attribute in a fragment, as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def tags_in(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = TagCollector()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_safe(html: str, allowed: frozenset[str], rel: str) -> None:
    assert "<script" not in html.lower()
    for tag, attrs in tags_in(html):
        assert tag in allowed, html
        names = {name for name, _value in attrs}
        if tag == "a":
            assert names <= {"href", "rel"}, html
            assert dict(attrs)["rel"] == rel
            href = (dict(attrs).get("href") or "").lower()
            assert href.startswith(("http://", "https://", "mailto:", "/", "#")) or not href
        else:
            assert not names, html


XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    '[x](https://ok.example "title" onmouseover=alert(1))',
    '<p style="color:red" class="x">styled</p>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "> <script>alert(1)</script>\n> > `<img src=x onerror=alert(1)>`",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "<!-- <script>alert(1)</script> -->",
    "[x]: javascript:alert(1)\n\n[click][x]",
]


@pytest.mark.parametrize("source", XSS)
def test_comments_neutralise_xss_vectors(source: str) -> None:
    html = render_comment(source)
    assert_safe(html, COMMENT_TAGS, "nofollow ugc")
    assert (
        "javascript:"
        not in "".join(str(dict(attrs).get("href")) for _tag, attrs in tags_in(html)).lower()
    )


@pytest.mark.parametrize("source", XSS)
def test_posts_neutralise_xss_vectors(source: str) -> None:
    html = render_post(source)
    assert_safe(html, POST_TAGS, "noopener")
    assert re.search(r"<[^>]*\son[a-z]*\s*=", html, re.IGNORECASE) is None


def test_it_shows_raw_html_as_text() -> None:
    assert render_comment("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_it_keeps_a_javascript_link_as_plain_text() -> None:
    assert render_comment("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>\n"


def test_it_renders_emphasis() -> None:
    assert render_comment("*soft* and **loud**") == (
        "<p><em>soft</em> and <strong>loud</strong></p>\n"
    )


def test_it_renders_links_with_nofollow_ugc_in_comments() -> None:
    assert render_comment("[report](https://news.example/a?b=1&c=2)") == (
        '<p><a href="https://news.example/a?b=1&amp;c=2" rel="nofollow ugc">report</a></p>\n'
    )


def test_it_renders_links_with_noopener_in_posts() -> None:
    assert render_post("[report](https://news.example/a)") == (
        '<p><a href="https://news.example/a" rel="noopener">report</a></p>\n'
    )


def test_it_keeps_mailto_and_autolinks() -> None:
    html = render_comment("<https://news.example> [me](mailto:desk@news.example)")
    assert '<a href="https://news.example" rel="nofollow ugc">https://news.example</a>' in html
    assert '<a href="mailto:desk@news.example" rel="nofollow ugc">me</a>' in html


def test_it_links_bare_urls_with_their_scheme() -> None:
    html = render_comment("Map: https://news.example/map?x=1&y=2. More at http://a.example")
    assert (
        '<a href="https://news.example/map?x=1&amp;y=2" rel="nofollow ugc">'
        "https://news.example/map?x=1&amp;y=2</a>." in html
    )
    assert '<a href="http://a.example" rel="nofollow ugc">http://a.example</a>' in html
    assert '<a href="https://news.example/x" rel="noopener">' in render_post(
        "See https://news.example/x"
    )


@pytest.mark.parametrize(
    "source",
    [
        "Visit example.com for details",
        "Write to desk@news.example",
        "`https://in.code.example`",
        "javascript:alert(1)",
        "ftp://files.example/x",
    ],
)
def test_it_leaves_text_that_is_not_a_bare_web_url_unlinked(source: str) -> None:
    assert "<a " not in render_comment(source)


def test_it_drops_other_url_schemes() -> None:
    assert "href" not in render_comment("<ftp://files.example/x>")


def test_it_drops_relative_links_in_comments_but_keeps_them_in_posts() -> None:
    assert "href" not in render_comment("[rules](/terms/)")
    assert 'href="/terms/"' in render_post("[rules](/terms/)")


def test_it_renders_quotes_code_and_lists() -> None:
    html = render_comment("> quoted\n\n`a<b`\n\n    x = 1\n\n- one\n- two\n\n1. first\n")
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert "<code>a&lt;b</code>" in html
    assert "<pre><code>x = 1\n</code></pre>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n</ol>" in html


def test_it_keeps_nested_quotes_and_code() -> None:
    html = render_comment("> > inner `code`")
    assert html == (
        "<blockquote>\n<blockquote>\n<p>inner <code>code</code></p>\n"
        "</blockquote>\n</blockquote>\n"
    )


def test_it_strips_the_language_class_from_fenced_code() -> None:
    assert render_comment("```python\nprint(1)\n```") == "<pre><code>print(1)\n</code></pre>\n"


def test_it_renders_hard_line_breaks() -> None:
    assert render_comment("one  \ntwo") == "<p>one<br>\ntwo</p>\n"


def test_it_never_renders_images() -> None:
    for html in (render_comment("![cat](https://x.example/c.png)"), render_post("![c](/c.png)")):
        assert "<img" not in html
        assert "src=" not in html


def test_comments_keep_headings_and_rules_as_typed() -> None:
    assert render_comment("# 1 reason") == "<p># 1 reason</p>\n"
    assert render_comment("---") == "<p>---</p>\n"


def test_posts_render_headings_between_h2_and_h4_and_rules() -> None:
    html = render_post("# Top\n\n### Mid\n\n###### Low\n\n---\n")
    assert html == "<h2>Top</h2>\n<h3>Mid</h3>\n<h4>Low</h4>\n<hr>\n"


def test_it_normalises_crlf_before_rendering() -> None:
    assert render_comment("one  \r\ntwo") == "<p>one<br>\ntwo</p>\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a\r\nb", "a\nb"), ("a\rb", "a\nb"), ("a\r\r\nb", "a\n\nb"), ("a\n\rb", "a\n\nb")],
)
def test_it_normalises_newlines(text: str, expected: str) -> None:
    assert normalize_newlines(text) == expected


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("a\x00b", "NUL"),
        ("a\ud800b", "surrogate"),
        ("a\udfffb", "surrogate"),
        ("a\x01b", "control"),
        ("a\x1bb", "control"),
        ("a\x7fb", "control"),
        ("a\x85b", "control"),
        ("a\x9fb", "control"),
    ],
)
def test_it_explains_why_text_cannot_be_stored(text: str, word: str) -> None:
    reason = unstorable_reason(text)
    assert reason is not None
    assert word in reason


@pytest.mark.parametrize("text", ["", "tab\there", "line\nbreak\r\n", "émoji 😀 ok", "\xa0\u200b"])
def test_it_accepts_storable_text(text: str) -> None:
    assert unstorable_reason(text) is None


# Any character at all, with the troublesome ranges drawn often.
ANY_CHARACTER = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(max_codepoint=0x9F),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
)


@given(st.text(alphabet=ANY_CHARACTER))
def test_unstorable_reason_agrees_with_the_encoder(text: str) -> None:
    # Independent check: what UTF-8 refuses, or what is a control character
    # other than tab, LF and CR, is unstorable.
    try:
        text.encode("utf-8")
        encodable = True
    except UnicodeEncodeError:
        encodable = False
    controls = any((ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F for c in text)
    assert (unstorable_reason(text) is None) == (encodable and not controls)


# Fragments that markup is made of, so that generated text often almost
# forms a tag, an attribute, an entity or a link.
MARKUP = st.lists(
    st.sampled_from(
        [
            *"<>\"'=/&;:#*_`[]()!-> \n\tax\\",
            "script",
            "onerror",
            "javascript:",
            "data:",
            "img",
            "href",
            "style",
            "&#",
            "&#x6a;",
        ]
    )
)


@given(st.one_of(st.text(), MARKUP.map("".join)))
def test_comment_output_only_ever_has_allowed_tags(source: str) -> None:
    html = render_comment(source)
    assert_safe(html, COMMENT_TAGS, "nofollow ugc")
    assert re.search(r"<[^>]*\son[a-z]*\s*=", html, re.IGNORECASE) is None


@given(st.one_of(st.text(), MARKUP.map("".join)))
def test_post_output_only_ever_has_allowed_tags(source: str) -> None:
    html = render_post(source)
    assert_safe(html, POST_TAGS, "noopener")
    assert re.search(r"<[^>]*\son[a-z]*\s*=", html, re.IGNORECASE) is None


def test_plain_text_keeps_the_words_and_drops_the_markup() -> None:
    rendered = render_comment("**Bold** and [a link](https://example.org) & <script>x</script>")
    assert plain_text(rendered) == "Bold and a link & <script>x</script>"


@given(st.text(max_size=200))
def test_plain_text_of_any_comment_has_no_tag_the_renderer_made(source: str) -> None:
    text = plain_text(render_comment(source))
    for tag in COMMENT_TAGS:
        if f"<{tag}" not in source:
            assert f"<{tag}>" not in text and f"<{tag} " not in text


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("n&#105;gger", ["nigger"]),
        ("f**a**ggot", ["faggot"]),
        ("a&amp;b `c`d", ["a&b", "cd"]),
        ("[li](https://example.org)nk", ["link"]),
        ("one\n\ntwo", ["one", "two"]),
        ("- one\n- two", ["one", "two"]),
        ("line<br>break &lt;b&gt;", ["line<br>break", "<b>"]),
    ],
)
def test_visible_text_is_what_the_page_shows(source: str, words: list[str]) -> None:
    # Inline markup runs on inside a word; blocks and list items stay apart.
    assert comment_visible_text(source).split() == words


# Text that looks like links in every way but the colon: hosts, "www.",
# "//", "@", schemes without theirs, and Markdown around them.
NEAR_LINKS = st.lists(
    st.sampled_from(
        [
            *"<>\"'=/&;#*_`[]()!-> \n\t.@\\",
            "http",
            "https",
            "mailto",
            "ftp",
            "//",
            "www.",
            "example.com",
            "j.smith@example.org",
            "127.0.0.1",
            "[a](b)",
            "<http//x.org>",
            "word",
        ]
    ),
    max_size=40,
).map("".join)


@given(st.one_of(st.text(max_size=300), NEAR_LINKS).filter(lambda text: ":" not in text))
def test_text_without_a_colon_renders_the_same_without_looking_for_links(source: str) -> None:
    def rendered(links: bool) -> str:
        return _sanitized(
            _comment_markdown(links=links),
            source,
            tags=COMMENT_TAGS,
            link_rel="nofollow ugc",
            relative_links="deny",
        )

    assert rendered(links=False) == rendered(links=True)
    assert render_comment(source) == rendered(links=True)


def test_a_bare_url_is_still_linked() -> None:
    html = render_comment("Read https://example.org/water now.")
    assert 'href="https://example.org/water"' in html
