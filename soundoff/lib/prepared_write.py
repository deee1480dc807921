"""An update the ORM writes once, run again and again with new values.

A new comment's write transaction updates its thread's row with a WHERE
that re-checks, under the write lock, what the comment's checks read
before it (discussion.write_checks). Building that statement through the
ORM, filter by filter with its subqueries, and compiling it cost more
than running it (bench/profile_write.py). As ``soundoff.lib.prepared``
does for reads, the ORM still writes the statement, so that it stays the
one definition of the tables and columns; it does so once per database
connection, with stand-in values, and later updates put their own values
where the stand-ins were.

The values that vary may be strings, integers that fit in 64 bits, and
aware datetimes (adapted for the database as the ORM adapts them). A
stand-in may appear in several places of the statement (a time compared
twice); it must not be equal to any other parameter, and must fit its
column on every database (a lookup past a 32-bit column's range on
PostgreSQL compiles to no statement at all).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, cast

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet, sql

from .prepared import Value, filled, slots_of


class _Compiled(NamedTuple):
    connection: BaseDatabaseWrapper
    sql: str
    params: tuple[Any, ...]
    # Where each named value goes among the parameters.
    slots: dict[str, list[int]]


class PreparedUpdate:
    """``build(**stand_ins)`` gives a queryset and the fields to set, as
    ``QuerySet.update`` takes them; ``run(values)`` runs that update with
    ``values`` in the stand-ins' places and returns the number of rows
    changed. Signals are not sent, as ``QuerySet.update`` sends none."""

    def __init__(
        self,
        build: Callable[..., tuple[QuerySet[Any, Any], Mapping[str, Any]]],
        **stand_ins: Value,
    ) -> None:
        self.build = build
        self.stand_ins = stand_ins
        # Per thread, as connections are (and so forgotten with them).
        self._local = threading.local()

    def run(self, values: Mapping[str, Value], *, using: str = DEFAULT_DB_ALIAS) -> int:
        connection = connections[using]
        compiled: _Compiled | None = getattr(self._local, using, None)
        if compiled is None or compiled.connection is not connection:
            compiled = self._compile(connection, using)
        params = filled(connection, compiled.params, compiled.slots, values)
        if params is None:
            return 0  # no row has it (the ORM would update none too)
        with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return cursor.rowcount

    def _compile(self, connection: BaseDatabaseWrapper, using: str) -> _Compiled:
        queryset, fields = self.build(**self.stand_ins)
        query = cast(sql.UpdateQuery, queryset.query.chain(sql.UpdateQuery))
        query.add_update_values(dict(fields))
        query.clear_select_clause()  # as QuerySet.update leaves it
        compiled_sql, params = query.get_compiler(using).as_sql()
        slots = slots_of(connection, self.stand_ins, params)
        compiled = _Compiled(connection, compiled_sql, tuple(params), slots)
        setattr(self._local, using, compiled)
        return compiled
