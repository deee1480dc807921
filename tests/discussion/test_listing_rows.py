"""Listings are built from rows, not models, and show exactly what the
model would: the same HTML on the page, the same CommentOut in the API, the
same answers to who may see and edit, for every status."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from ninja.renderers import JSONRenderer

from soundoff.accounts.models import User
from soundoff.api.schemas import CommentOut, CommentPageOut, listing_body
from soundoff.discussion import queries
from soundoff.discussion.models import Comment, CommentStatus
from soundoff.discussion.rows import listing, rows_of
from testkit.cast import make_comment


@pytest.fixture
def seeded(post, alice, bob) -> list[Comment]:
    """One comment of each status, an edited and featured one, reactions,
    a picture, and text that the sanitizer had to escape."""
    User.objects.filter(pk=bob.pk).update(avatar_digest="0123456789abcdef0123456789abcdef")
    made = []
    for n, (author, status) in enumerate(
        [(alice, s) for s in CommentStatus] + [(bob, CommentStatus.VISIBLE)]
    ):
        made.append(
            make_comment(
                post.thread,
                author,
                f"Comment *{n}* <script>x</script> & y",
                status=status,
                featured=n == 0,
                reaction_count=n,
                edited_at=post.published_at + timedelta(minutes=n) if n % 2 else None,
            )
        )
    return made


def _row(comment: Comment):
    (row,) = rows_of(listing(Comment.objects.filter(pk=comment.pk)))
    return row


def test_a_row_renders_the_comment_as_the_model_does(seeded, alice, bob, moderator):
    for comment in seeded:
        for user in (None, alice, bob, moderator):
            context = {"user": user, "can_react": user is not None, "reader_reactions": {}}
            as_model = render_to_string(
                "discussion/comment.html",
                {**context, "node": queries.CommentNode(Comment.objects.get(pk=comment.pk))},
            )
            as_row = render_to_string(
                "discussion/comment.html", {**context, "node": queries.CommentNode(_row(comment))}
            )
            assert as_row == as_model, (comment.status, user)


def test_a_row_answers_the_rules_as_the_model_does(seeded, alice, bob, moderator):
    for comment in Comment.objects.filter(pk__in=[c.pk for c in seeded]):
        row = _row(comment)
        for user in (None, alice, bob, moderator):
            assert row.is_visible_to(user) == comment.is_visible_to(user)
            assert row.is_known_to(user) == comment.is_known_to(user)
            assert row.can_be_edited_by(user) == comment.can_be_edited_by(user)
            assert row.can_be_deleted_by(user) == comment.can_be_deleted_by(user)
        assert row.get_absolute_url() == comment.get_absolute_url()
        assert row.author.avatar_url() == comment.author.avatar_url()


def test_the_api_listing_is_what_commentout_makes_of_each_comment(seeded, post):
    request = RequestFactory().get("/")
    page = queries.thread_page(post.thread)
    body = listing_body(request, page.nodes, page.next_cursor)
    CommentPageOut.model_validate_json(body)  # the schema the OpenAPI document states
    items = json.loads(body)["items"]
    shown = Comment.objects.filter(pk__in=[c.pk for c in seeded], status=CommentStatus.VISIBLE)
    assert [item["id"] for item in items] == [c.pk for c in shown]
    for item, comment in zip(items, shown, strict=True):
        expected = JSONRenderer().render(
            request, CommentOut.of(comment).model_dump(), response_status=200
        )
        assert item == json.loads(expected)
