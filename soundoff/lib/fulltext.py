"""Full-text search in the database's own engine: the parts every search
shares, whichever vendor runs it.

A reader's words never reach the engine's query language as typed: FTS5 and
to_tsquery give meaning to quotes, ``*``, ``-``, ``NEAR``, ``AND``/``OR`` and
parentheses, and an unbalanced one is a syntax error. ``words`` keeps only
runs of letters and digits, which each engine then matches as plain terms.

The engines mark matches in their snippets with markers we choose (FTS5's
snippet() and highlight(), PostgreSQL's ts_headline). The text around them is
stored text written by readers and editors, so ``marked`` escapes all of it
first and only then turns our own markers into <mark>.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.core.paginator import Page, Paginator
from django.db import connection, migrations
from django.db.models import Expression, Model, QuerySet
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchQuery

# Private-use characters: nothing a reader types means them, and ``marked``
# stays well-formed even if stored text contains them.
START = "\ue000"
STOP = "\ue001"

# Longer queries are cut here (the form says so with its maxlength).
MAX_QUERY_LENGTH = 200
# Enough for any real question; more only makes the engine work harder.
MAX_WORDS = 12
MAX_WORD_LENGTH = 64

_WORD = re.compile(r"\w+")


def words(query: str) -> list[str]:
    """The terms of a reader's query, lower-cased, without repeats and
    without any character the engines would read as syntax."""
    found: list[str] = []
    for match in _WORD.finditer(query.lower()):
        word = match.group()[:MAX_WORD_LENGTH].strip("_")
        if word and word not in found:
            found.append(word)
    return found[:MAX_WORDS]


@dataclass(frozen=True)
class Asked:
    """What a reader asked in ``?q=``: the text as typed (so the form shows
    it back) but cut to MAX_QUERY_LENGTH, the same as a query string for the
    pager's links, and whether it has any word to look for."""

    text: str
    link: str
    has_words: bool


def asked(request: HttpRequest) -> Asked:
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    return Asked(text, urlencode({"q": text}) if text else "", bool(words(text)))


def fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression finding rows with every term: each one a
    quoted string, which FTS5 reads as a plain phrase of one word (``words``
    has already removed the quotes that could end it)."""
    return " ".join(f'"{term}"' for term in terms)


def marked(text: str) -> SafeString:
    """Stored text with the engine's markers, as safe HTML: escaped, then our
    markers turned into <mark> elements that are always balanced."""
    out: list[str] = []
    open_ = False
    for piece in re.split(f"([{START}{STOP}])", text):
        if piece == START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == STOP:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(escape(piece))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 -- every piece escaped above


@dataclass(frozen=True)
class Hit[T]:
    """One result: the row, its title and a snippet, matches in <mark>."""

    item: T
    title: SafeString
    snippet: SafeString


class Ranked[T](Protocol):
    """What a vendor's search gives back: the number of matches and any
    slice of them, best first, for django.core.paginator.Paginator."""

    def count(self) -> int: ...

    def __getitem__(self, window: slice) -> list[Hit[T]]: ...


class RankedRows[T]:
    """A Ranked over two callables: one that counts, one that reads a window
    (offset, limit) of hits. Both run only when the paginator asks."""

    def __init__(
        self, count: Callable[[], int], window: Callable[[int, int], list[Hit[T]]]
    ) -> None:
        self._count = count
        self._window = window

    def count(self) -> int:
        return self._count()

    def __getitem__(self, window: slice) -> list[Hit[T]]:
        start = window.start or 0
        return self._window(start, window.stop - start)


def fts5_ranked[M: Model](
    table: str,
    among: QuerySet[M],
    terms: Sequence[str],
    *,
    weights: str,
    title_column: int | None,
    snippet_columns: Sequence[int],
    snippet_words: int,
) -> Ranked[M]:
    """The rows of ``among`` whose FTS5 entry in ``table`` (rowid = pk) has
    every term, ranked by bm25 with the columns' ``weights``: two queries per
    page, one to count and one to read the window, plus ``among``'s to load
    the window's rows. The snippet is the first of ``snippet_columns`` with a
    match in it (else the first): the title already shows its own."""
    ids, ids_params = among.order_by().values("pk").query.sql_with_params()
    where = f"{table} MATCH %s AND rowid IN ({ids})"
    params = [fts5_query(terms), *ids_params]
    title = "''" if title_column is None else f"highlight({table}, {title_column}, %s, %s)"
    title_params = [] if title_column is None else [START, STOP]

    def count() -> int:
        with connection.cursor() as cursor:
            # The table and columns come from our code; the reader's words
            # are a parameter.
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}", params)  # noqa: S608
            return int(cursor.fetchone()[0])

    snippets = ", ".join(
        f"snippet({table}, {column}, %s, %s, '…', {snippet_words})" for column in snippet_columns
    )
    snippet_params = [START, STOP] * len(snippet_columns)

    def window(offset: int, limit: int) -> list[Hit[M]]:
        sql = (
            f"SELECT rowid, {title}, {snippets} FROM {table} WHERE {where}"  # noqa: S608
            f" ORDER BY bm25({table}, {weights}), rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*title_params, *snippet_params, *params, limit, offset])
            rows = cursor.fetchall()
        found = among.in_bulk([row[0] for row in rows])
        return [
            Hit(found[pk], marked(title), marked(_with_match(texts)))
            for pk, title, *texts in rows
            if pk in found
        ]

    return RankedRows(count, window)


def tsquery_ranked[M: Model](
    matches: QuerySet[M],
    query: SearchQuery,
    *,
    document: Expression,
    title: str | None,
    snippet: str | Expression,
    snippet_words: int,
    then_by: Sequence[str],
) -> Ranked[M]:
    """PostgreSQL's side of fts5_ranked: ``matches`` (already filtered on
    the index) ranked by ``document`` against ``query``, then ``then_by``;
    ts_headline marks the ``title`` field whole and cuts a snippet from
    ``snippet``. Two queries per page: the count and the window."""
    # Here, not at the top: django.contrib.postgres brings psycopg (~14 MB in
    # every process), which a site on SQLite never needs.
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    headline = partial(
        SearchHeadline, query=query, config="simple", start_sel=START, stop_sel=STOP
    )
    annotations: dict[str, Any] = {
        "search_rank": SearchRank(document, query),
        "search_snippet": headline(snippet, max_words=snippet_words, min_words=snippet_words // 2),
    }
    if title is not None:
        annotations["search_title"] = headline(title, highlight_all=True)

    def window(offset: int, limit: int) -> list[Hit[M]]:
        rows = matches.annotate(**annotations).order_by("-search_rank", *then_by)
        return [
            Hit(row, marked(getattr(row, "search_title", "")), marked(row.search_snippet))
            for row in rows[offset : offset + limit]
        ]

    return RankedRows(matches.count, window)


def _with_match(snippets: Sequence[str]) -> str:
    return next((text for text in snippets if START in text), snippets[0])


class NoHits[T]:
    """The result of a query with no words in it: nothing, without asking the
    database."""

    def count(self) -> int:
        return 0

    def __getitem__(self, window: slice) -> list[Hit[T]]:
        return []


def paginate[T](results: Ranked[T], per_page: int, number: str | None) -> Page[Hit[T]]:
    """The page ``number`` of ``results`` (the last for a number past it, the
    first for one that isn't a number). Paginator's contract is an object
    with count() and slicing, which a Ranked is; its type stubs ask for a
    whole sequence, hence the cast."""
    paginator: Paginator[Hit[T]] = Paginator(cast(Any, results), per_page)
    return paginator.get_page(number)


def vendor_sql(
    forward: dict[str, list[str]], *, reverse: dict[str, list[str]]
) -> migrations.RunPython:
    """A migration operation running each vendor's own statements (FTS5 and
    GIN exist on one vendor each), and nothing on a vendor not named."""

    def runner(statements: dict[str, list[str]]) -> Callable[[Any, Any], None]:
        def run(apps: Any, schema_editor: Any) -> None:
            for statement in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement, params=None)

        return run

    return migrations.RunPython(runner(forward), runner(reverse))
