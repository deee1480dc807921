from datetime import timedelta

from django.utils import timezone

from soundoff.discussion.models import Comment
from soundoff.discussion.services import post_comment
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import slow_mode
from testkit.cast import CLIENT, make_post


def _check(author, thread, **extra):
    return slow_mode.check(
        Submission(thread=thread, author=author, body="Hi", client=CLIENT, **extra)
    )


def _slow_thread(seconds):
    thread = make_post().thread
    thread.slow_mode_seconds = seconds
    thread.save()
    return thread


def _post(thread, author, body="A first comment."):
    return post_comment(thread, author=author, body=body, client=CLIENT).comment


def test_off_by_default(alice, thread):
    _post(thread, alice)
    assert _check(alice, thread) is None


def test_the_first_comment_passes(alice):
    assert _check(alice, _slow_thread(120)) is None


def test_a_second_comment_within_the_interval_is_refused_with_the_time(alice):
    thread = _slow_thread(120)
    _post(thread, alice)
    verdict = _check(alice, thread)
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "slow_mode"
    assert 110 <= verdict.retry_after <= 120
    assert "one comment every 120 seconds" in verdict.detail
    assert f"again in {verdict.retry_after} seconds" in verdict.detail


def test_after_the_interval_the_reader_may_post_again(alice):
    thread = _slow_thread(120)
    comment = _post(thread, alice)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(seconds=121)
    )
    assert _check(alice, thread) is None


def test_it_counts_per_reader_and_per_discussion(alice, bob):
    thread = _slow_thread(120)
    _post(thread, alice)
    _post(make_post().thread, bob)
    assert _check(bob, thread) is None
    assert _check(alice, _slow_thread(120)) is None


def test_edits_are_not_slowed(alice):
    thread = _slow_thread(120)
    comment = _post(thread, alice)
    assert _check(alice, thread, editing=comment) is None
