"""The moderation log is append-only, in the code and in the admin."""

import pytest
from django.urls import reverse

from soundoff.discussion.services import post_comment
from soundoff.moderation.audit import record
from soundoff.moderation.models import ActionKind, AppendOnlyError, ModerationAction
from testkit.cast import CLIENT


@pytest.fixture
def action(alice, thread):
    comment = post_comment(thread, author=alice, body="Logged.", client=CLIENT).comment
    return record(
        ActionKind.HELD, by=None, comment=comment, status_after="held", reason_code="links"
    )


def test_record_writes_one_row_naming_the_author(action, alice):
    stored = ModerationAction.objects.get()
    assert stored == action
    assert (stored.user, stored.actor, stored.reason_code) == (alice, None, "links")
    assert str(stored) == "Held on posting by the system"


def test_a_row_cannot_be_changed(action):
    action.note = "Rewritten history."
    with pytest.raises(AppendOnlyError):
        action.save()
    assert ModerationAction.objects.get().note == ""


def test_a_row_cannot_be_deleted(action):
    with pytest.raises(AppendOnlyError):
        action.delete()
    assert ModerationAction.objects.count() == 1


def test_the_log_cannot_be_updated_or_deleted_in_bulk(action):
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.update(note="Rewritten.")
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.filter(pk=action.pk).update(reason_code="x")
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.filter(pk=action.pk).delete()
    assert ModerationAction.objects.get().reason_code == "links"


def test_the_admin_lists_the_log_without_add_or_delete(admin_client, action):
    response = admin_client.get(reverse("admin:moderation_moderationaction_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("admin:moderation_moderationaction_add") not in page
    assert "delete_selected" not in page


def test_the_admin_cannot_add_change_or_delete_even_for_a_superuser(admin_client, action):
    add = reverse("admin:moderation_moderationaction_add")
    change = reverse("admin:moderation_moderationaction_change", args=[action.pk])
    delete = reverse("admin:moderation_moderationaction_delete", args=[action.pk])

    assert admin_client.get(add).status_code == 403
    assert admin_client.post(add, {"action": "approved"}).status_code == 403

    shown = admin_client.get(change)
    assert shown.status_code == 200  # read-only view
    assert 'name="_save"' not in shown.content.decode()
    assert admin_client.post(change, {"note": "Rewritten.", "_save": "1"}).status_code == 403

    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403

    changelist = reverse("admin:moderation_moderationaction_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [action.pk], "post": "yes"}
    admin_client.post(changelist, bulk)

    stored = ModerationAction.objects.get()
    assert (stored.note, stored.action) == ("", ActionKind.HELD)
