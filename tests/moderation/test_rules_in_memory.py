"""The policies in force and the word lists are kept in memory between
comments; every change, from any page, takes effect on the next comment."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from soundoff.accounts.models import PolicyVersion
from soundoff.accounts.queries import _read_in_force
from soundoff.discussion import services
from soundoff.discussion.errors import CommentRefused, PoliciesNotAccepted
from testkit.cast import CLIENT


def _post(thread, author, body):
    return services.post_comment(thread, author=author, body=body, client=CLIENT)


def test_a_word_banned_on_the_moderators_page_is_refused_at_once(client, moderator, alice, thread):
    assert _post(thread, alice, "Whatever you say, turnip.").is_visible  # the lists are warm
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:words"),
        {"banned": "turnip", "banned_rule": "3", "suspect": "", "allowed": ""},
    )
    assert response.status_code == 303, response.content
    with pytest.raises(CommentRefused) as refused:
        _post(thread, alice, "You absolute turnip.")
    assert refused.value.code == "banned_word"


def test_a_terms_version_published_in_the_admin_is_required_at_once(alice, thread):
    assert _post(thread, alice, "Warm the policies.").is_visible
    draft = PolicyVersion.objects.create(kind="terms", version=2, title="Terms", body="New.")
    assert _post(thread, alice, "A draft changes nothing.").is_visible
    # What the admin's change form does on "in force from: now".
    draft.published_at = timezone.now()
    draft.save()
    with pytest.raises(PoliciesNotAccepted) as refused:
        _post(thread, alice, "After the new Terms.")
    assert [(d.kind, d.version) for d in refused.value.documents] == [("terms", 2)]


def test_a_rule_renamed_is_cited_by_its_new_title_at_once(client, moderator, alice, thread):
    client.force_login(moderator)
    client.post(
        reverse("moderation:words"),
        {"banned": "turnip", "banned_rule": "3", "suspect": "", "allowed": ""},
    )
    with pytest.raises(CommentRefused):
        _post(thread, alice, "You turnip.")  # the rules are warm
    rule = PolicyVersion.objects.get(kind="terms", version=1).rules.get(number=3)
    rule.title = "No slurs"
    rule.save()
    with pytest.raises(CommentRefused) as refused:
        _post(thread, alice, "You turnip, again.")
    assert "Rule 3 (No slurs)" in refused.value.detail


def test_the_policies_in_memory_go_stale_when_a_scheduled_version_comes_into_force(policies):
    # Nothing is saved at that moment, so the time itself is kept with them
    # (the expiry is tested in tests/lib/test_versioned.py).
    due = timezone.now() + timedelta(days=2)
    PolicyVersion.objects.create(kind="terms", version=2, title="T", body="New.", published_at=due)
    PolicyVersion.objects.create(
        kind="privacy", version=2, title="P", body="Later.", published_at=due + timedelta(days=1)
    )
    loaded = _read_in_force()
    assert loaded.stale_at == due
    assert {d.version for d in loaded.value.documents.values()} == {1}
