import pytest

from soundoff.discussion.models import DiscussionMode
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import links
from testkit.cast import CLIENT, make_post


def _check(author, thread, body, **extra):
    return links.check(Submission(thread=thread, author=author, body=body, client=CLIENT, **extra))


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("no links here, just a www-ish word", 0),
        ("see https://example.com/a?b=c and HTTP://x.org", 2),
        ("www.example.com, then (http://example.net)", 2),
        ("ftp://example.com is not counted", 0),
    ],
)
def test_count_links(text, n):
    assert links.count_links(text) == n


def test_up_to_the_limit_passes_in_an_open_discussion(alice, thread):
    assert _check(alice, thread, "https://a.example https://b.example") is None


def test_more_links_than_the_limit_are_held_and_flagged(alice, thread):
    verdict = _check(alice, thread, "https://a.example https://b.example www.c.example")
    assert verdict.outcome is Outcome.HELD
    assert verdict.reason == "links"
    assert verdict.flags == ("links",)


def test_the_limit_is_a_setting(alice, thread, settings):
    settings.SOUNDOFF_MAX_LINKS = 0
    assert _check(alice, thread, "https://a.example").outcome is Outcome.HELD


def test_any_link_is_held_where_the_post_asks(alice):
    thread = make_post(discussion=DiscussionMode.PREMODERATE_SUSPECT).thread
    assert _check(alice, thread, "https://a.example").outcome is Outcome.HELD
    assert _check(alice, thread, "No link at all.") is None


def test_edits_are_checked_too(alice, thread):
    body = "https://a.example https://b.example https://c.example"
    assert _check(alice, thread, body, editing=object()).outcome is Outcome.HELD


def test_adversarial_input_is_counted_right(alice, thread):
    # Speed is bench/'s business; LINK has no nested quantifiers to backtrack.
    assert _check(alice, thread, "http://" * 700) is None  # one long link
    assert _check(alice, thread, "www.x " * 800).outcome is Outcome.HELD
    assert _check(alice, thread, "h" * 5000) is None
