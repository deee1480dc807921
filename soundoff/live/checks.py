"""System checks for the live-update settings.

Each value's own rule (a whole number above zero) is in soundoff/checks.py
with every other setting's; this is how two of them relate.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def check_live_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    heartbeat = settings.SOUNDOFF_LIVE_HEARTBEAT
    max_age = settings.SOUNDOFF_LIVE_MAX_AGE
    if isinstance(heartbeat, int) and isinstance(max_age, int) and heartbeat >= max_age:
        return [
            checks.Error(
                "SOUNDOFF_LIVE_HEARTBEAT must be shorter than SOUNDOFF_LIVE_MAX_AGE: a stream's "
                "age is checked at each heartbeat.",
                id="live.E002",
            )
        ]
    return []


def register() -> None:
    checks.register(check_live_settings, "soundoff")
