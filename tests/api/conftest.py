"""What the API tests share: an allowed embedding origin, signed-in clients,
comments written straight to the database, the one error shape, and
walking a paged list."""

from collections.abc import Callable
from typing import Any

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


@pytest.fixture
def every_page() -> Callable[..., list[Any]]:
    """``field`` of every item of a paged list, following next_cursor from
    ``url`` (``params`` go with every request); fails if the pages never end."""

    def walk(client: Client, url: str, field: str, **params: Any) -> list[Any]:
        values: list[Any] = []
        cursor = None
        for _page in range(100):
            response = client.get(url, {**params, **({"cursor": cursor} if cursor else {})})
            assert response.status_code == 200, response.content
            body = response.json()
            values += [item[field] for item in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                return values
        raise AssertionError("the pages never ended")

    return walk
