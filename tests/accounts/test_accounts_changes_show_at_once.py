"""A reader's new name or picture shows at once on every page with their
comments, although anonymous pages are cached under the thread's version."""

from __future__ import annotations

import pytest
from django.test import Client

from soundoff.accounts import services as accounts
from soundoff.discussion import services
from soundoff.discussion.models import Thread
from testkit import cast
from testkit.cast import CLIENT


@pytest.fixture
def commented(post, alice):
    """Alice has commented under ``post``, and its anonymous page is cached."""
    services.post_comment(post.thread, author=alice, body="Water is back on Elm.", client=CLIENT)
    return post


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cached_page(client, post) -> tuple[str, str]:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response["ETag"], response.content.decode()


def test_a_new_display_name_shows_at_once_on_a_cached_page(client, commented, alice):
    etag, page = cached_page(client, commented)
    assert "Alice Reader" in page

    accounts.change_display_name(alice, display_name="Alice Q. Reader")

    response = client.get(commented.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Q. Reader" in page and "Alice Reader<" not in page


def test_a_name_changed_on_the_profile_page_shows_at_once(client, commented, alice):
    _, before = cached_page(client, commented)
    reader = signed_in(alice)
    reader.post("/accounts/profile/", {"action": "name", "display_name": "Alice From Elm"})

    _, page = cached_page(client, commented)
    assert "Alice From Elm" in page
    assert before != page


def test_a_new_or_removed_picture_shows_at_once(client, commented, alice):
    _, page = cached_page(client, commented)
    initials = alice.avatar_url()
    assert initials in page.replace("&amp;", "&")

    cast.give_picture(alice)
    _, page = cached_page(client, commented)
    assert alice.avatar_url() in page and initials not in page

    pictured = alice.avatar_url()
    accounts.remove_avatar(alice)
    _, page = cached_page(client, commented)
    assert pictured not in page and alice.avatar_url() in page


def test_the_default_picture_moves_to_a_new_address_with_the_name(alice):
    before = alice.avatar_url()
    accounts.change_display_name(alice, display_name="Zed Reader")
    assert alice.avatar_url() != before
    assert alice.avatar_url().split("?")[0] == before.split("?")[0]


def test_an_edit_in_the_admin_shows_at_once(client, commented, alice, django_user_model):
    _, page = cached_page(client, commented)
    admin = signed_in(
        django_user_model.objects.create_superuser("ops@example.com", "pw", display_name="Ops")
    )
    form = {
        "email": alice.email,
        "display_name": "Alice (edited)",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = admin.post(f"/admin/accounts/user/{alice.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]

    _, page = cached_page(client, commented)
    assert "Alice (edited)" in page


def test_only_the_authors_threads_move_and_only_for_what_pages_show(commented, alice, bob):
    elsewhere = cast.make_post(headline="Elsewhere")
    services.post_comment(elsewhere.thread, author=bob, body="Not Alice.", client=CLIENT)
    versions = dict(Thread.objects.values_list("pk", "version"))

    alice.last_login = alice.date_joined
    alice.save(update_fields=["last_login"])  # every sign-in does this
    assert dict(Thread.objects.values_list("pk", "version")) == versions

    accounts.change_display_name(alice, display_name="Alice Again")
    after = dict(Thread.objects.values_list("pk", "version"))
    assert after[commented.thread.pk] == versions[commented.thread.pk] + 1
    assert after[elsewhere.thread.pk] == versions[elsewhere.thread.pk]
