"""Which other sites may embed Soundoff and create threads for their pages."""

from __future__ import annotations

from django.conf import settings

from soundoff.lib.urls import InvalidPageURL, normalize_page_url, origin_of

from .models import AllowedOrigin


def canonical_origin(origin: str) -> str | None:
    """scheme://host[:port] as browsers send it, normalised; None if invalid."""
    try:
        return origin_of(normalize_page_url(origin))
    except InvalidPageURL:
        return None


def is_allowed(origin: str | None) -> bool:
    if not origin:
        return False
    canonical = canonical_origin(origin)
    if canonical is None:
        return False
    configured = {canonical_origin(o) for o in settings.SOUNDOFF_EMBED_ORIGINS}
    return canonical in configured or AllowedOrigin.objects.filter(origin=canonical).exists()
