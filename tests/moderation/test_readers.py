"""The reader drawer's writes: notes, "always pre-moderate", warnings."""

import pytest

from soundoff.accounts.models import User
from soundoff.accounts.rights.deletion import delete_account
from soundoff.discussion.errors import NotAllowed
from soundoff.discussion.models import CommentStatus
from soundoff.discussion.services import edit_comment, post_comment
from soundoff.moderation import readers
from soundoff.moderation.errors import InvalidDecision
from soundoff.moderation.models import ActionKind, ModerationAction, PremoderatedReader, ReaderNote
from testkit.cast import CLIENT, conduct_rule, make_reader, run_worker

REPLY_TO = "Ledger moderators <moderators@example.org>"


def test_a_note_is_kept_with_who_wrote_it(alice, moderator):
    readers.note_reader(alice, by=moderator, text="  Wrote in to apologise.  ")
    [note] = ReaderNote.objects.filter(reader=alice)
    assert (note.text, note.written_by) == ("Wrote in to apologise.", moderator)


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_long_note_is_refused(alice, moderator, text):
    with pytest.raises(InvalidDecision):
        readers.note_reader(alice, by=moderator, text=text)
    assert not ReaderNote.objects.exists()


def test_readers_cannot_write_notes_or_warn(alice, bob):
    with pytest.raises(NotAllowed):
        readers.note_reader(alice, by=bob, text="Hm.")
    with pytest.raises(NotAllowed):
        readers.warn_reader(alice, by=bob, rule=conduct_rule(2))
    with pytest.raises(NotAllowed):
        readers.set_premoderation(alice, by=bob, on=True)


def test_a_premoderated_reader_is_held_through_the_real_pipeline(alice, bob, moderator, thread):
    assert readers.set_premoderation(alice, by=moderator, on=True)
    held = post_comment(thread, author=alice, body="Council is wrong.", client=CLIENT).comment
    assert (held.status, held.held_reason) == (CommentStatus.HELD, "premoderated_reader")
    others = post_comment(thread, author=bob, body="Council is right.", client=CLIENT).comment
    assert others.status == CommentStatus.VISIBLE

    assert readers.set_premoderation(alice, by=moderator, on=False)
    again = post_comment(thread, author=alice, body="I stand by it.", client=CLIENT).comment
    assert again.status == CommentStatus.VISIBLE


def test_a_premoderated_readers_edit_is_held(alice, moderator, thread):
    shown = post_comment(thread, author=alice, body="Fair point.", client=CLIENT).comment
    readers.set_premoderation(alice, by=moderator, on=True)
    edited = edit_comment(shown, by=alice, body="Fair point, you idiot.", client=CLIENT)
    assert (edited.status, edited.held_reason) == (CommentStatus.HELD, "premoderated_reader")


def test_premoderation_is_logged_once_when_set_twice(alice, moderator):
    assert readers.set_premoderation(alice, by=moderator, on=True)
    assert not readers.set_premoderation(alice, by=moderator, on=True)
    assert readers.set_premoderation(alice, by=moderator, on=False)
    assert not readers.set_premoderation(alice, by=moderator, on=False)
    kinds = list(
        ModerationAction.objects.filter(user=alice).order_by("id").values_list("action", flat=True)
    )
    assert kinds == [ActionKind.PREMODERATION_ON, ActionKind.PREMODERATION_OFF]


def test_moderators_cannot_be_premoderated(make_moderator, moderator):
    other = make_moderator("Other Moderator")
    with pytest.raises(InvalidDecision):
        readers.set_premoderation(other, by=moderator, on=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_warning_is_logged_and_mailed_with_the_rule(alice, moderator, mailbox, settings):
    settings.SOUNDOFF_MODERATION_REPLY_TO = REPLY_TO
    readers.warn_reader(alice, by=moderator, rule=conduct_rule(2), note="Please keep it civil.")
    action = ModerationAction.objects.get(user=alice, action=ActionKind.WARNED)
    assert (action.actor, action.rule.number, action.note) == (
        moderator,
        2,
        "Please keep it civil.",
    )
    assert mailbox.envelopes == []  # sent by the worker, not the request
    run_worker()
    [message] = mailbox.messages
    assert (message["To"], message["Reply-To"]) == (alice.email, REPLY_TO)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Rule 2" in body
    assert conduct_rule(2).title in body
    assert "Please keep it civil." in body
    assert "not a sanction" in body
    assert "/appeals/" not in body  # a warning is no sanction: nothing to appeal


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_warning_is_written_in_the_readers_language(alice, moderator, mailbox):
    User.objects.filter(pk=alice.pk).update(language="es")
    readers.warn_reader(alice, by=moderator, rule=conduct_rule(2))
    run_worker()
    [message] = mailbox.messages
    assert message["Subject"].startswith("Una advertencia de los moderadores de")
    assert "no una sanción" in message.get_content()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_warning_to_an_unconfirmed_address_is_logged_not_mailed(moderator, mailbox):
    stranger = make_reader("Not Confirmed", verified=False, email="victim@example.org")
    readers.warn_reader(stranger, by=moderator, rule=conduct_rule(2))
    run_worker()
    assert ModerationAction.objects.filter(user=stranger, action=ActionKind.WARNED).exists()
    assert mailbox.messages == []


def test_a_moderators_deleted_account_leaves_notes_and_holds_in_place(
    alice, make_moderator, thread
):
    leaving = make_moderator("Lee Leaving")
    readers.note_reader(alice, by=leaving, text="Keeps posting phone numbers.")
    readers.set_premoderation(alice, by=leaving, on=True)
    delete_account(leaving, by=leaving, keep_comments=True)
    [note] = ReaderNote.objects.filter(reader=alice)
    assert (note.text, note.written_by) == ("Keeps posting phone numbers.", None)
    held = post_comment(thread, author=alice, body="555-0100", client=CLIENT).comment
    assert held.status == CommentStatus.HELD


def test_a_readers_deleted_account_takes_the_notes_about_them(alice, moderator):
    readers.note_reader(alice, by=moderator, text="Lives on Elm Street.")
    readers.set_premoderation(alice, by=moderator, on=True)
    delete_account(alice, by=alice, keep_comments=True)
    assert not ReaderNote.objects.exists()
    assert not PremoderatedReader.objects.exists()
