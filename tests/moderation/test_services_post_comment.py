"""The pipeline end to end, through discussion.services.post_comment and
edit_comment: what is written for a held, a flagged and a refused comment."""

import pytest

from soundoff.discussion.errors import CommentRefused, RateLimited
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode
from soundoff.discussion.services import edit_comment, post_comment
from soundoff.moderation.discussion_settings import update_word_list
from soundoff.moderation.models import ActionKind, Flag, ModerationAction
from testkit.cast import CLIENT, make_post

THREE_LINKS = "See https://a.example, https://b.example and www.c.example."


def _post(thread, author, body="A plain comment."):
    return post_comment(thread, author=author, body=body, client=CLIENT)


def _assert_held(result, reason, *, flags=()):
    comment = Comment.objects.get(pk=result.comment.pk)
    assert not result.is_visible
    assert (comment.status, comment.held_reason) == (CommentStatus.HELD, reason)
    comment.thread.refresh_from_db()
    assert comment.thread.comment_count == 0
    assert comment.thread.version == 2  # the queue and the author's view change
    action = ModerationAction.objects.get(comment=comment)
    assert (action.action, action.actor, action.user) == (ActionKind.HELD, None, comment.author)
    assert (action.status_after, action.reason_code) == ("held", reason)
    stored = Flag.objects.filter(comment=comment)
    assert sorted(stored.values_list("explanation", flat=True)) == sorted(flags)
    assert all(flag.reporter is None and flag.is_open for flag in stored)
    assert comment.open_flags == len(flags)


def test_a_premoderated_discussion_holds_the_comment(alice):
    thread = make_post(discussion=DiscussionMode.PREMODERATED).thread
    _assert_held(_post(thread, alice), "premoderated")


def test_too_many_links_hold_and_flag_the_comment(alice, thread):
    _assert_held(_post(thread, alice, THREE_LINKS), "links", flags=["links"])


def test_a_new_commenter_is_held_and_flagged(alice, thread, settings):
    settings.SOUNDOFF_PREMODERATE_FIRST = 1
    _assert_held(_post(thread, alice), "new_commenter", flags=["new_commenter"])
    assert _post(thread, alice, "My second comment.").is_visible


def test_a_suspect_word_is_held_where_the_post_asks(alice):
    update_word_list("suspect", by=None, words="lawsuit")
    thread = make_post(discussion=DiscussionMode.PREMODERATE_SUSPECT).thread
    _assert_held(
        _post(thread, alice, "See you in court: lawsuit!"), "suspect_word", flags=["suspect_word"]
    )


def test_every_check_adds_its_flag_and_the_first_hold_is_the_reason(alice, settings):
    settings.SOUNDOFF_PREMODERATE_FIRST = 1
    update_word_list("suspect", by=None, words="lawsuit")
    thread = make_post(discussion=DiscussionMode.PREMODERATE_SUSPECT).thread
    result = _post(thread, alice, f"A lawsuit. {THREE_LINKS}")
    _assert_held(result, "suspect_word", flags=["suspect_word", "links", "new_commenter"])


def test_a_visible_comment_with_a_suspect_word_is_flagged_and_counted(alice, thread):
    update_word_list("suspect", by=None, words="lawsuit")
    result = _post(thread, alice, "Expect a lawsuit.")
    comment = Comment.objects.get(pk=result.comment.pk)
    assert result.is_visible
    assert comment.open_flags == 1
    assert Flag.objects.get(comment=comment).reporter is None
    action = ModerationAction.objects.get(comment=comment)
    assert (action.action, action.actor) == (ActionKind.CHECKED, None)
    assert (action.status_after, action.reason_code) == ("visible", "suspect_word")
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_a_plain_comment_leaves_no_flags_and_no_log(alice, thread):
    assert _post(thread, alice).is_visible
    assert not Flag.objects.exists()
    assert not ModerationAction.objects.exists()


def test_a_banned_word_is_refused_citing_the_rule_and_nothing_is_written(alice, thread):
    update_word_list("banned", by=None, words="idiot", rule_number=2)
    with pytest.raises(CommentRefused, match="Rule 2") as refused:
        _post(thread, alice, "You i d i 0 t.")
    assert refused.value.code == "banned_word"
    assert refused.value.http_status == 422
    assert not Comment.objects.exists()
    # The refusal is logged, as the system's, naming the reader and the
    # reason, without the text (it was never published).
    [refusal] = ModerationAction.objects.exclude(action=ActionKind.WORDS_CHANGED)
    assert (refusal.action, refusal.actor, refusal.user, refusal.thread) == (
        ActionKind.REFUSED,
        None,
        alice,
        thread,
    )
    assert refusal.reason_code == "banned_word"
    assert "You i d i 0 t." not in refusal.note  # the word found is named, not the text


def test_an_edit_that_adds_links_holds_a_visible_comment(alice, thread):
    comment = _post(thread, alice).comment
    edit_comment(comment, by=alice, body=THREE_LINKS, client=CLIENT)
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert (comment.status, comment.held_reason) == (CommentStatus.HELD, "links")
    assert thread.comment_count == 0
    assert ModerationAction.objects.get(comment=comment).action == ActionKind.HELD


def test_an_edit_into_a_banned_word_is_refused_and_keeps_the_text(alice, thread):
    update_word_list("banned", by=None, words="idiot", rule_number=2)
    comment = _post(thread, alice).comment
    with pytest.raises(CommentRefused):
        edit_comment(comment, by=alice, body="IDIOOOT", client=CLIENT)
    comment.refresh_from_db()
    assert comment.body == "A plain comment."
    # Logged like a refused comment, although the edit's transaction rolled back.
    [refusal] = ModerationAction.objects.filter(action=ActionKind.REFUSED)
    assert (refusal.actor, refusal.user, refusal.thread) == (None, alice, thread)
    assert refusal.reason_code == "banned_word"


# --- rate limits through the service ---------------------------------------------


def test_readers_on_one_address_share_its_limit(alice, bob, thread, settings):
    settings.SOUNDOFF_IP_COMMENT_RATE = "2/3600"
    _post(thread, alice, "One.")
    _post(thread, bob, "Two.")
    with pytest.raises(RateLimited) as refused:
        _post(thread, bob, "Three.")
    assert 0 < refused.value.retry_after <= 3600
    assert refused.value.http_status == 429
    assert Comment.objects.count() == 2


def test_the_sustained_limit_refuses_when_the_burst_limit_would_allow(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    settings.SOUNDOFF_COMMENT_RATE_SUSTAINED = "3/3600"
    for n in range(3):
        _post(thread, alice, f"Comment {n}.")
    with pytest.raises(RateLimited) as refused:
        _post(thread, alice, "One too many.")
    assert "Try again in" in refused.value.detail
    assert Comment.objects.count() == 3


def test_a_burst_of_200_is_held_to_the_limit(alice, thread, monkeypatch):
    # One instant: a fixed window must not roll over in the middle of the
    # burst on a slow run.
    monkeypatch.setattr("soundoff.lib.ratelimit.time.time", lambda: 1_700_000_010.0)
    accepted, refused = 0, []
    for n in range(200):
        try:
            _post(thread, alice, f"Flood {n}.")
            accepted += 1
        except RateLimited as error:
            refused.append(error)
    assert accepted == 5  # SOUNDOFF_COMMENT_RATE, five a minute
    assert len(refused) == 195
    assert all(0 < error.retry_after <= 60 for error in refused)
    thread.refresh_from_db()
    assert thread.comment_count == 5
