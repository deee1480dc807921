"""A read the ORM writes once, run again and again with new values.

The anonymous reads answered from the cache need one small row first (a
thread's version, a post's) and nothing else from the database. Building
that query through the ORM, filter by filter, and compiling it to SQL cost
more than running it and everything else such a read does
(bench/profile_read.py). Here the ORM still writes the query, so that it
stays the one definition of the tables and columns; it does so once per
database connection, with stand-in values, and later reads put their own
values where the stand-ins were and convert the row as the ORM would.

Only values that every database takes as they are (strings, integers
that fit in 64 bits) may vary this way: the stand-ins must come back
unchanged among the compiled query's parameters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

BIGINT = 2**63


class _Compiled(NamedTuple):
    connection: BaseDatabaseWrapper
    sql: str
    params: tuple[Any, ...]
    # Where each named value goes among the parameters.
    slots: dict[str, int]
    convert: Callable[[list[Any]], list[Any]]


class PreparedRead:
    """``build(**stand_ins)`` makes a ``values_list()`` query; ``first(**values)``
    is its first row for ``values``, as a list, or None."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], **stand_ins: str | int) -> None:
        self.build = build
        self.stand_ins = stand_ins
        # Per thread, as connections are (and so forgotten with them).
        self._local = threading.local()

    def first(self, using: str = DEFAULT_DB_ALIAS, **values: str | int) -> list[Any] | None:
        connection = connections[using]
        compiled: _Compiled | None = getattr(self._local, using, None)
        if compiled is None or compiled.connection is not connection:
            compiled = self._compile(connection, using)
        params = list(compiled.params)
        for name, value in values.items():
            if isinstance(value, int) and not -BIGINT <= value < BIGINT:
                return None  # no column here holds it (the ORM would find nothing too)
            params[compiled.slots[name]] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        return None if row is None else compiled.convert(list(row))

    def _compile(self, connection: BaseDatabaseWrapper, using: str) -> _Compiled:
        queryset = self.build(**self.stand_ins)[:1]
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = {}
        for name, stand_in in self.stand_ins.items():
            places = [n for n, param in enumerate(params) if param == stand_in]
            if len(places) != 1:
                raise ValueError(
                    f"The stand-in for {name!r} is {len(places)} times among the query's "
                    "parameters; give it a value no other parameter has."
                )
            slots[name] = places[0]
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)

        def convert(row: list[Any]) -> list[Any]:
            return next(compiler.apply_converters([row], converters)) if converters else row

        compiled = _Compiled(connection, sql, tuple(params), slots, convert)
        setattr(self._local, using, compiled)
        return compiled
