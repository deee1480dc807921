"""Thread reads take their indexes at scale, with and without statistics.

Each read is run as the site runs it, its queries are captured, and each
query on discussion_comment is explained by the database itself: on
SQLite every step on the table must be a SEARCH on one of the thread
indexes (never a SCAN, which walks the table or a whole index: the
reply-window plan of bench/RESULTS.md walked every visible comment); on
PostgreSQL no step may be a sequential scan of it. The database holds
20,000 comments over 40 discussions, so that statistics say what a
newsroom's would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soundoff.accounts.models import User
from soundoff.api.cached import _shown_version
from soundoff.discussion import queries
from soundoff.discussion.models import Comment, CommentStatus, Thread
from soundoff.lib.planner import refresh_statistics
from soundoff.moderation.pipeline import Submission
from testkit.cast import CLIENT, make_reader

THREADS, PER_THREAD, AUTHORS = 40, 500, 32
THREAD_INDEXES = ("discussion_top", "discussion_top_reacted", "discussion_replies")


@pytest.fixture
def crowded(policies) -> Thread:
    return _crowd()


@pytest.fixture
def outgrown(policies) -> Thread:
    """The crowd, loaded after the planner's statistics were gathered on a
    database of a few readers and no comment (as bin/run's migrate leaves a
    new site that then grows, or is bulk-loaded, faster than PostgreSQL's
    autovacuum analyzes it)."""
    authors = _authors()
    refresh_statistics()
    return _crowd(authors)


def _authors() -> list[User]:
    return [make_reader(f"Prolific {n}") for n in range(AUTHORS)]


def _crowd(authors: list[User] | None = None) -> Thread:
    """40 discussions of 500 comments by 32 readers (a third of them
    top-level, each with two replies; one in twenty held or removed);
    returns the last."""
    authors = authors or _authors()
    terms = authors[0].policy_acceptances.first().document_id
    privacy = authors[0].policy_acceptances.last().document_id
    threads = Thread.objects.bulk_create(
        Thread(page_url=f"https://example.org/story-{n}") for n in range(THREADS)
    )
    start = timezone.now() - timedelta(days=30)

    def comment(thread: Thread, n: int, parent: Comment | None = None) -> Comment:
        status = CommentStatus.VISIBLE
        if n % 20 == 7:
            status = CommentStatus.HELD if n % 40 == 7 else CommentStatus.REMOVED
        return Comment(
            thread=thread,
            parent=parent,
            root=parent,
            depth=1 if parent else 0,
            author=authors[n % AUTHORS],
            body=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            status=status,
            created_at=start + timedelta(minutes=len(threads) * n + thread.pk),
            reaction_count=n % 5,
            terms_version_id=terms,
            privacy_version_id=privacy,
        )

    roots = Comment.objects.bulk_create(
        comment(thread, n) for thread in threads for n in range(0, PER_THREAD, 3)
    )
    Comment.objects.bulk_create(
        comment(root.thread, int(root.body.split()[1]) + k, parent=root)
        for root in roots
        for k in (1, 2)
    )
    assert Comment.objects.count() >= THREADS * PER_THREAD
    return threads[-1]


def _explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [str(row[-1]) for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql)
        return [str(row[0]) for row in cursor.fetchall()]


def _bad_steps(plan: list[str]) -> list[str]:
    """Steps on discussion_comment that read more than the thread's rows."""
    if connection.vendor == "sqlite":
        indexes = "|".join(THREAD_INDEXES)
        good = re.compile(rf"SEARCH discussion_comment USING (COVERING )?INDEX ({indexes}) \(")
        return [step for step in plan if "discussion_comment" in step and not good.search(step)]
    elsewhere = "|".join(_indexes_not_starting_at_a_thread())
    bad = re.compile(
        rf"Seq Scan on discussion_comment|Index (Only )?Scan (using|on) ({elsewhere})\b"
    )
    return [step for step in plan if bad.search(step)]


def _indexes_not_starting_at_a_thread() -> list[str]:
    """discussion_comment's indexes that don't lead with its thread or its
    root (on the author, the moderators' queue...): a listing started from
    one of them reads comments of other discussions."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "discussion_comment")
    return [
        name
        for name, index in found.items()
        if index["index"] and index["columns"][:1] not in (["thread_id"], ["root_id"], ["id"])
    ]


def _plans_of(read: Callable[[], object]) -> dict[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        read()
    return {
        q["sql"]: _explain(q["sql"])
        for q in captured.captured_queries
        if "discussion_comment" in q["sql"]
    }


def _reads(thread: Thread) -> dict[str, Callable[[], object]]:
    later = queries.thread_page(thread, limit=20).next_cursor
    root = Comment.objects.filter(thread=thread, depth=0).order_by("-created_at").first()
    return {
        **{
            f"page {sort}": (lambda sort=sort: queries.thread_page(thread, sort=sort, limit=20))
            for sort in queries.Sort
        },
        "a later page": lambda: queries.thread_page(thread, cursor=later, limit=20),
        "replies": lambda: queries.replies_page(root),
        "a permalink's page": lambda: queries.page_cursor_for(root),
        "the version": lambda: _shown_version(thread.pk),
    }


def _assert_indexed(thread: Thread) -> None:
    for name, read in _reads(thread).items():
        for sql, plan in _plans_of(read).items():
            assert not _bad_steps(plan), f"{name}: {sql}\n" + "\n".join(plan)


def test_reads_take_the_thread_indexes_without_statistics(crowded):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL always plans on statistics (autovacuum, and migrate's ANALYZE)")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("ANALYZE sqlite_schema")  # the planner forgets what it had loaded
    _assert_indexed(crowded)


def test_migrate_gathers_statistics_and_reads_keep_their_indexes(crowded):
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'discussion_comment'")
        else:
            cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'discussion_comment'")
        assert cursor.fetchall(), "migrate left the planner without statistics"
    _assert_indexed(crowded)


def test_reads_keep_their_indexes_when_the_database_outgrew_its_statistics(outgrown):
    """bench/scale on PostgreSQL: statistics from a database without
    comments made the reply windows start from the readers and walk every
    visible comment of each (0.8 s a page at 100,000 comments)."""
    _assert_indexed(outgrown)


@pytest.mark.parametrize("sort", list(queries.Sort))
def test_a_later_page_starts_in_the_index_at_its_cursor(crowded, sort):
    """Keyset pages seek to their cursor rather than walking the thread's
    earlier comments: the index condition has the first sort column."""
    cursor = queries.thread_page(crowded, sort=sort, limit=20).next_cursor
    plans = _plans_of(lambda: queries.thread_page(crowded, sort=sort, cursor=cursor, limit=20))
    first, *_ = plans.values()  # the top-level comments
    column = "reaction_count" if sort is queries.Sort.REACTIONS else "created_at"
    seek = f"{column}[<>]" if connection.vendor == "sqlite" else f"Index Cond: .*{column} [<>]="
    assert any(re.search(seek, step) for step in first), "\n".join(first)


def test_a_walk_of_the_table_would_be_caught(crowded):
    """The check itself: a read with no usable index is reported."""
    sql = str(Comment.objects.filter(body="Comment 7").values("pk").query)
    assert _bad_steps(_explain(sql.replace("Comment 7", "'Comment 7'")))


def test_an_authors_recent_comments_are_a_range_of_their_index(crowded):
    """Every new comment's checks read its author's recent comments: a range
    of discussion_by_author, not everything the author ever wrote (a reader
    with 3,000 comments made each of their posts cost more in bench/run)."""
    author = Comment.objects.filter(thread=crowded).first().author
    submission = Submission(thread=crowded, author=author, body="Again.", client=CLIENT)
    [plan] = _plans_of(lambda: submission.recent_comments).values()
    if connection.vendor == "sqlite":
        seek = r"INDEX discussion_by_author \(author_id=\? AND created_at>\?\)"
    else:
        seek = r"Index Cond: \(\(author_id = \d+\) AND \(created_at >= "
    assert any(re.search(seek, step) for step in plan), "\n".join(plan)


# Statements FTS5 itself runs on a full-text index's shadow tables, by a
# range of ids: removing a merged segment's pages, reading documents back.
FTS5_RANGES = (
    "DELETE FROM {index}_data WHERE id>=1 AND id<=2",
    "SELECT rowid, c0 FROM {index}_content WHERE rowid <= 2 AND rowid >= 1 ORDER BY rowid DESC",
)


@pytest.mark.parametrize("index", ["discussion_comment_fts", "newsroom_post_fts"])
def test_full_text_indexes_search_their_ranges_when_outgrown(outgrown, index):
    """bench/scale on SQLite: on the 2 rows migrate's ANALYZE counted in a
    new site's comment index, FTS5's removal of merged pages (every ~16
    comments) scanned the whole index: 4 ms a comment at 100,000."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's search is a GIN index, not tables of its own")
    for statement in FTS5_RANGES:
        plan = _explain(statement.format(index=index))
        assert not [step for step in plan if "SCAN" in step], "\n".join(plan)


def test_statistics_leave_full_text_indexes_without_counts(db):
    """Counts an earlier version gathered on a shadow table go as well."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's search is a GIN index, not tables of its own")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat)"
            " VALUES ('discussion_comment_fts_data', NULL, '2')"
        )
        refresh_statistics()
        cursor.execute("SELECT tbl FROM sqlite_stat1 WHERE tbl = 'discussion_comment_fts_data'")
        assert cursor.fetchall() == []
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'django_migrations'")
        assert cursor.fetchall(), "the site's own tables keep theirs"
