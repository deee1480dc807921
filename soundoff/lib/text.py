"""The one place where reader and editor text becomes HTML.

Every comment, post body and policy text goes through here, so there is one
allow-list to review. The Markdown source is what gets stored; the HTML is
derived from it and can be regenerated whenever these rules change.

Two layers, on purpose: markdown-it runs with raw HTML disabled (so ``<b>``
typed by a reader is shown as text) and refuses ``javascript:`` links, and
then nh3 (ammonia) cleans the result against an explicit allow-list. Either
layer alone would be enough today; both together survive a mistake in one.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from html import unescape
from html.parser import HTMLParser
from typing import Literal

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

COMMENT_TAGS = frozenset(
    {"p", "br", "em", "strong", "a", "blockquote", "code", "pre", "ul", "ol", "li"}
)
POST_TAGS = COMMENT_TAGS | {"h2", "h3", "h4", "hr"}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_ATTRIBUTES = {"a": {"href"}}

# Editors' headings are clamped to h2 to h4: the page's h1 is the headline, and
# h5/h6 are too small to read as headings under it.
_LOWEST_HEADING, _HIGHEST_HEADING = 2, 4

# C0 and C1 controls (and DEL) apart from tab, LF and CR.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n?")


def _clamp_headings(state: StateCore) -> None:
    """Rewrite heading levels so that every heading lands on the allow-list."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(max(int(token.tag[1:]), _LOWEST_HEADING), _HIGHEST_HEADING)
            token.tag = f"h{level}"


def _markdown() -> MarkdownIt:
    """CommonMark without raw HTML, where a bare http(s) URL becomes a link.

    Only http(s) and mailto URLs written with their scheme are linked (linkify-it-py's fuzzy
    matching is off): "example.com" or "j.smith@example.org" in a sentence
    stays text, as the writer most likely meant. The links phase of the
    moderation pipeline counts the same URLs (and "www." ones) as links.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")
    linkify = md.linkify
    assert linkify is not None, "markdown-it sets up linkify-it-py when linkify is on"
    linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    # Schemes nh3 would strip anyway (leaving an <a> without href), and
    # protocol-relative "//host" URLs, which resolve differently where a
    # comment is embedded.
    for schema in ("ftp:", "//"):
        linkify.add(schema, None)
    return md


@cache
def _comment_markdown(*, links: bool = True) -> MarkdownIt:
    """Readers' Markdown: no images, and no headings or rules.

    Headings and horizontal rules are switched off rather than stripped later
    so that "# 1 reason" or a line of dashes stays as the reader typed it
    instead of vanishing or turning into shouting.

    Without ``links``, bare URLs are not looked for: for text with no ":",
    in which none can be (every scheme linked is written with its colon),
    so that most comments skip linkify's costly pre-test. The HTML is the
    same either way (tests/lib/test_text.py).
    """
    md = _markdown()
    md.disable(["image", "heading", "lheading", "hr"])
    if not links:
        md.disable("linkify")
    return md


@cache
def _post_markdown() -> MarkdownIt:
    """Editors' Markdown: readers' subset plus headings and rules."""
    md = _markdown()
    md.disable("image")
    md.core.ruler.push("clamp_headings", _clamp_headings)
    return md


# Posting a comment renders its text twice, a few milliseconds apart: the
# word checks read what readers will see (comment_visible_text), then
# Comment.save stores the HTML. Rendering is pure, so the second call is
# answered from here.
@lru_cache(maxsize=64)
def render_comment(source: str) -> str:
    """Render a reader's comment to safe HTML.

    Links get ``rel="nofollow ugc"`` so that the site lends no search-engine
    weight to links readers post (and spammers gain nothing from them).
    Relative links are dropped: comments are also shown embedded on other
    sites, where a relative URL would point somewhere the writer never meant.
    """
    return _sanitized(
        _comment_markdown(links=":" in source),
        source,
        tags=COMMENT_TAGS,
        link_rel="nofollow ugc",
        relative_links="deny",
    )


def plain_text(rendered: str) -> str:
    """The words of HTML rendered here, for a plain-text e-mail: every tag
    dropped (a link keeps its words), entities decoded. What comes out is
    never HTML to anyone: it goes only where text is shown as text."""
    return unescape(nh3.clean(rendered, tags=set(), strip_comments=True)).strip()


# Tags that start a new line on the page; the rest (em, strong, a, code) run
# on inside a word, as "f<strong>a</strong>ggot" does.
_BLOCK_TAGS = frozenset({"p", "br", "blockquote", "pre", "ul", "ol", "li", "h2", "h3", "h4", "hr"})


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def comment_visible_text(source: str) -> str:
    """The text a reader sees of a comment: its HTML with entities decoded, tags gone.

    Word checks read this as well as the source, since Markdown and entities
    can spell on the page what the source hides ("n&#105;gger",
    "f**a**ggot").
    """
    parser = _VisibleText()
    parser.feed(render_comment(source))
    parser.close()
    return "".join(parser.parts)


def render_post(source: str) -> str:
    """Render an editor's post body (or a policy text) to safe HTML.

    Editors are trusted to link for real, so their links are followed; they
    still get ``rel="noopener"`` so a linked page cannot script our window.
    Relative links are kept, because editors link to the site's own pages.
    """
    return _sanitized(
        _post_markdown(),
        source,
        tags=POST_TAGS,
        link_rel="noopener",
        relative_links="pass_through",
    )


def _sanitized(
    md: MarkdownIt,
    source: str,
    *,
    tags: frozenset[str],
    link_rel: str,
    relative_links: Literal["deny", "pass_through"],
) -> str:
    """``source`` rendered by ``md``, then cleaned by nh3 against the allow-list:
    the second layer, the same for readers and editors but for what they may link."""
    html = md.render(normalize_newlines(source))
    return nh3.clean(
        html,
        tags=set(tags),
        attributes=_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        link_rel=link_rel,
        url_relative=relative_links,
        strip_comments=True,
    )


def unstorable_reason(text: str) -> str | None:
    """Say, in a sentence for the writer, why ``text`` can't be stored; None if it can.

    PostgreSQL refuses NUL in text columns and SQLite and psycopg fail to
    encode lone surrogates, so such text must be refused at the door with a
    message rather than surface later as a server error. Other control
    characters are refused because they are invisible and can only be there to
    confuse a reader or a moderator.
    """
    if "\x00" in text:
        return _(
            "Your text contains a NUL character, which can't be stored. Remove it and try again."
        )
    if _SURROGATE.search(text):
        return _(
            "Your text contains a broken character (a lone surrogate), which can't be stored. "
            "Retype the text around it and try again."
        )
    if _CONTROL.search(text):
        return _(
            "Your text contains an invisible control character, which can't be stored. "
            "Remove it and try again."
        )
    return None


def normalize_newlines(text: str) -> str:
    r"""Turn Windows (``\r\n``) and old Mac (``\r``) line ends into ``\n``.

    Browsers submit textareas with CRLF; storing one kind of line end keeps
    lengths, edits and diffs consistent whichever way the text arrived.
    """
    return _NEWLINES.sub("\n", text)
