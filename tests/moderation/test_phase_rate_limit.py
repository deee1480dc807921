from soundoff.lib.client import ClientInfo
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import rate_limit
from testkit.cast import CLIENT


def _submission(author, thread, **extra):
    return Submission(thread=thread, author=author, body="Hi", client=CLIENT, **extra)


def test_reader_over_the_rate_is_refused_with_retry_after(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "2/3600"
    assert rate_limit.check(_submission(alice, thread)) is None
    assert rate_limit.check(_submission(alice, thread)) is None
    verdict = rate_limit.check(_submission(alice, thread))
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "rate_limited"
    assert 0 < verdict.retry_after <= 3600


def test_limits_are_per_reader(alice, bob, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "1/3600"
    assert rate_limit.check(_submission(alice, thread)) is None
    assert rate_limit.check(_submission(bob, thread)) is None
    assert rate_limit.check(_submission(alice, thread)) is not None


def test_edits_are_not_counted(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "1/3600"
    assert rate_limit.check(_submission(alice, thread)) is None
    for _ in range(5):
        assert rate_limit.check(_submission(alice, thread, editing=object())) is None


def test_readers_sharing_an_address_share_the_address_limit(alice, bob, thread, settings):
    settings.SOUNDOFF_IP_COMMENT_RATE = "2/3600"
    assert rate_limit.check(_submission(alice, thread)) is None
    assert rate_limit.check(_submission(bob, thread)) is None
    verdict = rate_limit.check(_submission(bob, thread))
    assert verdict.outcome is Outcome.REFUSED
    assert f"Try again in {verdict.retry_after} seconds" in verdict.detail


def test_another_address_has_its_own_count(alice, bob, thread, settings):
    settings.SOUNDOFF_IP_COMMENT_RATE = "1/3600"
    elsewhere = ClientInfo(ip="198.51.100.7", user_agent="pytest")
    assert rate_limit.check(_submission(alice, thread)) is None
    assert (
        rate_limit.check(Submission(thread=thread, author=bob, body="Hi", client=elsewhere))
        is None
    )


def test_without_an_address_only_the_reader_is_counted(alice, bob, thread, settings):
    settings.SOUNDOFF_IP_COMMENT_RATE = "1/3600"
    unknown = ClientInfo(ip="", user_agent="pytest")
    for reader in (alice, bob, alice, bob):
        assert (
            rate_limit.check(Submission(thread=thread, author=reader, body="Hi", client=unknown))
            is None
        )


def test_the_sustained_limit_holds_when_the_burst_limit_allows(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    settings.SOUNDOFF_COMMENT_RATE_SUSTAINED = "3/3600"
    for _ in range(3):
        assert rate_limit.check(_submission(alice, thread)) is None
    verdict = rate_limit.check(_submission(alice, thread))
    assert verdict.reason == "rate_limited"
    assert 60 < verdict.retry_after <= 3600


def test_the_sustained_address_limit_holds_across_readers(alice, bob, thread, settings):
    settings.SOUNDOFF_IP_COMMENT_RATE_SUSTAINED = "3/3600"
    for reader in (alice, bob, alice):
        assert rate_limit.check(_submission(reader, thread)) is None
    assert rate_limit.check(_submission(bob, thread)).reason == "rate_limited"


def test_a_burst_of_200_lets_the_limit_through_and_refuses_the_rest(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "5/3600"
    verdicts = [rate_limit.check(_submission(alice, thread)) for _ in range(200)]
    assert verdicts[:5] == [None] * 5
    assert all(v.outcome is Outcome.REFUSED and v.retry_after for v in verdicts[5:])
