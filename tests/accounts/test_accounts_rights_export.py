"""GET /accounts/profile/data/: everything kept about the reader, as JSON."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soundoff.accounts.models import User
from soundoff.accounts.queries import current_policies
from soundoff.discussion import services
from soundoff.discussion.models import ReactionKind
from soundoff.moderation.appeals import file_appeal
from soundoff.moderation.decisions import flag_comment, remove_comment
from soundoff.moderation.readers import note_reader, set_premoderation, warn_reader
from soundoff.moderation.sanctions import suspend_user
from soundoff.oidc.models import ProviderIdentity
from testkit.cast import CLIENT

URL = reverse("accounts:my_data")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _download(user) -> dict:
    client = Client()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="soundoff-my-data-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_file_holds_the_account_acceptances_comments_reactions_and_reports(
    pictured, bob, operator, thread
) -> None:
    alice = pictured
    bobs = services.post_comment(thread, author=bob, body="Bob's view", client=CLIENT).comment
    mine = services.post_comment(thread, author=alice, body="*My* view", client=CLIENT).comment
    reply = services.post_comment(
        thread, author=alice, body="And a reply", client=CLIENT, parent=bobs
    ).comment
    services.react(bobs, by=alice, kind=ReactionKind.INSIGHTFUL, client=CLIENT)
    rule = current_policies()["terms"].rules.get(number=2)
    flag_comment(bobs, by=alice, rule=rule, explanation="Not nice")
    suspension = suspend_user(alice, by=operator, duration=timedelta(days=1))
    file_appeal(suspension.decision, by=alice, text="I was provoked.")

    ProviderIdentity.objects.create(user=alice, issuer="https://id.example.org", subject="s-1")

    User.objects.filter(pk=alice.pk).update(language="es")  # as if she logged in in Spanish
    data = _download(alice)

    assert data["format"] == "soundoff-reader-data/1"
    account = data["account"]
    assert account["email"] == alice.email
    assert account["display_name"] == "Alice Reader"
    assert account["picture"].endswith(".webp")
    assert account["email_confirmed_at"]
    assert account["language"] == "es"
    terms, privacy = current_policies()["terms"], current_policies()["privacy"]
    [identity] = data["sign_in_accounts"]
    assert (identity["provider"], identity["account"]) == ("https://id.example.org", "s-1")
    assert {(a["document"], a["version"]) for a in data["policy_acceptances"]} == {
        ("terms", terms.version),
        ("privacy", privacy.version),
    }
    assert [c["id"] for c in data["comments"]] == [mine.pk, reply.pk]
    first = data["comments"][0]
    assert first["text"] == "*My* view"
    assert first["status"] == "visible"
    assert first["licensed_under"] == {
        "terms_of_service_version": terms.version,
        "privacy_policy_version": privacy.version,
    }
    assert first["discussion"] == {
        "id": thread.pk,
        "title": "Water main breaks downtown",
        "page": "/posts/water-main/",
    }
    assert data["comments"][1]["parent"] == bobs.pk
    assert data["reactions"] == [
        {
            "comment": bobs.pk,
            "kind": "insightful",
            "created_at": data["reactions"][0]["created_at"],
        }
    ]
    [report] = data["reports"]
    assert (report["comment"], report["rule"], report["explanation"]) == (bobs.pk, 2, "Not nice")
    assert report["resolved_at"] is None
    [sanction] = data["sanctions"]
    assert sanction["kind"] == "suspension"
    [appeal] = data["appeals"]
    assert (appeal["decision"], appeal["text"], appeal["status"]) == (
        "suspended",
        "I was provoked.",
        "open",
    )
    # Nothing of anyone else's.
    text = json.dumps(data)
    assert "Bob's view" not in text and bob.email not in text and operator.email not in text


def test_moderators_notes_about_the_reader_are_in_it_without_who_wrote_them(
    alice, bob, operator
) -> None:
    note_reader(alice, by=operator, text="Warned twice by phone about Rule 2.")
    note_reader(bob, by=operator, text="Bob's note, not Alice's.")
    data = _download(alice)
    [note] = data["moderator_notes"]
    assert note["text"] == "Warned twice by phone about Rule 2."
    assert note["written_at"]
    text = json.dumps(data)
    assert "Bob's note" not in text
    assert operator.display_name not in text and operator.email not in text


def test_decisions_about_the_reader_are_in_it_without_who_took_them_or_reports_against_them(
    alice, bob, moderator, thread
) -> None:
    rules = current_policies()["terms"].rules
    removed = services.post_comment(thread, author=alice, body="Off topic", client=CLIENT).comment
    flag_comment(removed, by=bob, rule=rules.get(number=2), explanation="Bob's own words")
    remove_comment(removed, by=moderator, rule=rules.get(number=3), note="Third strike")
    warn_reader(alice, by=moderator, rule=rules.get(number=2), note="Please keep it civil.")
    assert set_premoderation(alice, by=moderator, on=True)
    warn_reader(bob, by=moderator, rule=rules.get(number=1), note="Bob's warning")

    data = _download(alice)

    decisions = [(d["action"], d["comment"], d["rule"], d["note"]) for d in data["decisions"]]
    assert decisions == [
        ("removed", removed.pk, 3, "Third strike"),
        ("warned", None, 2, "Please keep it civil."),
        ("premoderation_on", None, None, ""),
    ]
    assert all(d["decided_at"] for d in data["decisions"])
    assert data["comments_held_for_review_since"]
    text = json.dumps(data)
    assert "Bob's own words" not in text and "Bob's warning" not in text
    assert moderator.display_name not in text and moderator.email not in text


def test_the_number_of_queries_does_not_grow_with_the_comments(alice, thread) -> None:
    def queries() -> int:
        client = Client()
        client.force_login(alice)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    services.post_comment(thread, author=alice, body="One", client=CLIENT)
    few = queries()
    for n in range(4):
        services.post_comment(thread, author=alice, body=f"More {n}", client=CLIENT)
    assert queries() == few


def test_a_reader_without_anything_gets_empty_lists(bob) -> None:
    data = _download(bob)
    assert data["comments"] == data["reactions"] == data["reports"] == data["sanctions"] == []
    assert data["appeals"] == data["moderator_notes"] == data["decisions"] == []
    assert data["comments_held_for_review_since"] is None
    assert data["sign_in_accounts"] == []
    assert data["account"]["picture"] is None


def test_the_download_needs_a_reader(client: Client, policies) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
