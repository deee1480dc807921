"""Bad input gets one error shape and writes nothing: malformed JSON, unknown
fields, wrong types, oversized bodies, text no database can store."""

import json

import pytest

from soundoff.discussion.models import Comment, Thread
from soundoff.moderation.models import Flag

PAGE = "https://news.example.org/story"


@pytest.fixture
def send(client, bearer, alice):
    def post(path, raw, method="post", user=alice):
        return getattr(client, method)(
            path,
            raw if isinstance(raw, (str, bytes)) else json.dumps(raw),
            content_type="application/json",
            headers=bearer(user),
        )

    return post


@pytest.mark.parametrize("raw", ['{"body": "unfinished', "{'body': 'single'}", b"\xff\xfe{}"])
def test_malformed_json_is_a_400(send, thread, raw, error_of):
    assert error_of(send("/api/v1/comments", raw), 400) == "malformed"
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/comments", {"thread": 0, "body": "Hi", "is_staff": True}),
        ("/api/v1/comments", {"thread": 0, "body": "Hi", "status": "visible"}),
        ("/api/v1/me/policies", {"documents": [1], "user": 2}),
    ],
)
def test_unknown_fields_are_refused(send, thread, path, payload, error_of):
    payload = {k: (thread.pk if v == 0 else v) for k, v in payload.items()}
    response = send(path, payload)
    assert error_of(response, 422) == "invalid"
    assert "Extra inputs are not permitted" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_unknown_fields_are_refused_on_edits_reactions_and_flags(
    send, thread, alice, bob, say, error_of
):
    comment = say(thread, alice, "Original")
    path = f"/api/v1/comments/{comment.pk}"
    assert error_of(send(path, {"body": "x", "author": 9}, "patch"), 422) == "invalid"
    assert error_of(send(f"{path}/reactions", {"kind": "agree", "n": 5}, user=bob), 422)
    assert error_of(send(f"{path}/flags", {"rule": 1, "weight": 9}, user=bob), 422)
    comment.refresh_from_db()
    assert (comment.body, comment.reaction_count, comment.open_flags) == ("Original", 0, 0)


@pytest.mark.parametrize(
    "payload",
    [
        {"thread": "one", "body": "Hi"},
        {"thread": 1, "body": 5},
        {"thread": 1, "body": ["Hi"]},
        {"thread": 1, "body": None},
        {"thread": 1, "body": "Hi", "parent": "first"},
        {"thread": 1},
        [],
        '"just a string"',
        42,
        None,
    ],
)
def test_wrong_types_are_refused(send, thread, payload, error_of):
    if isinstance(payload, dict) and payload.get("thread") == 1:
        payload["thread"] = thread.pk
    assert error_of(send("/api/v1/comments", payload), 422) == "invalid"
    assert not Comment.objects.exists()


def test_a_refusal_names_the_field(send, thread, error_of):
    response = send("/api/v1/comments", {"thread": "one", "body": 5})
    assert error_of(response, 422) == "invalid"
    detail = response.json()["detail"]
    assert "thread: Input should be a valid integer" in detail
    assert "body: Input should be a valid string" in detail


def test_wrong_types_elsewhere(send, error_of, policies):
    assert error_of(send("/api/v1/me/policies", {"documents": "all"}), 422) == "invalid"
    assert error_of(send("/api/v1/me/policies", {"documents": [{"id": 1}]}), 422) == "invalid"


def test_an_oversized_body_is_a_413(send, thread, settings, error_of):
    settings.SOUNDOFF_API_MAX_BODY = 1000
    response = send("/api/v1/comments", {"thread": thread.pk, "body": "x" * 2000})
    assert error_of(response, 413) == "too_large"
    assert "1000" in response.json()["detail"]
    assert not Comment.objects.exists()
    small = send("/api/v1/comments", {"thread": thread.pk, "body": "x" * 500})
    assert small.status_code == 201


def test_a_chunked_body_of_unknown_length_is_refused_unread(
    client, bearer, alice, thread, error_of
):
    # Served by the gateway, a chunked body is counted and given a length;
    # any other server hands Django a body it would read as empty.
    raw = json.dumps({"thread": thread.pk, "body": "x" * 100_000}).encode()
    response = client.generic(
        "POST",
        "/api/v1/comments",
        raw,
        content_type="application/json",
        headers={**bearer(alice), "Transfer-Encoding": "chunked"},
        CONTENT_LENGTH="",
    )
    assert error_of(response, 411) == "length_required"
    assert response.json()["detail"] == "Send the request body with a Content-Length header."
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("escape", "words"), [("\\u0000", "NUL character"), ("\\ud800", "lone surrogate")]
)
def test_unstorable_text_is_refused_with_a_reason(
    send, thread, alice, bob, say, embed_origin, escape, words, error_of
):
    comment = say(thread, alice, "Original")
    attempts = [
        ("/api/v1/comments", f'{{"thread": {thread.pk}, "body": "a{escape}b"}}', "post", alice),
        (
            "/api/v1/comments",
            f'{{"page_url": "{PAGE}", "title": "T{escape}", "body": "ok"}}',
            "post",
            alice,
        ),
        (f"/api/v1/comments/{comment.pk}", f'{{"body": "x{escape}"}}', "patch", alice),
        (f"/api/v1/comments/{comment.pk}/flags", f'{{"explanation": "{escape}"}}', "post", bob),
    ]
    for path, raw, method, user in attempts:
        response = send(path, raw, method, user)
        assert error_of(response, 422) == "invalid", path
        assert words in response.json()["detail"], response.json()
    comment.refresh_from_db()
    assert comment.body == "Original"
    assert Comment.objects.count() == 1
    assert Thread.objects.filter(page_url__isnull=False).count() == 0
    assert not Flag.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/posts/water%00main",
        "/api/v1/threads?post=water%00main",
        "/api/v1/counts?post=a%00b",
        "/api/v1/counts?url=https://news.example.org/%00",
    ],
)
def test_nul_in_the_address_is_refused(client, post, path, error_of):
    assert error_of(client.get(path), 422) == "invalid"


def test_too_many_query_parameters_are_refused_in_shape(client, db, error_of):
    response = client.get("/api/v1/posts", {"x": [str(n) for n in range(2000)]})
    assert error_of(response, 422) == "too_many"


def test_errors_django_answers_come_in_the_shape_too(client, db, error_of):
    refused = client.put("/api/v1/posts")
    assert error_of(refused, 405) == "method_not_allowed"
    assert refused["Allow"] == "GET"
    assert error_of(client.get("/api/v1/no-such-thing"), 404) == "not_found"
    assert error_of(client.get("/api/v1/comments/abc"), 422) == "invalid"
