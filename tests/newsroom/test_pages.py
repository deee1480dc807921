from datetime import UTC, datetime, timedelta

from django.urls import reverse

from soundoff.discussion import services
from soundoff.newsroom.models import Post, PostStatus
from testkit.cast import CLIENT, make_post


def test_front_page_lists_published_posts_newest_first_with_counts(client, alice):
    older = make_post(headline="Older story", published_ago=timedelta(hours=5))
    newer = make_post(headline="Newer story", published_ago=timedelta(hours=1))
    make_post(headline="Draft story", status=PostStatus.DRAFT)
    services.post_comment(older.thread, author=alice, body="Hi", client=CLIENT)
    page = client.get("/").content.decode()
    assert page.index("Newer story") < page.index("Older story")
    assert "Draft story" not in page
    assert "soundoff (One Response)" in page
    assert "soundoff (No Responses)" in page
    assert newer.get_absolute_url() in page


def test_front_page_is_paginated(client, db, settings):
    settings.SOUNDOFF_POSTS_PER_PAGE = 2
    for n in range(5):
        make_post(headline=f"Story {n}", published_ago=timedelta(hours=n + 1))
    first = client.get("/").content.decode()
    third = client.get("/?page=3").content.decode()
    assert "Story 0" in first and "Story 2" not in first
    assert "Story 4" in third and "Page 3 of 3" in third


def test_post_page_shows_date_and_time_lines_in_eastern_time(client, db):
    post = make_post(headline="Storm")
    Post.objects.filter(pk=post.pk).update(published_at=datetime(2011, 7, 13, 21, 58, tzinfo=UTC))
    page = client.get(post.get_absolute_url()).content.decode()
    assert "July 13th, 2011" in page
    assert "05:58 PM ET" in page
    assert "soundoff (No Responses)" in page
    assert "Post a comment" in page
    assert reverse("terms") in page and reverse("rules") in page and reverse("privacy") in page
    assert "nobody reads them first" in page


def test_a_scheduled_post_appears_at_its_time_without_anyone_acting(client, db):
    post = make_post(
        headline="Embargoed", status=PostStatus.SCHEDULED, published_ago=-timedelta(minutes=5)
    )
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Embargoed" not in client.get("/").content.decode()
    Post.objects.filter(pk=post.pk).update(published_at=post.published_at - timedelta(minutes=6))
    assert client.get(post.get_absolute_url()).status_code == 200
    assert "Embargoed" in client.get("/").content.decode()


def test_drafts_are_404_for_readers_and_previewable_by_editors(client, alice, editor):
    draft = make_post(headline="Work in progress", status=PostStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    preview = reverse("newsroom:preview", args=[draft.pk])
    client.force_login(alice)
    assert client.get(preview).status_code == 302
    client.force_login(editor)
    page = client.get(preview).content.decode()
    assert "Work in progress" in page and "Preview of a Draft post" in page


def test_the_feed_and_sitemap_list_only_published_posts(client, db):
    make_post(headline="Public news", slug="public-news")
    make_post(headline="Hidden draft", slug="hidden-draft", status=PostStatus.DRAFT)
    feed = client.get(reverse("newsroom:feed")).content.decode()
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert "Public news" in feed and "Hidden draft" not in feed
    assert "/posts/public-news/" in sitemap and "hidden-draft" not in sitemap


def test_post_bodies_are_sanitised(client, db):
    post = make_post(body="Hello <script>alert(1)</script> [x](javascript:alert(1))")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page


def test_editors_find_the_admin_from_every_page_and_readers_do_not(client, alice, editor):
    post = make_post(headline="Bridge reopens")
    admin_link = f'href="{reverse("admin:index")}"'
    client.force_login(editor)
    assert admin_link in client.get(post.get_absolute_url()).content.decode()
    assert admin_link in client.get("/").content.decode()
    client.force_login(alice)
    assert admin_link not in client.get(post.get_absolute_url()).content.decode()
    client.logout()
    assert admin_link not in client.get("/").content.decode()
