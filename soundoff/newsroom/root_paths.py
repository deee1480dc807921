"""The first path segments the site itself uses at its root.

Category pages live at the root (/world/) beside /accounts/, /feed/,
/admin/ and the rest. Their routes come last in the URLconf, so a category
can never hide one of those paths; this tells the category form which slugs
would give a page nobody can reach. It is read from the URLconf and the
static and media URLs, so a path added later is reserved without anyone
keeping a list in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver


def taken_root_segments() -> frozenset[str]:
    """Lower-cased first segments of every fixed root path: "accounts",
    "feed", "robots.txt", "static"…; routes that start with a variable
    (the category pages themselves) take none."""
    segments = set(_fixed_segments(get_resolver().url_patterns))
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and "://" not in url:
            segments.add(url.strip("/").split("/", 1)[0].lower())
    segments.discard("")
    return frozenset(segments)


def _fixed_segments(patterns: Iterable[URLPattern | URLResolver]) -> Iterator[str]:
    for entry in patterns:
        route = str(entry.pattern).removeprefix("^")
        if isinstance(entry, URLResolver) and route == "":
            # An include() at the root: its own routes are root paths.
            yield from _fixed_segments(entry.url_patterns)
            continue
        first = route.split("/", 1)[0]
        if first and not any(char in first for char in "<([\\?*+$"):
            yield first.lower()
