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
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")


def refresh_statistics_after_migrate(sender: Any, *, using: str, **kwargs: Any) -> None:
    """post_migrate, once per migrate (connected for one app): the schema
    may have new indexes, and a restored database has no statistics."""
    refresh_statistics(using)
