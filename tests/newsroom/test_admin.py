from django.urls import reverse

from soundoff.discussion.models import DiscussionMode, Thread
from soundoff.newsroom.models import Post


def test_an_editor_publishes_a_post_with_its_discussion(admin_client):
    response = admin_client.post(
        reverse("admin:newsroom_post_add"),
        {
            "headline": "Council approves bike lane",
            "slug": "bike-lane",
            "byline": "By A. Writer",
            "body": "The vote was **5 to 2**.",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "discussion": "closed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="bike-lane")
    assert post.published_at is not None
    assert "<strong>5 to 2</strong>" in post.body_html
    assert Thread.objects.get(post=post).mode == DiscussionMode.CLOSED


def test_a_scheduled_post_needs_a_time(admin_client):
    response = admin_client.post(
        reverse("admin:newsroom_post_add"),
        {
            "headline": "Later",
            "slug": "later",
            "body": "Soon.",
            "status": "scheduled",
            "published_at_0": "",
            "published_at_1": "",
            "discussion": "open",
        },
    )
    assert response.status_code == 200
    assert "needs its publication time" in response.content.decode()
    assert not Post.objects.exists()


def test_the_change_page_links_to_the_preview(admin_client, post):
    page = admin_client.get(reverse("admin:newsroom_post_change", args=[post.pk])).content.decode()
    assert reverse("newsroom:preview", args=[post.pk]) in page
