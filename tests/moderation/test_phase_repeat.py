from datetime import timedelta

from django.utils import timezone

from soundoff.discussion.models import Comment
from soundoff.discussion.services import post_comment
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import repeat
from testkit.cast import CLIENT, make_post


def _check(author, thread, body, **extra):
    return repeat.check(
        Submission(thread=thread, author=author, body=body, client=CLIENT, **extra)
    )


def _post(thread, author, body):
    return post_comment(thread, author=author, body=body, client=CLIENT).comment


def test_the_same_text_again_is_refused(alice, thread):
    _post(thread, alice, "The council should fix the pipes.")
    verdict = _check(alice, thread, "The council should fix the pipes.")
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "repeat"
    assert "already posted" in verdict.detail


def test_case_and_spacing_do_not_make_text_new(alice, thread):
    _post(thread, alice, "The council should fix the pipes.")
    assert _check(alice, thread, "  the COUNCIL should\n\nfix the   pipes. ") is not None


def test_the_same_text_under_another_post_is_refused_too(alice, thread):
    _post(thread, alice, "Same words everywhere.")
    assert _check(alice, make_post().thread, "Same words everywhere.") is not None


def test_new_text_passes(alice, thread):
    _post(thread, alice, "The council should fix the pipes.")
    assert _check(alice, thread, "The council should fix the roads.") is None


def test_another_reader_may_say_the_same(alice, bob, thread):
    _post(thread, alice, "Agreed.")
    assert _check(bob, thread, "Agreed.") is None


def test_the_same_text_after_the_window_passes(alice, thread, settings):
    settings.SOUNDOFF_REPEAT_WINDOW = 600
    comment = _post(thread, alice, "Agreed.")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(seconds=601)
    )
    assert _check(alice, thread, "Agreed.") is None


def test_editing_a_comment_is_not_a_repeat_of_itself(alice, thread):
    comment = _post(thread, alice, "Agreed.")
    assert _check(alice, thread, "Agreed.", editing=comment) is None


def test_editing_one_comment_into_a_copy_of_another_is_refused(alice, thread):
    _post(thread, alice, "First thought.")
    second = _post(thread, alice, "Second thought.")
    assert _check(alice, thread, "First thought.", editing=second) is not None
