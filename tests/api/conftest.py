"""What the API tests share: an allowed embedding origin, signed-in clients,
comments written straight to the database, and the one error shape."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from soundoff.accounts.models import PolicyKind, User
from soundoff.accounts.queries import current_policies
from soundoff.api.tokens import issue_token
from soundoff.discussion.models import Comment, CommentStatus, Thread

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
    """A comment written straight to the database (no pipeline, no rate
    limit), for tests that need many or need them at chosen times."""

    def make(
        thread: Thread,
        author: User,
        body: str = "A comment.",
        *,
        parent: Comment | None = None,
        at: datetime | None = None,
        reactions: int = 0,
        status: CommentStatus = CommentStatus.VISIBLE,
    ) -> Comment:
        policies = current_policies()
        comment = Comment.objects.create(
            thread=thread,
            author=author,
            body=body,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            created_at=at or timezone.now() - timedelta(minutes=1),
            reaction_count=reactions,
            status=status,
            terms_version=policies[PolicyKind.TERMS],
            privacy_version=policies[PolicyKind.PRIVACY],
        )
        # As every write does: the version moves, so cached pages are rebuilt.
        visible = status == CommentStatus.VISIBLE
        Thread.objects.filter(pk=thread.pk).changed(count_delta=int(visible))
        return comment

    return make


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
