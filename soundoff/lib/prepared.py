"""A read the ORM writes once, run again and again with new values.

The anonymous reads answered from the cache need one small row first (a
thread's version, a post's) and nothing else from the database. Building
that query through the ORM, filter by filter, and compiling it to SQL cost
more than running it and everything else such a read does
(bench/profile_read.py). Here the ORM still writes the query, so that it
stays the one definition of the tables and columns; it does so once per
database connection, with stand-in values, and later reads put their own
values where the stand-ins were and convert the row as the ORM would.

Only strings, integers that fit in 64 bits, aware datetimes and UUIDs may
vary this way: each stand-in must come back among the compiled query's
parameters (a datetime or a UUID as the ORM adapts it for the database),
once or more, and no other parameter may have its value.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet

BIGINT = 2**63
Value = str | int | datetime | uuid.UUID


class _Compiled(NamedTuple):
    connection: BaseDatabaseWrapper
    sql: str
    params: tuple[Any, ...]
    # Where each named value goes among the parameters.
    slots: dict[str, list[int]]
    convert: Callable[[list[Any]], list[Any]]


class PreparedRead:
    """``build(**stand_ins)`` makes a ``values_list()`` query; ``first(**values)``
    is its first row for ``values``, as a list, or None; ``all(**values)``
    its rows. A slice (a LIMIT) is part of the query, not a value."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], **stand_ins: Value) -> None:
        self.build = build
        self.stand_ins = stand_ins
        # Per thread, as connections are (and so forgotten with them).
        self._local = threading.local()

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: Value) -> list[Any] | None:
        rows = self._run(using, values, first=True)
        return rows[0] if rows else None

    def all(self, *, using: str = DEFAULT_DB_ALIAS, **values: Value) -> list[list[Any]]:
        """Every row of the query for ``values``, as lists."""
        return self._run(using, values, first=False)

    def _run(self, using: str, values: dict[str, Value], *, first: bool) -> list[list[Any]]:
        connection = connections[using]
        key = f"{using}:{first}"
        compiled: _Compiled | None = getattr(self._local, key, None)
        if compiled is None or compiled.connection is not connection:
            compiled = self._compile(connection, using, first=first)
            setattr(self._local, key, compiled)
        params = filled(connection, compiled.params, compiled.slots, values)
        if params is None:
            return []  # no column here holds it (the ORM would find nothing too)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = [cursor.fetchone()] if first else cursor.fetchall()
        return [compiled.convert(list(row)) for row in rows if row is not None]

    def _compile(self, connection: BaseDatabaseWrapper, using: str, *, first: bool) -> _Compiled:
        queryset = self.build(**self.stand_ins)
        compiler = (queryset[:1] if first else queryset).query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = slots_of(connection, self.stand_ins, params)
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        columns = [
            (position, [_quicker(connection, each) for each in functions], expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        ]

        def convert(row: list[Any]) -> list[Any]:
            """compiler.apply_converters for one row, without its generator."""
            for position, functions, expression in columns:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            return row

        return _Compiled(connection, sql, tuple(params), slots, convert)


def slots_of(
    connection: BaseDatabaseWrapper, stand_ins: Mapping[str, Value], params: Sequence[Any]
) -> dict[str, list[int]]:
    """Where each stand-in's value is among a compiled statement's ``params``."""
    slots = {}
    for name, stand_in in stand_ins.items():
        adapted = _adapted(connection, stand_in)
        slots[name] = [n for n, param in enumerate(params) if param == adapted]
        if not slots[name]:
            raise ValueError(
                f"The stand-in for {name!r} is not among the statement's parameters; "
                "give it a value no other parameter has, of a type the ORM passes as it is."
            )
    return slots


def filled(
    connection: BaseDatabaseWrapper,
    params: Sequence[Any],
    slots: Mapping[str, list[int]],
    values: Mapping[str, Value],
) -> list[Any] | None:
    """``params`` with ``values`` where their stand-ins were; None when an
    integer is past any 64-bit column, so that no row can hold it."""
    filled = list(params)
    for name, value in values.items():
        if isinstance(value, int) and not -BIGINT <= value < BIGINT:
            return None
        for slot in slots[name]:
            filled[slot] = _adapted(connection, value)
    return filled


def _adapted(connection: BaseDatabaseWrapper, value: Value) -> Any:
    """``value`` as the compiled query holds it: a datetime as the
    database's adapter writes it (a string on SQLite), a UUID as
    UUIDField passes it (its hex where the database has no UUID type),
    the rest as it is."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
        return value.hex
    return value


Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


def _quicker(connection: BaseDatabaseWrapper, converter: Converter) -> Converter:
    """SQLite's datetime converter, which reads the settings and checks
    the value's type and zone through three calls for every value, cut to
    what it does with the text SQLite stores: the naive time read by
    datetime.fromisoformat and put in the connection's zone. Anything
    else goes to Django's own. A listing has two datetimes a comment."""
    if not (
        connection.vendor == "sqlite"
        and settings.USE_TZ
        and converter == getattr(connection.ops, "convert_datetimefield_value", None)
    ):
        return converter
    zone = connection.timezone

    def convert(value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if type(value) is str:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if moment.tzinfo is None:
                    return moment.replace(tzinfo=zone)
        return converter(value, expression, connection)

    return convert


class PreparedInstance:
    """A model instance read whole in SQL written once, as
    ``PreparedRead`` reads a row: ``build(**stand_ins)`` filters ``model``,
    and ``first(**values)`` is the first instance it finds, or None. With
    ``related`` (a one-to-one or a foreign key of it, either side of a
    one-to-one), that instance is read in the same row and cached on it as
    ``select_related`` caches it: None where there is none."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet[Any]],
        *,
        related: str | None = None,
        **stand_ins: Value,
    ) -> None:
        self.model = model
        self.columns = _columns(model)
        # A field or the reverse of one: both cache the instance they lead to.
        self.relation: Any = None if related is None else model._meta.get_field(related)
        other = _columns(self.relation.related_model) if self.relation else []
        self.related_columns = other
        names = [*self.columns, *(f"{related}__{column}" for column in other)]
        self._read = PreparedRead(
            lambda **values: build(**values).values_list(*names), **stand_ins
        )

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: Value) -> Any:
        row = self._read.first(using=using, **values)
        if row is None:
            return None
        count = len(self.columns)
        instance = self.model.from_db(using, self.columns, row[:count])
        if self.relation is not None:
            model = self.relation.related_model
            rest = row[count:]
            pk = rest[self.related_columns.index(model._meta.pk.attname)]
            other = None if pk is None else model.from_db(using, self.related_columns, rest)
            self.relation.set_cached_value(instance, other)
            if other is not None and self.relation.one_to_one:
                self.relation.remote_field.set_cached_value(other, instance)
        return instance


def _columns(model: Any) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]
