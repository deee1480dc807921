"""Signed, expiring links mailed to readers (a claim, an address to confirm).

The token is a TimestampSigner signature of a small dict; each kind of link
has its own salt, so a token made for one can never be read as another.
"""

from __future__ import annotations

from typing import Any

from django.core import signing


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def make_link_token(data: dict[str, Any], *, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign_object(data)


def read_link_token(token: str, *, salt: str, max_age: int) -> dict[str, Any]:
    """The dict signed into ``token``; raises LinkExpired past ``max_age``
    seconds, LinkInvalid for anything not signed by us with ``salt``."""
    try:
        data = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid from None
    if not isinstance(data, dict):
        raise LinkInvalid
    return data
