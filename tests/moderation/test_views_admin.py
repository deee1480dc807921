"""The moderation log in the Django admin: shown, never edited or deleted."""

import pytest
from django.urls import reverse

from soundoff.moderation.appeals import file_appeal
from soundoff.moderation.audit import record
from soundoff.moderation.models import ActionKind, ModerationAction
from soundoff.moderation.sanctions import ban_user
from testkit.cast import conduct_rule


@pytest.fixture
def action(alice):
    rule = conduct_rule(2)
    return record(ActionKind.SUSPENDED, by=None, user=alice, rule=rule, note="Original note.")


def _unchanged(action):
    fresh = ModerationAction.objects.get(pk=action.pk)
    return (fresh.action, fresh.note, fresh.rule_id) == (
        action.action,
        action.note,
        action.rule_id,
    )


def test_the_changelist_shows_the_log(admin_client, action):
    response = admin_client.get(reverse("admin:moderation_moderationaction_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suspended" in page
    assert 'value="delete_selected"' not in page


def test_the_change_view_is_read_only(admin_client, action):
    url = reverse("admin:moderation_moderationaction_change", args=[action.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="_save"' not in page
    assert 'name="note"' not in page
    assert "Original note." in page

    response = admin_client.post(url, {"action": "approved", "note": "Rewritten."})
    assert response.status_code == 403
    assert _unchanged(action)


def test_the_delete_view_is_forbidden(admin_client, action):
    url = reverse("admin:moderation_moderationaction_delete", args=[action.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert ModerationAction.objects.filter(pk=action.pk).exists()


def test_bulk_delete_from_the_changelist_does_nothing(admin_client, action):
    response = admin_client.post(
        reverse("admin:moderation_moderationaction_changelist"),
        {"action": "delete_selected", "_selected_action": [action.pk], "post": "yes"},
    )
    # The audit log offers no delete action, so the request is just the
    # changelist again, with nothing to confirm and nothing deleted.
    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    assert ModerationAction.objects.filter(pk=action.pk).exists()


def test_nothing_can_be_added_by_hand(admin_client, db):
    url = reverse("admin:moderation_moderationaction_add")
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"action": "approved"}).status_code == 403
    assert not ModerationAction.objects.exists()


def test_appeals_are_listed_read_only(admin_client, alice, moderator):
    sanction = ban_user(alice, by=moderator)
    appeal = file_appeal(sanction.decision, by=alice, text="I was provoked.")
    listing = admin_client.get(reverse("admin:moderation_appeal_changelist"))
    assert listing.status_code == 200
    assert "Alice Reader" in listing.content.decode()
    change = admin_client.get(reverse("admin:moderation_appeal_change", args=[appeal.pk]))
    assert 'name="_save"' not in change.content.decode()
