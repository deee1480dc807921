"""The post page's cost does not grow with the thread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.discussion import queries, services
from soundoff.discussion.models import Comment
from soundoff.testing import CLIENT, make_post, make_reader


def _fill(post, author, count, replies_every=3):
    parent = None
    for n in range(count):
        comment = Comment.objects.create(
            thread=post.thread,
            author=author,
            body=f"Comment {n}",
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            terms_version_id=author.policy_acceptances.first().document_id,
            privacy_version_id=author.policy_acceptances.last().document_id,
        )
        parent = comment if n % replies_every == 0 and comment.depth < 2 else None


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("logged_in", [False, True])
def test_post_page_costs_the_same_for_3_and_300_comments(client, policies, logged_in):
    reader = make_reader("Counter")
    small, large = make_post(slug="small"), make_post(slug="large")
    _fill(small, reader, 3)
    _fill(large, reader, 300)
    if logged_in:
        client.force_login(reader)
    client.get(small.get_absolute_url())  # warm caches of templates and content types
    assert _queries_for(client, small.get_absolute_url()) == _queries_for(
        client, large.get_absolute_url()
    )
    assert _queries_for(client, large.get_absolute_url()) <= 10


def test_pages_follow_each_other_without_gaps_or_repeats(alice, post, settings):
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 4
    for n in range(10):
        services.post_comment(post.thread, author=alice, body=f"n{n}", client=CLIENT)
        settings.SOUNDOFF_COMMENT_RATE = "100/60"
    seen, cursor = [], None
    while True:
        page = queries.thread_page(post.thread, after=cursor)
        seen += [node.comment.body for node in page.nodes]
        if page.next_cursor is None:
            break
        cursor = queries.Cursor.decode(page.next_cursor.encode())
    assert seen == [f"n{n}" for n in range(10)]


@pytest.mark.parametrize("raw", ["", "abc", "1.2.3", "-5.1", "9" * 60, "99999999999999999999.1"])
def test_a_tampered_cursor_means_the_first_page(raw):
    assert queries.Cursor.decode(raw) is None


def test_a_permalink_past_the_first_page_opens_the_right_page(client, alice, post, settings):
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 2
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    comments = [
        services.post_comment(post.thread, author=alice, body=f"c{n}", client=CLIENT).comment
        for n in range(5)
    ]
    response = client.get(comments[4].get_absolute_url(), follow=True)
    assert f'id="comment-{comments[4].pk}"' in response.content.decode()
