"""Statistics for the database's query planner, refreshed by the project.

SQLite plans without statistics until someone runs ANALYZE, and a plan
chosen without them once walked every visible comment in the database for
a page's reply windows (bench/RESULTS.md: 130 ms a query at 100,000
comments, 0.1 ms on the right index). The thread reads now have indexes
that win with or without statistics (Comment.Meta, and the plan tests in
tests/discussion/test_query_plans.py); statistics keep the rest of the
schema, and reads added later, planned on real numbers rather than
guesses. PostgreSQL's autovacuum analyzes tables as they grow, but a
database just restored or bulk-loaded has no statistics until it does.

So every ``migrate`` refreshes them (bin/run migrates at each start, as
any deployment does after an upgrade).

Except on SQLite's full-text indexes' shadow tables (FTS5's ``*_data``,
``*_content``...), which only FTS5 itself reads and writes, by ids and
primary keys. ANALYZE counted 2 rows in a new site's comment index, and
on that count SQLite planned FTS5's ``DELETE ... WHERE id>=? AND id<=?``,
run whenever it merges the index's segments (every ~16 comments), as a
scan of the whole index: at 100,000 comments ~4 ms of CPU per comment on
average, the growth bench/scale measured in writes. Without a count,
SQLite takes a table to be large and searches the range, at any size.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

# Rows of each index SQLite reads to estimate it: the estimates are as good
# for choosing a plan, and the refresh takes a fraction of a second at any
# size instead of reading the whole database.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """Gather the planner's statistics for every table of ``using``."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("ANALYZE")
            return
        cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute(
            "SELECT name FROM pragma_table_list"
            " WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        # Counts of shadow tables gathered by an earlier version go too.
        # (A connection open now keeps the counts it loaded until it closes.)
        cursor.execute(
            "DELETE FROM sqlite_stat1"
            " WHERE tbl IN (SELECT name FROM pragma_table_list WHERE type = 'shadow')"
        )


def refresh_statistics_after_migrate(sender: Any, *, using: str, **kwargs: Any) -> None:
    """post_migrate, once per migrate (connected for one app): the schema
    may have new indexes, and a restored database has no statistics."""
    refresh_statistics(using)
