"""Addresses of the site's own pages by string formatting, reversed once.

A page of comments holds two or three of the site's addresses per comment
(the permalink, the author's picture). reverse() resolves the pattern each
time and costs more than everything else that goes into a listed comment,
so each named pattern is reversed once, with stand-ins where its arguments
go, and filled by formatting. The template is kept per URLconf and script
prefix, so a site mounted under a path, or a test with its own URLconf,
gets addresses exactly as reverse() would give them.
"""

from __future__ import annotations

from functools import cache

from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins no real argument looks like; digits, so that int converters
# accept them too.
_STAND_IN = 918_273_645


def address(name: str, **arguments: int | str) -> str:
    """reverse(name, kwargs=arguments), for arguments that are ids, digests
    and sizes: characters a path keeps as they are."""
    return Addresses()(name, **arguments)


class Addresses:
    """address() for the many addresses of one listing: the script prefix
    and URLconf, each a look-up in request-local state that costs about
    as much as the rest of an address, are read once."""

    def __init__(self) -> None:
        self.prefix = get_script_prefix()
        self.urlconf = get_urlconf()

    def __call__(self, name: str, **arguments: int | str) -> str:
        template = _template(name, tuple(sorted(arguments)), self.prefix, self.urlconf)
        return template.format_map(arguments)


@cache
def _template(name: str, fields: tuple[str, ...], prefix: str, urlconf: str | None) -> str:
    stand_ins = {field: _STAND_IN + n for n, field in enumerate(fields)}
    url = reverse(name, kwargs=stand_ins, urlconf=urlconf).replace("{", "{{").replace("}", "}}")
    for field, stand_in in stand_ins.items():
        if url.count(str(stand_in)) != 1:
            raise ValueError(f"The URL {name!r} can't be filled by formatting: {url}")
        url = url.replace(str(stand_in), "{" + field + "}")
    return url
