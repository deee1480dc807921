"""Turning exported HTML into the Markdown source that Soundoff stores.

Disqus messages and WordPress posts and comments are HTML (WordPress's
with its "autop" convention: a blank line is a paragraph break). Soundoff
stores Markdown source and derives the HTML through one sanitizer
(soundoff.lib.text), so the HTML of an export is never stored: it is read
with the standard library's HTML parser into a small tree, and only what
Markdown can say is kept — paragraphs, line breaks, emphasis, quotes,
lists, code and http(s)/mailto links. Everything else becomes plain text or
is dropped (scripts, styles, frames). Text is escaped, so that "2*3*4" or
"[1]" in an old comment stays text instead of becoming Markdown. Whatever
this module gets wrong, the result still only reaches a page through the
sanitizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

# fmt: off
# Elements whose content is never text for a reader.
_DROPPED = frozenset({
    "script", "style", "iframe", "object", "embed", "noscript", "template", "head", "title",
    "svg", "math", "select", "textarea", "button", "frame", "frameset", "applet", "audio",
    "video", "canvas",
})
_VOID = frozenset({
    "br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "track", "wbr",
})
_BLOCKS = frozenset({
    "p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "figure",
    "figcaption", "address", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "center", "body", "html",
})
# fmt: on
_STRONG = frozenset({"b", "strong"})
_EMPHASIS = frozenset({"i", "em", "cite", "dfn"})
# Hostile input can nest tags a hundred thousand deep; past this depth tags
# are ignored (their text is kept) so that rendering never recurses deeply.
_MAX_NESTING = 40

_PARAGRAPH_BREAK = re.compile(r"[ \t\r\f\v]*\n[ \t\r\f\v]*\n\s*")
_ANY_SPACE = re.compile(r"\s{2,}|[^\S ]")
# WordPress shortcodes that wrap or stand for media; their text is kept.
_SHORTCODE = re.compile(r"\[/?(?:caption|gallery|embed|audio|video|playlist)\b[^\]]{0,500}\]")
# Unstorable or invisible: C0 and C1 controls apart from tab and line breaks,
# and lone surrogates (JSON can carry them; databases can't store them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_MAYBE_SPECIAL = re.compile(r"[\\`*\[\]_<&]")
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|<(?=[A-Za-z/!?])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What would start a block at the beginning of a line: a heading, a quote, a
# list item, a rule or setext underline, a code fence.
_LINE_START = re.compile(r"^(>|#+(?=\s|$)|[-+](?=\s|$)|[-=]+$|~~~)", re.MULTILINE)
_ORDERED_ITEM = re.compile(r"^([0-9]{1,9})([.)])", re.MULTILINE)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving HTML reader: unclosed tags close with their parent,
    stray end tags are ignored, comments and processing instructions vanish."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag in _DROPPED:
                self.dropping += 1
            return
        if tag in _DROPPED:
            self.dropping = 1
            return
        node = _Node(tag, {name: value or "" for name, value in attrs})
        if len(self.stack) > _MAX_NESTING and tag not in _VOID:
            return
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.dropping and tag not in _DROPPED:
            self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag in _DROPPED:
                self.dropping -= 1
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(clean_text(html))
    builder.close()
    return builder.root


def clean_text(text: str) -> str:
    """Normalise line ends and remove the control characters that can't be stored."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def html_to_text(html: str, *, max_length: int | None = None) -> str:
    """Plain one-line text of an HTML fragment: for headlines and page titles."""
    pieces: list[str] = []

    def walk(node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                pieces.append(child)
            else:
                walk(child)

    walk(_parse(html))
    text = _ANY_SPACE.sub(" ", "".join(pieces)).strip()
    return text[:max_length].rstrip() if max_length else text


def html_to_source(html: str, *, post: bool = False) -> str:
    """Markdown source saying what ``html`` says, for a comment (or a post).

    Posts keep headings, rules and relative links (editors link to the
    site's own pages); comments can't have them, as in soundoff.lib.text.
    """
    html = _SHORTCODE.sub("", html)
    blocks = _Converter(post=post).blocks(_parse(html).children)
    return "\n\n".join(blocks).strip()


class _Converter:
    def __init__(self, *, post: bool) -> None:
        self.post = post

    # Blocks: each is a finished piece of Markdown separated by blank lines.

    def blocks(self, children: list[_Node | str]) -> list[str]:
        blocks: list[str] = []
        line: list[str] = []

        def flush() -> None:
            text = _tidy("".join(line))
            line.clear()
            if text:
                blocks.append(text)

        for child in children:
            if isinstance(child, str):
                parts = _PARAGRAPH_BREAK.split(child) if "\n" in child else [child]
                for index, part in enumerate(parts):
                    if index:
                        flush()
                    line.append(_escape("\n".join(_squash(row) for row in part.split("\n"))))
            elif child.tag == "br":
                line.append("\n")
            elif child.tag in _BLOCKS:
                flush()
                blocks.extend(self.block(child))
            else:
                line.append(self.inline(child))
        flush()
        return blocks

    def block(self, node: _Node) -> list[str]:
        tag = node.tag
        if tag == "hr":
            return ["---"] if self.post else []
        if tag == "pre":
            return [_fence(_plain(node).strip("\n"))]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _ANY_SPACE.sub(" ", self.inline_children(node)).strip()
            if not text:
                return []
            return [f"{'#' * max(int(tag[1]), 2)} {text}" if self.post else f"**{text}**"]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node.children))
            return [_prefix(inner, "> ", "> ")] if inner else []
        if tag in ("ul", "ol"):
            items = [child for child in node.children if isinstance(child, _Node)]
            lines = []
            for number, item in enumerate(items, start=1):
                inner = "\n\n".join(self.blocks(item.children if item.tag == "li" else [item]))
                if inner:
                    marker = f"{number}. " if tag == "ol" else "- "
                    lines.append(_prefix(inner, marker, " " * len(marker)))
            return ["\n".join(lines)] if lines else []
        return self.blocks(node.children)

    # Inline content: text, emphasis, code and links inside one paragraph.

    def inline_children(self, node: _Node) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(_escape(_squash(child)))
            elif child.tag == "br":
                parts.append("\n")
            elif child.tag in _BLOCKS:
                parts.append(" " + _ANY_SPACE.sub(" ", " ".join(self.block(child))) + " ")
            else:
                parts.append(self.inline(child))
        return "".join(parts)

    def inline(self, node: _Node) -> str:
        tag = node.tag
        if tag == "img":
            return self._image(node)
        if tag == "code":
            return _code_span(_ANY_SPACE.sub(" ", _plain(node)))
        inner = self.inline_children(node)
        if tag in _STRONG or tag in _EMPHASIS:
            return _wrap(inner, "**" if tag in _STRONG else "*")
        if tag == "a":
            return self._link(node, inner)
        return inner

    def _link(self, node: _Node, inner: str) -> str:
        href = _safe_href(node.attrs.get("href", ""), relative=self.post)
        label = _ANY_SPACE.sub(" ", inner).strip()
        if not href:
            return inner
        return f"[{label or _escape(href)}]({href})"

    def _image(self, node: _Node) -> str:
        alt = _escape(_ANY_SPACE.sub(" ", node.attrs.get("alt", "")).strip())
        src = _safe_href(node.attrs.get("src", ""), relative=False)
        if self.post and src:
            return f"[{alt or 'Image'}]({src})"
        return alt


def _plain(node: _Node) -> str:
    out: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag == "br":
            out.append("\n")
        else:
            out.append(_plain(child))
    return "".join(out)


def _squash(text: str) -> str:
    """Collapse runs of whitespace to one space, keeping a leading or
    trailing one (it separates the text from its neighbours)."""
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def _escape(text: str) -> str:
    if not _MAYBE_SPECIAL.search(text):
        return text
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return _ENTITY_LIKE.sub(r"\\&", text)


def _tidy(text: str) -> str:
    """Trim each line, drop empty ones, and escape what would start a block."""
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    text = _LINE_START.sub(r"\\\1", text)
    return _ORDERED_ITEM.sub(r"\1\\\2", text)


def _prefix(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join(
        (first if index == 0 else rest) + line if line else rest.rstrip()
        for index, line in enumerate(lines)
    )


def _wrap(inner: str, marker: str) -> str:
    """Emphasis markers must touch the text, so surrounding spaces go outside."""
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _code_span(text: str) -> str:
    if not text.strip():
        return text
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"^`{3,}", text, re.MULTILINE)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


def _safe_href(raw: str, *, relative: bool) -> str:
    """An http(s) or mailto address written so Markdown can't misread it;
    "" for anything else (javascript:, data:, and relative links in comments)."""
    href = _ANY_SPACE.sub("", raw)
    if not href:
        return ""
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return ""
    site_path = relative and not scheme and href.startswith("/") and not href.startswith("//")
    if scheme not in ("http", "https", "mailto") and not site_path:
        return ""
    return quote(href, safe="/:?#[]@!$&'*+,;=%~-._")
