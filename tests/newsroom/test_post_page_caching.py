"""The anonymous post page is shareable, answered from one cache entry and
revalidates cheaply; every change it shows is there at once; nothing
personal ever goes into a shared copy."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soundoff.accounts import services as accounts
from soundoff.accounts.queries import current_rules
from soundoff.discussion import services
from soundoff.discussion.models import ReactionKind, Thread
from soundoff.moderation.decisions import remove_comment
from soundoff.newsroom.models import Post, PostStatus, UpdateKind
from soundoff.newsroom.services import add_post_update
from testkit.cast import CLIENT


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


def _reads(queries, table: str) -> bool:
    return any(table in q["sql"] for q in queries.captured_queries)


def test_a_second_read_is_the_stored_page_after_one_query(client, post, alice):
    services.post_comment(post.thread, author=alice, body="Stored once", client=CLIENT)
    first = client.get(post.get_absolute_url() + "?sort=newest")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(post.get_absolute_url() + "?sort=newest")
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]  # post and thread
    assert again["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    "query", ["?utm_source=social", "?cursor=forged", "?sort=sideways", "?sort=oldest&x=1"]
)
def test_pages_asked_with_other_parameters_are_rendered_but_not_stored(client, post, query):
    """A stranger varying the query string without end must not fill the
    cache: such pages are rendered each time (the log-in links carry the
    whole path back, so they differ from the stored page)."""
    first = client.get(post.get_absolute_url() + query)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(post.get_absolute_url() + query)
    assert again.status_code == 200
    assert _reads(queries, "discussion_comment")


def test_a_later_page_of_comments_is_stored(client, post, alice, settings):
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 1
    for body in ("First word", "Second word"):
        services.post_comment(post.thread, author=alice, body=body, client=CLIENT)
    cursor = client.get(post.get_absolute_url()).context["page"].next_cursor
    later = f"{post.get_absolute_url()}?sort=oldest&cursor={cursor}"
    first = client.get(later)
    assert "Second word" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(later).content == first.content
    assert not _reads(queries, "discussion_comment")


def test_an_anonymous_read_after_a_signed_in_one_gets_the_anonymous_page(client, post, alice):
    services.post_comment(post.thread, author=alice, body="Mine", client=CLIENT)
    client.force_login(alice)
    assert "Log out" in client.get(post.get_absolute_url()).content.decode()
    client.logout()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Log out" not in page and "csrfmiddlewaretoken" not in page and "Mine" in page


@pytest.fixture
def commented(post, alice):
    return services.post_comment(post.thread, author=alice, body="Pipes are fixed.", client=CLIENT)


def _after(client, post, change) -> str:
    """The page after ``change``: asked with the ETag of the stored page
    from before it, it must be a new page."""
    client.get(post.get_absolute_url())
    etag = client.get(post.get_absolute_url())["ETag"]
    change()
    response = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200, "the change left the stored page in place"
    return response.content.decode()


def test_an_edit_shows_at_once(client, post, commented, alice):
    page = _after(
        client,
        post,
        lambda: services.edit_comment(
            commented.comment, by=alice, body="Pipes are mended.", client=CLIENT
        ),
    )
    assert "Pipes are mended." in page and "Pipes are fixed." not in page


def test_a_removal_shows_at_once(client, post, commented):
    page = _after(
        client, post, lambda: remove_comment(commented.comment, by=None, rule=current_rules()[0])
    )
    assert "Pipes are fixed." not in page


def test_a_deletion_by_its_author_shows_at_once(client, post, commented, alice):
    page = _after(client, post, lambda: services.delete_comment(commented.comment, by=alice))
    assert "Pipes are fixed." not in page


def test_a_reaction_shows_at_once(client, post, commented, bob):
    page = _after(
        client,
        post,
        lambda: services.react(commented.comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT),
    )
    assert "data-reaction-count>1" in page.replace(" ", "")


def test_a_new_display_name_shows_at_once(client, post, commented, alice):
    page = _after(
        client, post, lambda: accounts.change_display_name(alice, display_name="Alice Mended")
    )
    assert "Alice Mended" in page and "Alice Reader" not in page


def test_an_update_to_the_post_shows_at_once(client, post, desk_editor):
    page = _after(
        client,
        post,
        lambda: add_post_update(
            post, by=desk_editor, kind=UpdateKind.CORRECTION, text="The bridge is on Elm Street."
        ),
    )
    assert "The bridge is on Elm Street." in page


def test_a_post_saved_without_its_thread_gets_one_and_a_shared_page(client, db):
    post = Post.objects.create(
        headline="Raw", slug="raw", body="Loaded by hand.", status=PostStatus.PUBLISHED
    )
    assert not Thread.objects.filter(post=post).exists()
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert Thread.objects.filter(post=post).count() == 1


def test_a_post_scheduled_for_later_is_not_found_from_the_shared_path(client, db):
    post = Post.objects.create(
        headline="Later",
        slug="later",
        body="Not yet.",
        status=PostStatus.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert client.get(post.get_absolute_url()).status_code == 404
