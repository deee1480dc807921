"""System checks for the OpenID Connect settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

from django.conf import settings
from django.core import checks

REQUIRED = ("SOUNDOFF_OIDC_ISSUER", "SOUNDOFF_OIDC_CLIENT_ID", "SOUNDOFF_OIDC_CLIENT_SECRET")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_oidc_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    given = [name for name in REQUIRED if getattr(settings, name, "")]
    if not given:
        return []
    if len(given) < len(REQUIRED):
        missing = ", ".join(name for name in REQUIRED if name not in given)
        return [
            checks.Error(
                f"Sign-in with the newsroom's accounts needs {missing} too; set all of "
                f"{', '.join(REQUIRED)}, or none to turn it off.",
                id="oidc.E001",
            )
        ]
    issuer = urlsplit(settings.SOUNDOFF_OIDC_ISSUER)
    # A provider on this machine over plain HTTP is for trying it out (DEBUG)
    # and for the test provider; readers' browsers could not reach it.
    on_loopback = issuer.scheme == "http" and issuer.hostname in LOOPBACK
    trying_out = settings.DEBUG or settings.SOUNDOFF_TESTING
    if not (issuer.scheme == "https" and issuer.hostname) and not (on_loopback and trying_out):
        return [
            checks.Error(
                "SOUNDOFF_OIDC_ISSUER must be an https:// URL, exactly as the provider's "
                f"discovery document names its issuer, not {_shown(issuer)!r}.",
                hint="http://localhost is accepted only with SOUNDOFF_DEBUG=true.",
                id="oidc.E002",
            )
        ]
    return []


def _shown(url: SplitResult) -> str:
    """``url`` without any user or password it holds (a message may end up
    in a log others read)."""
    return urlunsplit(url._replace(netloc=url.netloc.rpartition("@")[2]))


def register() -> None:
    checks.register(check_oidc_settings, "soundoff")
