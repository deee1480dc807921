"""POST /api/v1/comments/{id}/reactions and DELETE …/reactions/{kind}."""

import pytest

from soundoff.discussion.models import CommentStatus, DiscussionMode, Reaction, Thread


@pytest.fixture
def comment(thread, alice, say):
    return say(thread, alice, "React to me")


@pytest.fixture
def react(client, bearer):
    def send(user, comment, kind="agree"):
        return client.post(
            f"/api/v1/comments/{comment.pk}/reactions",
            {"kind": kind},
            content_type="application/json",
            headers=bearer(user),
        )

    return send


@pytest.fixture
def unreact(client, bearer):
    def send(user, comment, kind="agree"):
        return client.delete(
            f"/api/v1/comments/{comment.pk}/reactions/{kind}", headers=bearer(user)
        )

    return send


def test_adding_a_reaction_twice_counts_once(react, bob, comment):
    first = react(bob, comment)
    assert first.status_code == 200, first.content
    assert first.json() == {"reaction_count": 1, "mine": ["agree"]}
    assert react(bob, comment).json() == {"reaction_count": 1, "mine": ["agree"]}
    assert Reaction.objects.count() == 1
    comment.refresh_from_db()
    assert comment.reaction_count == 1


def test_kinds_and_readers_add_up(react, alice, bob, comment):
    react(bob, comment, "agree")
    assert react(bob, comment, "funny").json() == {"reaction_count": 2, "mine": ["agree", "funny"]}
    assert react(alice, comment, "insightful").json() == {
        "reaction_count": 3,
        "mine": ["insightful"],
    }


def test_removing_is_idempotent_too(react, unreact, bob, comment):
    react(bob, comment)
    assert unreact(bob, comment).json() == {"reaction_count": 0, "mine": []}
    assert unreact(bob, comment).json() == {"reaction_count": 0, "mine": []}
    comment.refresh_from_db()
    assert comment.reaction_count == 0


def test_the_reaction_count_is_in_the_thread(client, react, bob, comment, thread):
    react(bob, comment)
    items = client.get(f"/api/v1/threads/{thread.pk}/comments").json()["items"]
    assert items[0]["reaction_count"] == 1


def test_unknown_kinds_are_refused(react, unreact, bob, comment, error_of):
    assert error_of(react(bob, comment, "love"), 422) == "invalid"
    assert error_of(unreact(bob, comment, "love"), 422) == "invalid"
    assert not Reaction.objects.exists()


def test_no_reactions_to_hidden_comments(react, bob, comment, error_of):
    comment.status = CommentStatus.DELETED
    comment.save()
    assert error_of(react(bob, comment), 403) == "forbidden"
    assert not Reaction.objects.exists()


def test_reacting_needs_a_reader(client, comment, error_of):
    response = client.post(
        f"/api/v1/comments/{comment.pk}/reactions",
        {"kind": "agree"},
        content_type="application/json",
    )
    assert error_of(response, 401) == "not_signed_in"


def test_reacting_too_fast_answers_429_with_retry_after(
    react, unreact, bob, comment, settings, error_of
):
    settings.SOUNDOFF_REACTION_RATE = "2/3600"
    react(bob, comment)
    unreact(bob, comment)

    refused = react(bob, comment, "funny")

    assert error_of(refused, 429) == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert "You are reacting faster than this site allows." in refused.json()["detail"]
    assert not Reaction.objects.exists()


def test_a_closed_discussion_keeps_its_reactions(react, unreact, bob, comment, thread, error_of):
    react(bob, comment)
    Thread.objects.filter(pk=thread.pk).changed(mode=DiscussionMode.CLOSED)

    assert error_of(react(bob, comment, "funny"), 403) == "closed"
    assert error_of(unreact(bob, comment), 403) == "closed"
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["agree"]
