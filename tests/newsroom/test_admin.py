from datetime import UTC, datetime, timedelta

from django.urls import reverse

from soundoff.discussion.models import DiscussionMode, Thread
from soundoff.newsroom.models import Category, Post, PostStatus
from testkit.cast import form_values, make_post


def _add_post(admin_client, **fields: str):
    """Send the admin's add form: a published post open to discussion, but for ``fields``."""
    form = {
        "headline": "A post",
        "slug": "a-post",
        "body": "Text.",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "discussion": "open",
        **fields,
    }
    return admin_client.post(reverse("admin:newsroom_post_add"), form)


def test_an_editor_publishes_a_post_with_its_discussion(admin_client):
    response = _add_post(
        admin_client,
        headline="Council approves bike lane",
        slug="bike-lane",
        byline="By A. Writer",
        body="The vote was **5 to 2**.",
        discussion="closed",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="bike-lane")
    assert post.published_at is not None
    assert "<strong>5 to 2</strong>" in post.body_html
    assert Thread.objects.get(post=post).mode == DiscussionMode.CLOSED


def test_a_scheduled_post_needs_a_time(admin_client):
    response = _add_post(admin_client, headline="Later", slug="later", status="scheduled")
    assert response.status_code == 200
    assert "needs its publication time" in response.content.decode()
    assert not Post.objects.exists()


def test_the_change_page_links_to_the_preview(admin_client, post):
    page = admin_client.get(reverse("admin:newsroom_post_change", args=[post.pk])).content.decode()
    assert reverse("newsroom:preview", args=[post.pk]) in page


def _change_form(admin_client, post: Post) -> dict[str, str]:
    page = admin_client.get(reverse("admin:newsroom_post_change", args=[post.pk]))
    return form_values(page.content.decode())


def test_saving_an_unrelated_field_keeps_the_discussion_policy(admin_client, post):
    Thread.objects.filter(post=post).update(
        mode=DiscussionMode.PREMODERATE_SUSPECT, slow_mode_seconds=30, close_after_hours=48
    )
    form = _change_form(admin_client, post)
    form["headline"] = "Water main breaks downtown; crews on site"
    response = admin_client.post(reverse("admin:newsroom_post_change", args=[post.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    thread = Thread.objects.get(post=post)
    assert thread.post.headline.endswith("crews on site")
    assert (thread.mode, thread.slow_mode_seconds, thread.close_after_hours) == (
        DiscussionMode.PREMODERATE_SUSPECT,
        30,
        48,
    )


def test_the_post_form_sets_the_category_slow_mode_and_closing(admin_client, post):
    courts = Category.objects.create(name="Courts", slug="courts")
    form = _change_form(admin_client, post)
    form.update(category=str(courts.pk), slow_mode_seconds="120", close_after_hours="24")
    response = admin_client.post(reverse("admin:newsroom_post_change", args=[post.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    thread = Thread.objects.get(post=post)
    assert post.category == courts
    assert (thread.slow_mode_seconds, thread.close_after_hours) == (120, 24)


def test_the_admin_takes_and_shows_times_in_the_newsroom_zone(admin_client):
    response = _add_post(
        admin_client,
        headline="Storm warning",
        slug="storm-warning",
        status="scheduled",
        published_at_0="2031-07-13",
        published_at_1="04:45:00",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="storm-warning")
    # 04:45 EDT is 08:45 UTC.
    assert post.published_at == datetime(2031, 7, 13, 8, 45, tzinfo=UTC)
    form = _change_form(admin_client, post)
    assert (form["published_at_0"], form["published_at_1"]) == ("2031-07-13", "04:45:00")
    page = admin_client.get(reverse("admin:newsroom_post_change", args=[post.pk])).content
    assert "in ET (America/New_York)" in page.decode()


def test_the_preview_says_truly_whether_readers_see_the_page(admin_client, db):
    published = make_post(headline="Out now")
    scheduled = make_post(
        headline="Later today", status=PostStatus.SCHEDULED, published_ago=-timedelta(hours=2)
    )
    draft = make_post(headline="Not yet", status=PostStatus.DRAFT)

    def notice(post: Post) -> str:
        page = admin_client.get(reverse("newsroom:preview", args=[post.pk])).content.decode()
        return page.split('class="notice notice--preview">', 1)[1].split("</p>", 1)[0]

    assert "readers see this page" in notice(published)
    assert "can't see" not in notice(published)
    assert notice(scheduled).startswith("Preview of a scheduled post: readers see this page from")
    assert notice(scheduled).endswith(" ET.")
    assert notice(draft) == "Preview of a Draft post: readers can't see this page yet."
