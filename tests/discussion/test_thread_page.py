"""The post page's cost does not grow with the thread."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soundoff.accounts.queries import current_policies, current_rules
from soundoff.discussion import queries, services
from soundoff.discussion.models import Comment, CommentStatus, Reaction, ReactionKind
from testkit.cast import CLIENT, make_comment, make_post, make_reader


def _fill(post, author, count, replies_every=3):
    parent = None
    for n in range(count):
        comment = make_comment(post.thread, author, f"Comment {n}", parent=parent)
        parent = comment if n % replies_every == 0 and comment.depth < 2 else None


def _text(node) -> str:
    """What the reader wrote, from the listed HTML (a paragraph of text)."""
    return node.comment.body_html.removeprefix("<p>").removesuffix("</p>\n")


def _queries_for(client, url):
    """The queries of a cold read: nothing of the page in any cache (with
    Redis, each process also keeps answers in its "local" one)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    # Clearing the cache also drops the version under which each process
    # keeps the policies and rules (lib/versioned.py), so the next read
    # would reload them: a cost of a new version, not of a page.
    current_policies()
    current_rules()
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
        # Pressed on every comment: the page reads them in one query.
        Reaction.objects.bulk_create(
            Reaction(comment=comment, user=reader, kind=ReactionKind.AGREE)
            for comment in Comment.objects.all()
        )
    client.get(small.get_absolute_url())  # warm caches of templates and content types
    assert _queries_for(client, small.get_absolute_url()) == _queries_for(
        client, large.get_absolute_url()
    )
    # A signed-in page also reads the session, the reader, the policies they
    # have yet to accept, their permissions (two reads) for the staff links
    # in the masthead, the reactions they pressed on the page's comments,
    # a sanction in force (its notice replaces the form) and their own
    # comments waiting for a moderator: a fixed cost, whatever the
    # thread's size.
    budget = 15 if logged_in else 10
    assert _queries_for(client, large.get_absolute_url()) <= budget


@pytest.mark.parametrize(
    "sort, expected",
    [
        (queries.Sort.OLDEST, [f"n{n}" for n in range(10)]),
        (queries.Sort.NEWEST, [f"n{n}" for n in reversed(range(10))]),
    ],
)
def test_pages_follow_each_other_without_gaps_or_repeats(alice, post, settings, sort, expected):
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 4
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    for n in range(10):
        services.post_comment(post.thread, author=alice, body=f"n{n}", client=CLIENT)
    seen, cursor = [], None
    while True:
        page = queries.thread_page(post.thread, sort=sort, cursor=cursor)
        seen += [_text(node) for node in page.nodes]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected


def test_most_reactions_first_breaks_ties_by_time(alice, post, settings):
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 2
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    made = [
        services.post_comment(post.thread, author=alice, body=f"r{n}", client=CLIENT).comment
        for n in range(5)
    ]
    for comment, reactions in zip(made, [0, 5, 1, 5, 0], strict=True):
        Comment.objects.filter(pk=comment.pk).update(reaction_count=reactions)
    seen, cursor = [], None
    while True:
        page = queries.thread_page(post.thread, sort=queries.Sort.REACTIONS, cursor=cursor)
        seen += [_text(node) for node in page.nodes]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == ["r3", "r1", "r2", "r4", "r0"]


@pytest.mark.parametrize("raw", ["", "abc", "1.2.3", "W10:1abc:xyz", "9" * 60])
def test_a_tampered_cursor_is_refused(post, raw):
    with pytest.raises(queries.InvalidCursor):
        queries.thread_page(post.thread, cursor=raw or "x")


def test_a_cursor_of_another_thread_or_order_is_refused(alice, settings):
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 1
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    first, second = make_post(), make_post()
    for body in ("a", "b"):
        services.post_comment(first.thread, author=alice, body=body, client=CLIENT)
    cursor = queries.thread_page(first.thread).next_cursor
    with pytest.raises(queries.InvalidCursor):
        queries.thread_page(second.thread, cursor=cursor)
    with pytest.raises(queries.InvalidCursor):
        queries.thread_page(first.thread, sort=queries.Sort.NEWEST, cursor=cursor)


def test_a_tampered_cursor_on_the_page_shows_the_first_page(client, alice, post):
    services.post_comment(post.thread, author=alice, body="Still here", client=CLIENT)
    response = client.get(post.get_absolute_url() + "?cursor=forged&sort=bogus")
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_replies_come_in_windows_with_the_rest_counted(client, alice, bob, post, settings):
    settings.SOUNDOFF_REPLY_WINDOW = 2
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    root = services.post_comment(post.thread, author=alice, body="Root", client=CLIENT).comment
    for n in range(5):
        services.post_comment(
            post.thread, author=bob, body=f"reply {n}", client=CLIENT, parent=root
        )
    page = queries.thread_page(post.thread)
    node = page.nodes[0]
    assert [_text(reply) for reply in node.replies] == ["reply 0", "reply 1"]
    assert node.more_replies == 3
    html = client.get(post.get_absolute_url()).content.decode()
    assert "3 more replies" in html
    rest = client.get(reverse("discussion:replies", args=[root.pk])).content.decode()
    assert all(f"reply {n}" in rest for n in range(5))


def test_a_permalink_past_the_first_page_opens_the_right_page(client, alice, post, settings):
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 2
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    comments = [
        services.post_comment(post.thread, author=alice, body=f"c{n}", client=CLIENT).comment
        for n in range(5)
    ]
    response = client.get(comments[4].get_absolute_url(), follow=True)
    assert f'id="comment-{comments[4].pk}"' in response.content.decode()


def test_reply_windows_use_the_replies_index_without_statistics(db):
    """SQLite plans without statistics unless someone runs ANALYZE; the
    reply-window queries must still take the root index, not walk every
    visible comment (bench/RESULTS.md measured 130 ms against 0.1 ms)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics (autovacuum analyzes)")
    queryset = Comment.objects.filter(
        root__in=[1, 2, 3], status__in=CommentStatus.shown_in_thread()
    ).values_list("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "discussion_replies" in plan, plan
