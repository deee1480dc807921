"""Typed reads of environment variables, for settings.py.

Text and lists are the default only when the variable is unset: set blank,
they are blank, and soundoff.checks refuses that where it can't serve (no
allowed host at all). The typed reads take a blank value for the default, and
raise ImproperlyConfigured naming the variable when its value is not of the
type: no setting could hold it, so the settings stop loading there. Whether a
value of the right type makes sense is soundoff.checks' business.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def _env_number[N: (int, float)](name: str, default: N, kind: type[N], form: str) -> N:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {form}, not {raw!r}.") from None


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number, such as 0.8")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, whatever the case it is written in."""
    raw = env_str(name)
    if not raw:
        return default
    if raw.upper() not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
    return raw.upper()
