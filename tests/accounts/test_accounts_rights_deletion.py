"""Deleting an account: the service, the profile's page and the admin.

The Privacy Policy's words are the specification: the account, address,
picture, acceptances, reactions, reports, appeals and moderators' notes
about the reader go; the reader's comments are erased or kept under
"Deleted reader", as they choose; the moderation log keeps its facts
without the person.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.errors import AccountError
from soundoff.accounts.models import AvatarImage, PolicyAcceptance, User
from soundoff.accounts.queries import current_policies
from soundoff.accounts.rights.deletion import (
    DELETED_READER_EMAIL,
    delete_account,
    deleted_reader,
)
from soundoff.discussion import services
from soundoff.discussion.errors import CommentRefused
from soundoff.discussion.models import Comment, CommentStatus, Reaction, ReactionKind, Thread
from soundoff.discussion.signals import comment_changed
from soundoff.moderation.appeals import decide_appeal, file_appeal
from soundoff.moderation.decisions import flag_comment, remove_comment
from soundoff.moderation.discussion_settings import update_word_list
from soundoff.moderation.models import Appeal, Flag, ModerationAction, ReaderNote, Sanction
from soundoff.moderation.readers import note_reader
from soundoff.moderation.sanctions import suspend_user
from soundoff.oidc.models import ProviderIdentity
from testkit.cast import CLIENT, PASSWORD, make_reader

SECRET_TEXT = "Alice's own words, never to be seen again"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def history(pictured, bob, operator, thread, django_capture_on_commit_callbacks):
    """Alice's life on the site: comments of every status, a reply to her,
    reactions and reports both ways, a sanction, a picture, a session and
    the mail the worker sent her."""
    alice = pictured

    def say(author, body, **kwargs):
        return services.post_comment(
            thread, author=author, body=body, client=CLIENT, **kwargs
        ).comment

    with django_capture_on_commit_callbacks(execute=True):
        replied = say(alice, f"{SECRET_TEXT} (replied to)", submission_key=uuid.uuid4())
        lone = say(alice, f"{SECRET_TEXT} (alone)")
        removed = say(alice, f"{SECRET_TEXT} (removed)")
        withdrawn = say(alice, f"{SECRET_TEXT} (withdrawn)")
        reply = say(bob, "Bob answers", parent=replied)
        bobs = say(bob, "Bob's own comment")
        services.delete_comment(withdrawn, by=alice)
        rule = current_policies()["terms"].rules.get(number=2)
        remove_comment(removed, by=operator, rule=rule, note="Alice Reader was rude")
        services.react(bobs, by=alice, kind=ReactionKind.AGREE, client=CLIENT)
        services.react(bobs, by=alice, kind=ReactionKind.FUNNY, client=CLIENT)
        services.react(lone, by=bob, kind=ReactionKind.AGREE, client=CLIENT)
        flag_comment(bobs, by=alice, rule=rule, explanation="Reported by Alice Reader")
        flag_comment(lone, by=bob, rule=rule)
        suspension = suspend_user(
            alice, by=operator, duration=timedelta(days=1), note="About Alice Reader"
        )
        # Her appeals: her words, and a moderator's answer that names her.
        file_appeal(suspension.decision, by=alice, text=f"{SECRET_TEXT} (appeal)")
        removal = ModerationAction.objects.get(action="removed")
        turned_down = file_appeal(removal, by=alice, text="Please look again.")
        decide_appeal(turned_down, by=operator, grant=False, answer="No, Alice Reader.")
        note_reader(alice, by=operator, text="Alice Reader was warned by phone.")
    ProviderIdentity.objects.create(
        user=alice, issuer="https://id.example.org", subject="alice-at-the-newsroom"
    )
    session = Client()
    session.force_login(alice)
    return {
        "replied": replied,
        "lone": lone,
        "removed": removed,
        "withdrawn": withdrawn,
        "reply": reply,
        "bobs": bobs,
        "session": session,
    }


def _traces(*needles: str) -> list[str]:
    """Every table and column of the database holding one of ``needles``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = (
                        value.decode(errors="ignore") if isinstance(value, bytes) else str(value)
                    )
                    found += [
                        f"{table}.{column}: {n}" for n in needles if n.lower() in text.lower()
                    ]
    return found


def _check_counts(thread: Thread) -> None:
    thread.refresh_from_db()
    assert thread.comment_count == Comment.objects.filter(thread=thread).visible().count()
    for comment in Comment.objects.all():
        assert comment.reaction_count == comment.reactions.count()
        assert comment.open_flags == comment.flags.filter(resolved_at=None).count()


def _live_changes(capture, action) -> list[tuple[int, str]]:
    seen: list[tuple[int, str]] = []

    def receive(sender, *, comment_id, change, **kwargs):
        seen.append((comment_id, change))

    comment_changed.connect(receive)
    try:
        with capture(execute=True):
            action()
    finally:
        comment_changed.disconnect(receive)
    return seen


def test_erasing_leaves_nothing_personal_in_the_database(
    alice, history, thread, django_capture_on_commit_callbacks
) -> None:
    pk, email = alice.pk, alice.email
    version = Thread.objects.get(pk=thread.pk).version
    actions = ModerationAction.objects.count()
    needles = (email, "Alice Reader", SECRET_TEXT, "alice-at-the-newsroom")
    assert len({found.rsplit(": ", 1)[1] for found in _traces(*needles)}) == len(needles)

    changes = _live_changes(
        django_capture_on_commit_callbacks,
        lambda: delete_account(alice, by=alice, keep_comments=False),
    )

    assert _traces(*needles) == []
    assert not User.objects.filter(pk=pk).exists()
    assert not AvatarImage.objects.filter(user_id=pk).exists()
    assert not PolicyAcceptance.objects.filter(user_id=pk).exists()
    assert not Reaction.objects.filter(user_id=pk).exists()
    assert not Flag.objects.filter(reporter_id=pk).exists()
    assert not Sanction.objects.filter(user_id=pk).exists()
    assert not Appeal.objects.exists()
    assert not ReaderNote.objects.exists()
    assert not Session.objects.exists()
    assert not DBTaskResult.objects.filter(args_kwargs__icontains="example.com").exists()
    # Her comments are blank placeholders; the one with a reply still holds it.
    placeholder = deleted_reader()
    for name in ("replied", "lone", "removed", "withdrawn"):
        comment = Comment.objects.get(pk=history[name].pk)
        assert (comment.author, comment.status, comment.body) == (
            placeholder,
            CommentStatus.DELETED,
            "",
        )
    assert Comment.objects.get(pk=history["reply"].pk).parent_id == history["replied"].pk
    # The log keeps every decision, about the placeholder now.
    assert ModerationAction.objects.count() == actions
    removal = ModerationAction.objects.get(action="removed")
    assert (removal.user, removal.comment_id, removal.rule.number) == (
        placeholder,
        history["removed"].pk,
        2,
    )
    # Counts and versions are right, and live pages hear of each comment.
    _check_counts(thread)
    assert Thread.objects.get(pk=thread.pk).version > version
    assert {(history[n].pk, "status") for n in ("replied", "lone")} <= set(changes)

    page = Client().get(thread.post.get_absolute_url()).content.decode()
    assert "This comment was deleted by its author." in page
    assert "Bob answers" in page
    assert "Deleted reader" not in page


def test_keeping_shows_the_comments_under_deleted_reader(
    alice, bob, history, thread, django_capture_on_commit_callbacks
) -> None:
    email = alice.email
    thread.refresh_from_db()
    count = thread.comment_count

    changes = _live_changes(
        django_capture_on_commit_callbacks,
        lambda: delete_account(alice, by=alice, keep_comments=True),
    )

    placeholder = deleted_reader()
    lone = Comment.objects.get(pk=history["lone"].pk)
    assert (lone.author, lone.status) == (placeholder, CommentStatus.VISIBLE)
    assert lone.body == f"{SECRET_TEXT} (alone)"
    assert lone.reaction_count == 1  # Bob's reaction stays
    # Text she had deleted herself goes; the removed one stays for review.
    assert Comment.objects.get(pk=history["withdrawn"].pk).body == ""
    assert Comment.objects.get(pk=history["removed"].pk).status == CommentStatus.REMOVED
    assert _traces(email, "Alice Reader") == []
    _check_counts(thread)
    assert Thread.objects.get(pk=thread.pk).comment_count == count
    assert (lone.pk, "edited") in changes

    page = Client().get(thread.post.get_absolute_url()).content.decode()
    assert "Deleted reader" in page
    assert f"{SECRET_TEXT} (alone)" in page
    assert "Alice Reader" not in page


def test_one_placeholder_holds_many_readers_comments(alice, bob, thread) -> None:
    key = uuid.uuid4()
    for reader in (alice, bob):
        services.post_comment(
            thread, author=reader, body=f"by {reader}", client=CLIENT, submission_key=key
        )
        delete_account(reader, by=reader, keep_comments=True)
    assert set(Comment.objects.values_list("author__email", flat=True)) == {DELETED_READER_EMAIL}
    assert User.objects.filter(email=DELETED_READER_EMAIL).count() == 1
    with pytest.raises(AccountError):
        delete_account(deleted_reader(), by=deleted_reader(), keep_comments=False)


def test_a_kept_comment_removed_later_mails_nobody(
    alice, operator, thread, django_capture_on_commit_callbacks
) -> None:
    comment = services.post_comment(thread, author=alice, body="Kept", client=CLIENT).comment
    delete_account(alice, by=alice, keep_comments=True)
    rule = current_policies()["terms"].rules.get(number=2)
    with django_capture_on_commit_callbacks(execute=True):
        remove_comment(comment, by=operator, rule=rule)
    assert not DBTaskResult.objects.filter(task_path__endswith="send_email").exists()


def test_a_moderators_decisions_stay_in_the_log(
    alice, bob, operator, thread, django_capture_on_commit_callbacks
) -> None:
    comment = services.post_comment(thread, author=bob, body="Rude", client=CLIENT).comment
    rule = current_policies()["terms"].rules.get(number=2)
    with django_capture_on_commit_callbacks(execute=True):
        remove_comment(comment, by=operator, rule=rule, note="Plainly rude")
    delete_account(operator, by=operator, keep_comments=False)
    removal = ModerationAction.objects.get(action="removed")
    assert removal.actor == deleted_reader()
    assert removal.user == bob
    assert removal.note == "Plainly rude"  # about Bob, who is still here


@pytest.mark.parametrize("keep_comments", [True, False])
def test_a_refusal_quoting_the_readers_words_forgets_them_with_the_account(
    alice, thread, keep_comments
) -> None:
    update_word_list("banned", by=None, words="zorblax", rule_number=2)
    with pytest.raises(CommentRefused):
        services.post_comment(thread, author=alice, body="You Zorblax!", client=CLIENT)
    refusal = ModerationAction.objects.get(action="refused")
    assert "Zorblax" in refusal.note  # what the moderators were shown

    delete_account(alice, by=alice, keep_comments=keep_comments)

    refusal.refresh_from_db()
    assert (refusal.user, refusal.reason_code, refusal.note) == (
        deleted_reader(),
        "banned_word",
        "",
    )


def test_nobody_deletes_another_readers_account(alice, bob) -> None:
    with pytest.raises(AccountError, match="only delete your own account"):
        delete_account(alice, by=bob, keep_comments=False)
    assert User.objects.filter(pk=alice.pk).exists()


# --- the profile's page ------------------------------------------------------

URL = reverse("accounts:delete_account")


@pytest.fixture
def signed_in(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"comments": "erase", "password": "wrong", "confirm": "on"}, "not your current password"),
        ({"password": PASSWORD, "confirm": "on"}, "Choose what happens to the comments"),
        ({"comments": "keep", "password": PASSWORD}, "Tick the box to confirm"),
        ({"comments": "everything", "password": PASSWORD, "confirm": "on"}, "Select a valid"),
    ],
)
def test_the_page_refuses_with_the_choice_kept(
    signed_in: Client, alice, data: dict[str, str], message: str
) -> None:
    response = signed_in.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if data.get("comments") in ("erase", "keep"):
        assert re.search(rf'value="{data["comments"]}"[^>]*checked', page)
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_page_deletes_and_signs_out(signed_in: Client, alice, thread) -> None:
    services.post_comment(thread, author=alice, body="Goodbye", client=CLIENT)
    assert "Delete my account" in signed_in.get(URL).content.decode()
    response = signed_in.post(
        URL, {"comments": "keep", "password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert Comment.objects.get().author == deleted_reader()
    assert "_auth_user_id" not in signed_in.session


def test_the_profile_links_the_three_rights(signed_in: Client) -> None:
    page = signed_in.get(reverse("accounts:profile")).content.decode()
    for name in ("my_data", "change_email", "delete_account"):
        assert reverse(f"accounts:{name}") in page


# --- the admin -------------------------------------------------------------------


def test_the_operator_deletes_a_reader_who_has_commented(
    operator_client: Client, alice, bob, thread
) -> None:
    services.post_comment(thread, author=alice, body="Mine", client=CLIENT)
    url = reverse("admin:accounts_user_delete", args=[alice.pk])
    page = operator_client.get(url).content.decode()
    assert "Alice Reader has written one comment." in page

    response = operator_client.post(url, {})
    assert response.status_code == 200
    assert "Choose what happens to the comments" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()

    response = operator_client.post(url, {"comments": "erase"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert Comment.objects.get().status == CommentStatus.DELETED
    _check_counts(thread)
    changelist = operator_client.get(reverse("admin:accounts_user_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_staff_without_the_permission_cannot_delete_readers(alice, policies) -> None:
    staff = make_reader("Staff Only", is_staff=True)
    client = Client()
    client.force_login(staff)
    url = reverse("admin:accounts_user_delete", args=[alice.pk])
    assert client.post(url, {"comments": "erase"}).status_code == 403
    assert User.objects.filter(pk=alice.pk).exists()
