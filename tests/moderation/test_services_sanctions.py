"""Suspending, banning and lifting: who may, what it blocks, the log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from soundoff.discussion.errors import CommentRefused, NotAllowed
from soundoff.discussion.models import Reaction, ReactionKind
from soundoff.discussion.services import edit_comment, post_comment, react
from soundoff.moderation.decisions import flag_comment
from soundoff.moderation.errors import FlagRefused, InvalidDecision
from soundoff.moderation.models import (
    ActionKind,
    Flag,
    ModerationAction,
    Sanction,
    SanctionKind,
)
from soundoff.moderation.sanctions import ban_user, lift_sanctions, suspend_user
from testkit.cast import CLIENT


def _post(thread, author, body="Another thought."):
    return post_comment(thread, author=author, body=body, client=CLIENT)


def test_a_suspension_blocks_posting_until_it_ends(alice, thread, moderator, rule):
    sanction = suspend_user(alice, by=moderator, duration=timedelta(days=3), rule=rule)
    assert sanction.ends_at == pytest.approx(
        timezone.now() + timedelta(days=3), abs=timedelta(seconds=10)
    )
    with pytest.raises(CommentRefused, match=r"suspended .* under Rule 2") as refused:
        _post(thread, alice)
    assert refused.value.code == "sanctioned"

    Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert _post(thread, alice).is_visible


def test_a_suspension_blocks_edits_too(alice, thread, moderator):
    comment = _post(thread, alice).comment
    suspend_user(alice, by=moderator, duration=timedelta(hours=1))
    with pytest.raises(CommentRefused, match="suspended"):
        edit_comment(comment, by=alice, body="Edited.", client=CLIENT)
    comment.refresh_from_db()
    assert comment.body == "Another thought."


def test_a_ban_blocks_until_lifted(alice, thread, moderator, rule):
    ban_user(alice, by=moderator, rule=rule, note="Repeated abuse.")
    with pytest.raises(CommentRefused, match="banned"):
        _post(thread, alice)

    assert lift_sanctions(alice, by=moderator, note="Appeal granted.") == 1
    assert _post(thread, alice).is_visible
    lifted = ModerationAction.objects.get(action=ActionKind.SANCTION_LIFTED)
    assert (lifted.actor, lifted.user, lifted.note) == (moderator, alice, "Appeal granted.")


def test_lifting_lifts_every_sanction_in_force(alice, moderator):
    suspend_user(alice, by=moderator, duration=timedelta(days=1))
    ban_user(alice, by=moderator)
    assert lift_sanctions(alice, by=moderator) == 2
    assert not Sanction.objects.in_force().exists()


def test_lifting_nothing_writes_nothing(alice, moderator):
    assert lift_sanctions(alice, by=moderator) == 0
    assert not ModerationAction.objects.exists()


def test_each_sanction_is_audited(alice, bob, moderator, rule):
    suspension = suspend_user(
        alice, by=moderator, duration=timedelta(days=1), rule=rule, note="Insults."
    )
    ban_user(bob, by=moderator, rule=rule)
    suspended = ModerationAction.objects.get(action=ActionKind.SUSPENDED)
    assert (suspended.actor, suspended.user, suspended.rule) == (moderator, alice, rule)
    assert suspended.note == "Insults."
    assert suspended.reason_code == suspension.ends_at.isoformat()
    banned = ModerationAction.objects.get(action=ActionKind.BANNED)
    assert (banned.actor, banned.user, banned.rule) == (moderator, bob, rule)
    assert Sanction.objects.get(user=bob).kind == SanctionKind.BAN
    assert Sanction.objects.get(user=alice).created_by == moderator


def test_a_suspension_needs_a_duration(alice, moderator):
    with pytest.raises(InvalidDecision):
        suspend_user(alice, by=moderator, duration=timedelta(0))
    assert not Sanction.objects.exists()


def test_moderators_cannot_sanction_themselves(moderator):
    with pytest.raises(InvalidDecision, match="yourself"):
        ban_user(moderator, by=moderator)
    assert not Sanction.objects.exists()


def test_staff_and_moderators_cannot_be_sanctioned(editor, moderator, make_moderator):
    for user in (editor, make_moderator("Other Desk")):
        with pytest.raises(InvalidDecision, match="operator"):
            suspend_user(user, by=moderator, duration=timedelta(days=1))
    assert not Sanction.objects.exists()
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize(
    "sanction",
    [
        lambda user, by: suspend_user(user, by=by, duration=timedelta(days=1)),
        lambda user, by: ban_user(user, by=by),
        lambda user, by: lift_sanctions(user, by=by),
    ],
    ids=["suspend", "ban", "lift"],
)
def test_readers_cannot_sanction(alice, bob, sanction):
    Sanction.objects.create(user=alice, kind=SanctionKind.BAN)
    with pytest.raises(NotAllowed):
        sanction(alice, bob)
    assert Sanction.objects.in_force().count() == 1
    assert not ModerationAction.objects.exists()


def test_a_banned_reader_cannot_flag_or_react_and_is_told_why(alice, bob, thread, rule):
    comment = _post(thread, alice).comment
    Sanction.objects.create(user=bob, kind=SanctionKind.BAN, rule=rule)
    with pytest.raises(FlagRefused, match=r"banned .* under Rule 2") as flag_refused:
        flag_comment(comment, by=bob, rule=rule)
    with pytest.raises(NotAllowed, match="banned") as react_refused:
        react(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT)
    assert flag_refused.value.code == react_refused.value.code == "sanctioned"
    assert not Flag.objects.exists()
    assert not Reaction.objects.exists()
