from datetime import timedelta

from soundoff.discussion.models import DiscussionMode
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import closed
from soundoff.newsroom.models import PostStatus
from testkit.cast import CLIENT, make_post


def _check(author, post):
    return closed.check(Submission(thread=post.thread, author=author, body="Hi", client=CLIENT))


def test_open_discussion_on_a_published_post_passes(alice, post):
    assert _check(alice, post) is None


def test_closed_discussion_is_refused(alice):
    verdict = _check(alice, make_post(discussion=DiscussionMode.CLOSED))
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "closed"


def test_draft_and_future_scheduled_posts_are_refused(alice):
    draft = make_post(status=PostStatus.DRAFT)
    scheduled = make_post(status=PostStatus.SCHEDULED, published_ago=-timedelta(hours=2))
    assert _check(alice, draft).reason == "closed"
    assert _check(alice, scheduled).reason == "closed"


def test_a_scheduled_post_opens_once_its_time_has_come(alice):
    due = make_post(status=PostStatus.SCHEDULED, published_ago=timedelta(seconds=1))
    assert _check(alice, due) is None
