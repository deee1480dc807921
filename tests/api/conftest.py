"""What the API tests share: an allowed embedding origin, signed-in clients,
comments written straight to the database, and the one error shape."""

from collections.abc import Callable

import pytest
from django.test import Client

from soundoff.accounts.models import User
from soundoff.api.tokens import issue_token
from soundoff.discussion.models import Comment
from testkit import cast

EMBED_ORIGIN = "https://news.example.org"


@pytest.fixture(autouse=True)
def _fast_password_hashing(fast_password_hashing):
    """Every test here makes readers (see tests/conftest.py)."""


@pytest.fixture
def embed_origin(db, settings) -> str:
    """An outside site allowed to embed discussions (by setting)."""
    settings.SOUNDOFF_EMBED_ORIGINS = [EMBED_ORIGIN]
    return EMBED_ORIGIN


@pytest.fixture
def as_reader() -> Callable[[User], Client]:
    """A client signed in with the session, as on Soundoff's own pages."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def bearer() -> Callable[[User], dict[str, str]]:
    """The headers the embedded widget sends: a bearer token, no cookie."""

    def make(user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(user)}"}

    return make


@pytest.fixture
def say() -> Callable[..., Comment]:
    """A comment written straight to the database (testkit.cast.make_comment)."""
    return cast.make_comment


@pytest.fixture
def error_of() -> Callable[..., str]:
    """The error code of a response, asserting its status and that the body
    is exactly {"error", "detail"} with a detail a person can read."""

    def check(response, status: int) -> str:
        assert response.status_code == status, response.content
        body = response.json()
        assert set(body) == {"error", "detail"}, body
        assert isinstance(body["detail"], str) and body["detail"].strip()
        return body["error"]

    return check
