"""Sign-in with the newsroom's provider, as the pages see it: whether it is
configured, what the button calls it, and the claims a completed sign-in
vouches for. The protocol itself (Authlib) is in protocol.py, imported only
when a reader signs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from soundoff.accounts.models import User


@dataclass(frozen=True)
class ProviderClaims:
    """What the provider vouches for about the account that signed in."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    # Candidate display names, best first.
    names: tuple[str, ...]

    @classmethod
    def from_claims(cls, issuer: str, claims: dict[str, Any]) -> ProviderClaims:
        email = claims.get("email")
        email = email.strip() if isinstance(email, str) else ""
        if not _storable_email(email):
            email = ""
        # Only a JSON true counts (1 == True in Python, so not `in`), or the
        # string "true" that some providers send.
        flag = claims.get("email_verified")
        verified = flag is True or flag == "true"
        given = " ".join(
            part
            for part in (claims.get("given_name"), claims.get("family_name"))
            if isinstance(part, str) and part
        )
        candidates = (
            claims.get("name"),
            claims.get("preferred_username"),
            claims.get("nickname"),
            given,
            email.partition("@")[0],
        )
        return cls(
            issuer=issuer,
            subject=str(claims["sub"]),
            email=email,
            email_verified=verified and bool(email),
            names=tuple(name for name in candidates if isinstance(name, str) and name.strip()),
        )


def _storable_email(email: str) -> bool:
    """An address a reader account can hold (the field keeps 254 characters)."""
    try:
        validate_email(email)
    except ValidationError:
        return False
    limit = User._meta.get_field("email").max_length
    return limit is None or len(email) <= limit


def is_enabled() -> bool:
    return bool(settings.SOUNDOFF_OIDC_ISSUER and settings.SOUNDOFF_OIDC_CLIENT_ID)


def label() -> str:
    """How the log-in page names the provider: "Sign in with <label>"."""
    return settings.SOUNDOFF_OIDC_LABEL or _("your newsroom account")
