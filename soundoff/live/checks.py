"""System checks for the live-update settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

POSITIVE = (
    "SOUNDOFF_LIVE_HEARTBEAT",
    "SOUNDOFF_LIVE_MAX_AGE",
    "SOUNDOFF_LIVE_STREAMS_PER_IP",
    "SOUNDOFF_LIVE_QUEUE",
    "SOUNDOFF_LIVE_HISTORY",
    "SOUNDOFF_LIVE_RETRY",
)


def check_live_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for name in POSITIVE:
        value = getattr(settings, name, None)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(
                checks.Error(
                    f"{name} must be a whole number above zero, not {value!r}.",
                    id="live.E001",
                )
            )
    heartbeat = getattr(settings, "SOUNDOFF_LIVE_HEARTBEAT", 0)
    max_age = getattr(settings, "SOUNDOFF_LIVE_MAX_AGE", 0)
    if not errors and heartbeat >= max_age:
        errors.append(
            checks.Error(
                "SOUNDOFF_LIVE_HEARTBEAT must be shorter than SOUNDOFF_LIVE_MAX_AGE: a stream's "
                "age is checked at each heartbeat.",
                id="live.E002",
            )
        )
    return errors


def register() -> None:
    checks.register(check_live_settings, "soundoff")
