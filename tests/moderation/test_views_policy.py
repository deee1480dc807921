"""A discussion's policy page: editors and moderators open, close, slow down."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from soundoff.discussion.models import Comment, DiscussionMode, Thread
from soundoff.moderation.models import ActionKind, ModerationAction
from testkit.cast import make_reader
from testkit.pages import assert_sent_to_log_in, page_text


def _member(name, group_name, app_label, codename):
    user = make_reader(name)
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    user.groups.add(group)
    return user


@pytest.fixture
def news_editor(policies):
    return _member("Edie Editor", "Editors", "discussion", "change_thread")


def _url(thread):
    return reverse("moderation:policy", args=[thread.pk])


def _save(client, thread, mode="open", slow=0, hours=""):
    return client.post(
        _url(thread), {"mode": mode, "slow_mode_seconds": slow, "close_after_hours": hours}
    )


def test_anonymous_visitors_are_sent_to_log_in(client, thread):
    response = client.get(_url(thread))
    assert_sent_to_log_in(response)


def test_readers_can_neither_see_nor_change_the_policy(client, alice, thread):
    client.force_login(alice)
    assert client.get(_url(thread)).status_code == 403
    assert _save(client, thread, mode="closed").status_code == 403
    thread.refresh_from_db()
    assert thread.mode == DiscussionMode.OPEN
    assert not ModerationAction.objects.exists()


def test_staff_without_the_editors_group_cannot_either(client, editor, thread):
    client.force_login(editor)
    assert client.get(_url(thread)).status_code == 403


def test_an_editor_sees_the_current_policy(client, news_editor, post, thread):
    thread.slow_mode_seconds = 45
    thread.save()
    client.force_login(news_editor)
    response = client.get(_url(thread))
    assert response.status_code == 200
    page = page_text(response)
    assert post.headline in page
    assert 'name="slow_mode_seconds" value="45"' in page


def test_an_editor_closes_slows_and_schedules_and_it_is_audited(client, news_editor, post, thread):
    version = thread.version
    client.force_login(news_editor)

    response = _save(client, thread, mode="premoderated", slow=30, hours=48)

    assert response.status_code == 303
    assert response["Location"] == post.get_absolute_url()
    thread.refresh_from_db()
    assert thread.mode == DiscussionMode.PREMODERATED
    assert (thread.slow_mode_seconds, thread.close_after_hours) == (30, 48)
    assert thread.version > version
    action = ModerationAction.objects.get(action=ActionKind.DISCUSSION_CHANGED)
    assert (action.actor, action.thread) == (news_editor, thread)
    assert (action.status_before, action.status_after) == ("open", "premoderated")
    assert "slow mode 30s" in action.note
    assert "48 h" in action.note


def test_a_moderator_may_close_a_discussion(client, moderator, alice, post, thread):
    client.force_login(moderator)
    _save(client, thread, mode="closed")
    assert Thread.objects.get(pk=thread.pk).mode == DiscussionMode.CLOSED

    client.force_login(alice)
    response = client.post(
        reverse("discussion:post_comment", args=[post.slug]), {"body": "Too late?"}
    )
    assert response.status_code >= 400
    assert not Comment.objects.exists()


def test_saving_without_a_change_writes_no_log_row(client, news_editor, thread):
    client.force_login(news_editor)
    assert _save(client, thread).status_code == 303
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"mode": "sometimes", "slow": 0},
        {"mode": "open", "slow": -1},
        {"mode": "open", "slow": 0, "hours": 0},
    ],
)
def test_bad_values_are_refused(client, news_editor, thread, data):
    client.force_login(news_editor)
    response = _save(client, thread, **data)
    assert response.status_code == 400
    assert not ModerationAction.objects.exists()


def test_the_post_page_links_editors_to_the_settings(client, news_editor, alice, post, thread):
    client.force_login(news_editor)
    assert _url(thread) in client.get(post.get_absolute_url()).content.decode()
    client.force_login(alice)
    assert _url(thread) not in client.get(post.get_absolute_url()).content.decode()
