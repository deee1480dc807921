from datetime import timedelta

from django.utils import timezone

from soundoff.lib.dateline import time_line
from soundoff.moderation.models import Sanction, SanctionKind
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import sanctions
from testkit.cast import CLIENT, conduct_rule


def _check(author, thread, **extra):
    return sanctions.check(
        Submission(thread=thread, author=author, body="Hi", client=CLIENT, **extra)
    )


def test_a_reader_without_sanctions_passes(alice, thread):
    assert _check(alice, thread) is None


def test_a_suspension_refuses_citing_the_rule_and_the_time_it_ends(alice, thread):
    ends_at = timezone.now() + timedelta(days=2)
    Sanction.objects.create(
        user=alice, kind=SanctionKind.SUSPENSION, ends_at=ends_at, rule=conduct_rule(2)
    )
    verdict = _check(alice, thread)
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "sanctioned"
    assert "suspended" in verdict.detail
    assert "Rule 2 (No personal attacks or harassment)" in verdict.detail
    assert time_line(ends_at) in verdict.detail


def test_a_ban_refuses_citing_the_rule(alice, thread):
    Sanction.objects.create(user=alice, kind=SanctionKind.BAN, rule=conduct_rule(3))
    verdict = _check(alice, thread)
    assert verdict.outcome is Outcome.REFUSED
    assert "banned" in verdict.detail
    assert "Rule 3" in verdict.detail


def test_a_ban_is_reported_over_a_suspension_in_force_at_the_same_time(alice, thread):
    Sanction.objects.create(
        user=alice, kind=SanctionKind.SUSPENSION, ends_at=timezone.now() + timedelta(days=1)
    )
    Sanction.objects.create(user=alice, kind=SanctionKind.BAN)
    assert "banned" in _check(alice, thread).detail


def test_the_longest_of_two_suspensions_is_reported(alice, thread):
    later = timezone.now() + timedelta(days=7)
    Sanction.objects.create(user=alice, kind=SanctionKind.SUSPENSION, ends_at=later)
    Sanction.objects.create(
        user=alice, kind=SanctionKind.SUSPENSION, ends_at=timezone.now() + timedelta(hours=1)
    )
    assert time_line(later) in _check(alice, thread).detail


def test_ended_lifted_and_future_sanctions_do_not_refuse(alice, thread):
    now = timezone.now()
    Sanction.objects.create(
        user=alice, kind=SanctionKind.SUSPENSION, ends_at=now - timedelta(seconds=1)
    )
    Sanction.objects.create(user=alice, kind=SanctionKind.BAN, lifted_at=now)
    Sanction.objects.create(user=alice, kind=SanctionKind.BAN, starts_at=now + timedelta(hours=1))
    assert _check(alice, thread) is None


def test_another_readers_sanction_does_not_refuse(alice, bob, thread):
    Sanction.objects.create(user=bob, kind=SanctionKind.BAN)
    assert _check(alice, thread) is None


def test_edits_are_refused_too(alice, thread):
    Sanction.objects.create(user=alice, kind=SanctionKind.BAN)
    assert _check(alice, thread, editing=object()).outcome is Outcome.REFUSED
