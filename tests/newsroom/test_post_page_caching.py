"""The anonymous post page is shareable and revalidates cheaply; nothing
personal ever goes into a shared copy."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.discussion import services
from soundoff.newsroom.models import UpdateKind
from soundoff.newsroom.services import add_post_update
from soundoff.testing import CLIENT


def test_anonymous_pages_are_public_with_an_etag_and_last_modified(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=30" in cache_control


def test_a_revalidation_answers_304_without_reading_comments_or_updates(
    client, post, alice, desk_editor
):
    services.post_comment(post.thread, author=alice, body="Before", client=CLIENT)
    add_post_update(post, by=desk_editor, kind=UpdateKind.UPDATE, text="Crews arrived.")
    etag = client.get(post.get_absolute_url())["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "discussion_comment" not in tables and "newsroom_postupdate" not in tables


def test_a_new_comment_changes_the_etag_and_the_page(client, post, alice):
    etag = client.get(post.get_absolute_url())["ETag"]
    services.post_comment(post.thread, author=alice, body="Fresh news", client=CLIENT)
    response = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Fresh news" in response.content.decode()


def test_the_etag_differs_by_sort(client, post):
    oldest = client.get(post.get_absolute_url())["ETag"]
    newest = client.get(post.get_absolute_url() + "?sort=newest")["ETag"]
    assert oldest != newest


def test_the_shared_page_holds_nothing_personal(client, post, alice):
    services.post_comment(post.thread, author=alice, body="Hello all", client=CLIENT)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert alice.email not in page
    assert "Log out" not in page and "Edit" not in page and "Posting as" not in page
    assert "Hello all" in page


def test_signed_in_pages_are_private_and_not_from_the_shared_fragment(client, post, alice):
    services.post_comment(post.thread, author=alice, body="Mine", client=CLIENT)
    client.get(post.get_absolute_url())  # fills the anonymous fragment cache
    client.force_login(alice)
    response = client.get(post.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    page = response.content.decode()
    assert "csrfmiddlewaretoken" in page
    assert ">Edit<" in page  # her own comment's link: not the anonymous fragment


def test_a_waiting_flash_message_keeps_the_page_private(client, post):
    client.cookies["messages"] = "pending"
    assert "private" in client.get(post.get_absolute_url())["Cache-Control"]
