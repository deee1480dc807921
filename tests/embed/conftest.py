"""What the embed tests share: one site allowed to embed, one that is not."""

import pytest

from soundoff.embed.models import AllowedOrigin

ALLOWED = "https://news.example.org"
REFUSED = "https://scraper.example.net"


@pytest.fixture
def allowed_origin(db) -> str:
    """An outside site on the allow-list (added in the admin)."""
    AllowedOrigin.objects.create(origin=ALLOWED, note="Our partner paper")
    return ALLOWED


@pytest.fixture
def refused_origin() -> str:
    """An outside site that nobody added to the allow-list."""
    return REFUSED
