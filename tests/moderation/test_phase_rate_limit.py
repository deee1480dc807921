from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import rate_limit
from soundoff.testing import CLIENT


def _submission(author, thread, **extra):
    return Submission(thread=thread, author=author, body="Hi", client=CLIENT, **extra)


def test_reader_over_the_rate_is_refused_with_retry_after(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "2/60"
    assert rate_limit.check(_submission(alice, thread)) is None
    assert rate_limit.check(_submission(alice, thread)) is None
    verdict = rate_limit.check(_submission(alice, thread))
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "rate_limited"
    assert 0 < verdict.retry_after <= 60


def test_limits_are_per_reader(alice, bob, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "1/60"
    assert rate_limit.check(_submission(alice, thread)) is None
    assert rate_limit.check(_submission(bob, thread)) is None
    assert rate_limit.check(_submission(alice, thread)) is not None


def test_edits_are_not_counted(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "1/60"
    assert rate_limit.check(_submission(alice, thread)) is None
    for _ in range(5):
        assert rate_limit.check(_submission(alice, thread, editing=object())) is None
