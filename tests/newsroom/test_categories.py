"""Category pages at the site's root, in feeds and the sitemap, and the
category's discussion policy in editors' hands."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from soundoff.discussion import services
from soundoff.discussion.models import DiscussionMode, Thread
from soundoff.newsroom.models import Category, Post, PostStatus
from soundoff.newsroom.root_paths import taken_root_segments
from soundoff.newsroom.services import save_post
from testkit.cast import CLIENT, make_post

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def world(db):
    return Category.objects.create(name="World", slug="world")


def test_a_category_page_lists_its_published_posts_newest_first(client, world, alice):
    older = make_post(headline="Older abroad", category=world, published_ago=timedelta(hours=5))
    make_post(headline="Newer abroad", category=world, published_ago=timedelta(hours=1))
    make_post(headline="Local story")
    make_post(headline="Draft abroad", category=world, status=PostStatus.DRAFT)
    services.post_comment(older.thread, author=alice, body="Hi", client=CLIENT)
    response = client.get("/world/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="section-name">World</h1>' in page
    assert page.index("Newer abroad") < page.index("Older abroad")
    assert "Local story" not in page and "Draft abroad" not in page
    assert "soundoff (One Response)" in page and "soundoff (No Responses)" in page
    assert f'href="{reverse("category_feed", args=["world"])}"' in page


def test_a_category_page_is_paginated_like_the_front_page(client, world, settings):
    settings.SOUNDOFF_POSTS_PER_PAGE = 2
    for n in range(5):
        make_post(headline=f"Abroad {n}", category=world, published_ago=timedelta(hours=n + 1))
    first = client.get("/world/").content.decode()
    third = client.get("/world/?page=3").content.decode()
    assert "Abroad 0" in first and "Abroad 2" not in first
    assert "Abroad 4" in third and "Page 3 of 3" in third
    assert client.get("/world/?page=4").status_code == 404


def test_an_empty_category_says_so_and_an_unknown_one_is_404(client, world):
    assert "Nothing has been published in World yet." in client.get("/world/").content.decode()
    assert client.get("/nowhere/").status_code == 404
    assert client.get("/nowhere/feed/").status_code == 404


def test_the_front_page_and_the_post_page_link_the_category(client, world):
    post = make_post(headline="Summit ends", category=world)
    link = f'<a href="{world.get_absolute_url()}">World</a>'
    assert link in client.get("/").content.decode()
    assert link in client.get(post.get_absolute_url()).content.decode()


def test_slugs_of_the_sites_own_paths_are_refused_with_a_clear_message(db):
    for slug in ("feed", "accounts", "admin", "posts", "static", "healthz", "Moderate"):
        with pytest.raises(ValidationError) as refused:
            Category(name=f"Section {slug}", slug=slug).full_clean()
        assert refused.value.message_dict["slug"] == [
            f"The address /{slug}/ belongs to the site itself, so this category's page could "
            f"never be reached there. Choose another slug, such as “{slug}-news”."
        ]
    Category(name="World", slug="world").full_clean()


def test_reserved_slugs_come_from_the_urlconf():
    taken = taken_root_segments()
    assert {"feed", "posts", "preview", "comments", "api", "admin", "robots.txt"} <= taken
    assert "world" not in taken


def test_a_category_saved_around_the_check_still_hides_no_site_path(client, db):
    # Importers create categories from files; whatever their slug, the
    # site's own pages keep their addresses.
    make_post(headline="Odd one", category=Category.objects.create(name="Feed", slug="feed"))
    Category.objects.create(name="Accounts", slug="accounts")
    feed = client.get("/feed/")
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert client.get("/accounts/login/").status_code == 200


def test_feeds_carry_the_category_and_each_category_has_its_own(client, world):
    make_post(headline="Summit ends", category=world)
    make_post(headline="Local story")
    site = ElementTree.fromstring(client.get(reverse("newsroom:feed")).content)
    items = {item.findtext("title"): item for item in site.iter("item")}
    assert [c.text for c in items["Summit ends"].iter("category")] == ["World"]
    assert items["Local story"].find("category") is None
    own = ElementTree.fromstring(client.get("/world/feed/").content)
    assert [item.findtext("title") for item in own.iter("item")] == ["Summit ends"]
    assert own.findtext("channel/title") == "Soundoff: World"
    assert own.findtext("channel/link").endswith("/world/")


def test_the_sitemap_lists_category_pages_with_posts(client, world):
    Category.objects.create(name="Empty", slug="empty")
    make_post(headline="Older", category=world, published_ago=timedelta(hours=3))
    newest = make_post(headline="Summit ends", category=world)
    make_post(
        headline="Embargoed",
        category=world,
        status=PostStatus.SCHEDULED,
        published_ago=-timedelta(hours=1),
    )
    sitemap = ElementTree.fromstring(client.get(reverse("sitemap")).content)
    lastmods = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in sitemap.iter(f"{SITEMAP}url")
    }
    assert "http://testserver/empty/" not in lastmods
    lastmod = datetime.fromisoformat(lastmods["http://testserver/world/"])
    assert lastmod == newest.modified_at.replace(microsecond=0)


def test_an_editor_sets_a_categorys_discussion_policy_in_the_admin(client, desk_editor):
    client.force_login(desk_editor)
    response = client.post(
        reverse("admin:newsroom_category_add"),
        {
            "name": "Courts",
            "slug": "courts",
            "discussion": DiscussionMode.PREMODERATE_SUSPECT,
            "slow_mode_seconds": "60",
            "close_after_hours": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    courts = Category.objects.get(slug="courts")
    response = client.post(
        reverse("admin:newsroom_category_change", args=[courts.pk]),
        {
            "name": "Courts",
            "slug": "courts",
            "discussion": DiscussionMode.PREMODERATED,
            "slow_mode_seconds": "120",
            "close_after_hours": "48",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = save_post(
        Post(headline="Verdict", slug="verdict", body="Guilty.", category_id=courts.pk),
        by=desk_editor,
    )
    thread = Thread.objects.get(post=post)
    assert (thread.mode, thread.slow_mode_seconds, thread.close_after_hours) == (
        DiscussionMode.PREMODERATED,
        120,
        48,
    )
    assert "Edit this category" in client.get(courts.get_absolute_url()).content.decode()


def test_the_admin_refuses_a_reserved_slug_and_keeps_what_was_typed(client, desk_editor):
    client.force_login(desk_editor)
    response = client.post(
        reverse("admin:newsroom_category_add"),
        {"name": "Opinion feed", "slug": "feed", "discussion": "open", "slow_mode_seconds": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The address /feed/ belongs to the site itself" in page
    assert 'value="Opinion feed"' in page
    assert not Category.objects.exists()


def test_staff_outside_the_editors_group_cannot_change_categories(client, editor, world):
    client.force_login(editor)
    response = client.post(
        reverse("admin:newsroom_category_change", args=[world.pk]),
        {"name": "World", "slug": "world", "discussion": "closed", "slow_mode_seconds": "0"},
    )
    assert response.status_code == 403
    assert Category.objects.get(pk=world.pk).discussion == DiscussionMode.OPEN
    assert "Edit this category" not in client.get("/world/").content.decode()


def test_renaming_a_category_changes_its_posts_etag(client, world):
    post = make_post(category=world)
    etag = client.get(post.get_absolute_url())["ETag"]
    Category.objects.filter(pk=world.pk).update(name="World news")
    response = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert ">World news</a>" in response.content.decode()
