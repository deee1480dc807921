"""Schemathesis over /api/openapi.json: no 5xx, and every answer in the schema.

The WSGI app runs in-process on the test's own thread, so each operation's
requests share pytest-django's transaction (and its rollback) with the world
built here: a published post with a discussion, two readers, an allowed
origin. Each operation runs twice: as generated (mostly anonymous, mostly
ids that don't exist), and signed in with a bearer token against the ids of
that world, so that the write endpoints get past sign-in and lookups.
"""

from dataclasses import dataclass

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections

from soundoff.accounts.models import User
from soundoff.api.tokens import issue_token
from soundoff.discussion.models import Comment
from soundoff.newsroom.models import Post
from soundoff.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
EXAMPLES = hypothesis.settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@dataclass
class World:
    post: Post
    alices: Comment
    bobs: Comment
    reply: Comment
    token: str


@pytest.fixture
def same_connection():
    """Keep the test's connection open across the app's requests, as Django's
    test client does: at the end of each request the handler would close it,
    and the test's transaction with it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(
    same_connection, alice: User, bob: User, post: Post, say, embed_origin, settings
) -> World:
    # Generated writes come fast: let them through to the services' other checks.
    settings.SOUNDOFF_COMMENT_RATE = settings.SOUNDOFF_IP_COMMENT_RATE = "10000/60"
    settings.SOUNDOFF_COMMENT_RATE_SUSTAINED = "10000/3600"
    settings.SOUNDOFF_IP_COMMENT_RATE_SUSTAINED = settings.SOUNDOFF_FLAG_RATE = "10000/3600"
    alices = say(post.thread, alice, "Alice's *view*")
    bobs = say(post.thread, bob, "Bob's reply to the story")
    reply = say(post.thread, alice, "A reply", parent=bobs)
    return World(post, alices, bobs, reply, issue_token(alice))


@schema.parametrize()
@EXAMPLES
def test_generated_requests(case, world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_signed_in_requests_on_real_ids(case, world):
    own = case.method.upper() in ("PATCH", "DELETE") and "reactions" not in case.path
    known = {
        "slug": world.post.slug,
        "thread_id": world.post.thread.pk,
        "comment_id": (world.alices if own else world.bobs).pk,
    }
    for name in case.path_parameters or {}:
        if name in known:
            case.path_parameters[name] = known[name]
    if case.path == "/api/v1/comments" and isinstance(case.body, dict):
        # A comment on the world's thread, replying to a comment of it.
        case.body.pop("page_url", None)
        case.body["thread"] = world.post.thread.pk
        if case.body.get("parent") is not None:
            case.body["parent"] = world.bobs.pk
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {world.token}"})
