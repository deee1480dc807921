"""Throttles on the doors into an account: log-in, registration, password
reset and claims of imported comments.

Each attempt counts twice: once for the e-mail address typed (so that one
account can't be guessed at from many addresses) and once for the client's
IP address (so that one client can't try many accounts). The counters are
fixed windows in the shared cache (soundoff.lib.ratelimit: shared by the
workers of one machine, and by every instance with Redis), so a refusal
always ends with its window:
nobody is locked out for good, and an attacker hammering someone's address
delays them by one window at most.

The address is counted whether or not an account has it, so the refusal
itself says nothing about who is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from soundoff.lib.client import client_ip
from soundoff.lib.ratelimit import hit_each, wait_text


class Door(StrEnum):
    """What is being attempted; each names its two settings, e.g.
    SOUNDOFF_LOGIN_RATE (per address) and SOUNDOFF_IP_LOGIN_RATE."""

    LOGIN = "login"
    REGISTER = "register"
    RESET = "reset"
    CLAIM = "claim"


@dataclass(frozen=True)
class Refusal:
    """Too many attempts: the message for the form, and the seconds to wait."""

    message: str
    retry_after: int

    def apply(self, response: HttpResponse) -> HttpResponse:
        """Make ``response`` (the form, shown again with the message) a 429."""
        response.status_code = 429
        response["Retry-After"] = str(self.retry_after)
        return response


def attempt(door: Door, request: HttpRequest, *, email: str) -> Refusal | None:
    """Count one attempt at ``door`` for ``email`` from the client of
    ``request``; return a Refusal when either limit is exceeded."""
    setting = door.upper()
    counters = [(f"{door}:address:{email.strip().lower()}", f"SOUNDOFF_{setting}_RATE")]
    ip = client_ip(request)
    if ip:
        counters.append((f"{door}:ip:{ip}", f"SOUNDOFF_IP_{setting}_RATE"))
    decision = hit_each(counters)
    if decision.allowed:
        return None
    return Refusal(
        message=_("Too many attempts. For your safety, wait %(wait)s and try again.")
        % {"wait": wait_text(decision.retry_after)},
        retry_after=decision.retry_after,
    )
