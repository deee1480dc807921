"""discussion.services.post_comment: the one path of every new comment."""

import itertools
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from soundoff.accounts.models import PolicyKind, PolicyVersion
from soundoff.discussion import services
from soundoff.discussion.errors import (
    CommentRefused,
    InvalidReply,
    NotSignedIn,
    PoliciesNotAccepted,
    RateLimited,
)
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Thread
from soundoff.lib.text import render_comment
from soundoff.moderation.discussion_settings import update_word_list
from soundoff.newsroom.models import PostStatus
from testkit.at_once import run_at_once
from testkit.cast import CLIENT, make_post, make_reader

_bodies = itertools.count(1)


def _post(thread, author, body=None, **kwargs):
    body = f"Sounds right to me, take {next(_bodies)}." if body is None else body
    return services.post_comment(thread, author=author, body=body, client=CLIENT, **kwargs)


def test_a_comment_is_visible_at_once_and_counted(alice, thread):
    result = _post(thread, alice, "**Bold** take & <script>alert(1)</script>")
    thread.refresh_from_db()
    assert result.is_visible and result.created
    assert result.comment.status == CommentStatus.VISIBLE
    assert thread.comment_count == 1
    assert thread.version == 2
    assert "<strong>Bold</strong>" in result.comment.body_html
    assert "<script>" not in result.comment.body_html
    assert result.comment.body == "**Bold** take & <script>alert(1)</script>"


def test_it_records_the_policy_versions_in_force(alice, thread):
    comment = _post(thread, alice).comment
    assert comment.terms_version.kind == PolicyKind.TERMS
    assert comment.privacy_version.kind == PolicyKind.PRIVACY
    assert comment.terms_version.is_published


def test_logged_out_readers_are_refused(thread):
    with pytest.raises(NotSignedIn):
        _post(thread, AnonymousUser())
    assert not Comment.objects.exists()


def test_readers_must_accept_the_current_policies(newcomer, thread):
    with pytest.raises(PoliciesNotAccepted) as refused:
        _post(thread, newcomer)
    assert {d.kind for d in refused.value.documents} == {"terms", "privacy"}
    assert not Comment.objects.exists()


def test_a_new_terms_version_requires_accepting_again(alice, thread):
    PolicyVersion.objects.create(
        kind="terms", version=2, title="Terms", body="New terms.", published_at=timezone.now()
    )
    with pytest.raises(PoliciesNotAccepted) as refused:
        _post(thread, alice)
    assert [(d.kind, d.version) for d in refused.value.documents] == [("terms", 2)]


def test_a_draft_terms_version_is_not_yet_required(alice, thread):
    PolicyVersion.objects.create(
        kind="terms",
        version=2,
        title="Terms",
        body="Draft.",
        published_at=timezone.now() + timedelta(days=1),
    )
    assert _post(thread, alice).is_visible


def test_the_text_is_stored_with_normalised_newlines(alice, thread):
    assert _post(thread, alice, "one\r\ntwo\rthree").comment.body == "one\ntwo\nthree"


@pytest.mark.parametrize(
    "body, reason",
    [
        ("", "empty"),
        ("  \n ", "empty"),
        ("x" * 5001, "too_long"),
        ("nul \x00", "unstorable"),
        ("half \udfff", "unstorable"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(alice, thread, body, reason):
    with pytest.raises(CommentRefused) as refused:
        _post(thread, alice, body)
    assert refused.value.code == reason
    assert refused.value.http_status == 422
    assert not Comment.objects.exists()
    thread.refresh_from_db()
    assert (thread.comment_count, thread.version) == (0, 1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"discussion": DiscussionMode.CLOSED},
        {"status": PostStatus.DRAFT},
        {"status": PostStatus.SCHEDULED, "published_ago": -timedelta(hours=3)},
    ],
)
def test_closed_draft_and_scheduled_posts_take_no_comments(alice, kwargs):
    post = make_post(**kwargs)
    with pytest.raises(CommentRefused) as refused:
        _post(post.thread, alice)
    assert refused.value.code == "closed"
    assert not Comment.objects.exists()


def test_the_rate_limit_refuses_with_a_retry_time(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "2/3600"
    _post(thread, alice)
    _post(thread, alice)
    with pytest.raises(RateLimited) as refused:
        _post(thread, alice)
    assert 0 < refused.value.retry_after <= 3600
    assert Comment.objects.count() == 2


def test_replies_nest_under_their_parent(alice, bob, thread):
    top = _post(thread, alice).comment
    reply = _post(thread, bob, parent=top).comment
    deeper = _post(thread, alice, parent=reply).comment
    assert (reply.parent, reply.root, reply.depth) == (top, top, 1)
    assert (deeper.parent, deeper.root, deeper.depth) == (reply, top, 2)


def test_replies_past_the_depth_limit_join_the_deepest_level(alice, bob, thread, settings):
    settings.SOUNDOFF_REPLY_DEPTH = 2
    top = _post(thread, alice).comment
    first = _post(thread, bob, parent=top).comment
    second = _post(thread, alice, parent=first).comment
    too_deep = _post(thread, bob, parent=second).comment
    assert second.depth == 2
    assert too_deep.parent == first
    assert too_deep.depth == 2


def test_a_reply_at_the_deepest_level_under_a_deleted_comment_is_taken(
    alice, bob, thread, settings
):
    """The comment answered must be visible; the one the reply then hangs
    under (its parent, at the deepest level) need not be."""
    settings.SOUNDOFF_REPLY_DEPTH = 1
    top = _post(thread, alice).comment
    answered = _post(thread, bob, parent=top).comment
    services.delete_comment(top, by=alice)
    reply = _post(thread, alice, parent=answered).comment
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 1)
    assert reply.is_visible


def test_a_reply_to_a_comment_of_another_post_is_refused(alice, thread):
    elsewhere = _post(make_post().thread, alice).comment
    with pytest.raises(InvalidReply):
        _post(thread, alice, parent=elsewhere)
    assert Comment.objects.filter(thread=thread).count() == 0


def test_a_reply_to_a_deleted_comment_is_refused(alice, bob, thread):
    gone = services.delete_comment(_post(thread, alice).comment, by=alice)
    with pytest.raises(InvalidReply):
        _post(thread, bob, parent=gone)
    assert Comment.objects.count() == 1


def test_the_same_submission_twice_creates_one_comment(alice, thread):
    key = uuid.uuid4()
    first = _post(thread, alice, submission_key=key)
    second = _post(thread, alice, submission_key=key)
    assert first.created and not second.created
    assert first.comment.pk == second.comment.pk
    thread.refresh_from_db()
    assert thread.comment_count == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_submission_racing_creates_one_comment(policies):
    alice = make_reader("Racer")
    thread = make_post().thread
    key = uuid.uuid4()
    results = run_at_once(
        [lambda: _post(Thread.objects.get(pk=thread.pk), alice, submission_key=key)] * 4
    )
    assert [result for result in results if isinstance(result, Exception)] == []
    assert Comment.objects.filter(submission_key=key).count() == 1
    assert len({result.comment.pk for result in results}) == 1
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_posting_reads_the_policies_and_the_word_lists_only_after_they_change(
    alice, thread, moderator
):
    from django.test.utils import CaptureQueriesContext

    def reads():
        with CaptureQueriesContext(connection) as queries:
            _post(thread, alice)
        sqls = [q["sql"] for q in queries.captured_queries]
        return tuple(
            sum(f'FROM "{table}"' in sql for sql in sqls)
            for table in ("accounts_policyversion", "moderation_wordlist")
        )

    assert reads() <= (2, 1)  # the first read (the policies: in force, and due next)
    assert reads() == (0, 0)
    update_word_list("suspect", words="soggy", rule_number=None, by=moderator)
    assert reads() == (0, 1)


def test_posting_renders_the_text_once(alice, thread):
    # The word checks render the text to read what readers see, and saving
    # stores the same rendering: the second is answered from the cache.
    render_comment.cache_clear()
    services.post_comment(thread, author=alice, body="Rendered *once*.", client=CLIENT)
    assert render_comment.cache_info().misses == 1
    assert render_comment.cache_info().hits >= 1
