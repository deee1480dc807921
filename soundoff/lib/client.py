"""Who is asking: the client's address and user agent, as far as we can trust them.

X-Forwarded-For is written by whoever sends the request, so only the entries
appended by our own proxies can be believed. SOUNDOFF_TRUSTED_PROXY_HOPS says
how many proxies we run in front of the app; the client is that many entries
from the right. Anything to the left of it was supplied by the client and is
ignored, which is what stops a reader from dodging rate limits or bans by
sending a made-up header.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

USER_AGENT_MAX_LENGTH = 300


@dataclass(frozen=True)
class ClientInfo:
    """The request facts that services may record, without the request itself."""

    ip: str
    user_agent: str


def _address(text: str) -> str | None:
    """Return ``text`` as a canonical IP address, or None if it is not one.

    Canonical so that one client is one key: IPv6 is compressed and an
    IPv4-mapped IPv6 address ("::ffff:203.0.113.9") becomes the IPv4 one.
    """
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def _trusted_hops() -> int:
    """Read SOUNDOFF_TRUSTED_PROXY_HOPS, refusing values that would trust too much."""
    hops = settings.SOUNDOFF_TRUSTED_PROXY_HOPS
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        raise ImproperlyConfigured(
            "SOUNDOFF_TRUSTED_PROXY_HOPS must be the number of proxies in front of the app "
            f"that append to X-Forwarded-For (0 when there are none), not {hops!r}."
        )
    return hops


def client_ip(request: HttpRequest) -> str:
    """Return the client's IP address, or "" if the server gave none we can read.

    With N trusted proxies, the Nth entry from the right of X-Forwarded-For is
    the address our outermost proxy saw. A header too short or with an entry
    that is not an address means the proxies are not as configured; then the
    direct peer (REMOTE_ADDR) is used, since it at least can't be forged.
    """
    remote = _address(request.META.get("REMOTE_ADDR", "")) or ""
    hops = _trusted_hops()
    if hops == 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return remote
    return _address(forwarded[-hops]) or remote


def _printable_user_agent(raw: str) -> str:
    """Drop control characters and cut to USER_AGENT_MAX_LENGTH.

    The header is free text chosen by the client, handed to services in a
    ClientInfo; it must neither break what reads it nor run on without end.
    Nothing stores it (see soundoff.accounts.retention).
    """
    printable = "".join(char for char in raw if char.isprintable())
    return printable[:USER_AGENT_MAX_LENGTH]


def client_info(request: HttpRequest) -> ClientInfo:
    """Collect what services may know about the client making ``request``."""
    return ClientInfo(
        ip=client_ip(request),
        user_agent=_printable_user_agent(request.META.get("HTTP_USER_AGENT", "")),
    )
