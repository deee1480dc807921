"""Canonical page URLs, so that one page has one discussion.

An embedding page may be reached as http://Example.org:80/story?utm_source=x#top
and as https://example.org/story: both must find the same thread. We keep
the scheme (a site moving to HTTPS is a different origin for CORS anyway),
lower-case the host, drop default ports, the fragment and tracking
parameters, and sort what query remains.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref", "ref_src", "_ga", "s_cid"}
)
MAX_LENGTH = 1000


class InvalidPageURL(ValueError):
    pass


def normalize_page_url(raw: str) -> str:
    """The canonical form of an http(s) page URL; InvalidPageURL otherwise."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_LENGTH or any(ord(c) < 33 for c in raw):
        raise InvalidPageURL(_("Give the page's full http or https address."))
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise InvalidPageURL(_("That page address is malformed.")) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise InvalidPageURL(_("Give the page's full http or https address."))
    if parts.username or parts.password:
        raise InvalidPageURL(_("Page addresses may not carry a user name or password."))
    host = parts.hostname.lower().rstrip(".")
    if port and not (scheme == "http" and port == 80) and not (scheme == "https" and port == 443):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(TRACKING_PREFIXES) and key.lower() not in TRACKING_PARAMETERS
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def origin_of(url: str) -> str:
    """scheme://host[:port] of a (normalised) URL, as browsers send in Origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
