"""Editors add updates and corrections from the post's admin page; past
entries stay as they were."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from soundoff.newsroom.models import Post, PostStatus, PostUpdate, UpdateKind
from soundoff.newsroom.services import add_post_update
from testkit.cast import form_values, make_post, make_reader


def _change_url(post: Post) -> str:
    return reverse("admin:newsroom_post_change", args=[post.pk])


@pytest.fixture
def desk(client, desk_editor):
    client.force_login(desk_editor)
    return client


def test_an_editor_adds_a_correction_from_the_post_page(desk, desk_editor, post):
    form = form_values(desk.get(_change_url(post)).content.decode())
    form.update({"updates-0-kind": "correction", "updates-0-text": "The main is on *Elm* St."})
    response = desk.post(_change_url(post), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = PostUpdate.objects.get(post=post)
    assert (entry.kind, entry.editor) == (UpdateKind.CORRECTION, desk_editor)
    assert entry.text_html == "<p>The main is on <em>Elm</em> St.</p>\n"
    assert Post.objects.get(pk=post.pk).updated_at == entry.created_at


def test_saving_the_post_with_the_blank_extra_form_adds_nothing(desk, post):
    response = desk.post(
        _change_url(post), form_values(desk.get(_change_url(post)).content.decode())
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not PostUpdate.objects.exists()


def test_past_entries_are_shown_and_cannot_be_changed_or_deleted(desk, desk_editor, post):
    entry = add_post_update(post, by=desk_editor, kind=UpdateKind.UPDATE, text="Crews arrived.")
    PostUpdate.objects.filter(pk=entry.pk).update(
        created_at=datetime(2011, 7, 13, 22, 12, tzinfo=UTC)
    )
    page = desk.get(_change_url(post)).content.decode()
    assert "Crews arrived." in page
    assert "July 13th, 2011 06:12 PM ET by Ed Itor" in page
    form = form_values(page)
    assert 'name="updates-0-text"' not in page  # shown as text, not as a field
    form.update({"updates-0-text": "Crews never came.", "updates-0-DELETE": "on"})
    response = desk.post(_change_url(post), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(PostUpdate.objects.values_list("pk", "text")) == [(entry.pk, "Crews arrived.")]


def test_an_empty_correction_is_refused_and_the_editors_changes_are_kept(desk, post):
    form = form_values(desk.get(_change_url(post)).content.decode())
    form.update(
        {"headline": "Water main breaks on Elm St.", "updates-0-kind": "correction"},
    )
    response = desk.post(_change_url(post), form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Write the update or correction as readers should read it." in page
    assert 'value="Water main breaks on Elm St."' in page
    assert '<option value="correction" selected>' in page
    assert not PostUpdate.objects.exists()
    assert Post.objects.get(pk=post.pk).headline == "Water main breaks downtown"


def test_a_draft_has_no_updates_to_add(desk):
    draft = make_post(status=PostStatus.DRAFT)
    assert "updates-TOTAL_FORMS" not in desk.get(_change_url(draft)).content.decode()


def test_staff_who_may_edit_posts_but_not_add_updates_cannot_slip_one_in(client, post):
    copy_editor = make_reader("Copy Editor", is_staff=True)
    copy_editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_post", "change_post"])
    )
    client.force_login(copy_editor)
    page = client.get(_change_url(post)).content.decode()
    assert "updates-TOTAL_FORMS" not in page
    form = form_values(page)
    form.update(
        {
            "updates-TOTAL_FORMS": "1",
            "updates-INITIAL_FORMS": "0",
            "updates-0-kind": "correction",
            "updates-0-text": "Not mine to say.",
        }
    )
    response = client.post(_change_url(post), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not PostUpdate.objects.exists()
