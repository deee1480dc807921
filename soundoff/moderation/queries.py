"""Reads for moderators (a reader's history, the search over comments), and
what a sanctioned reader is told wherever they try to write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, Thread
from soundoff.lib.dateline import date_line, time_line
from soundoff.lib.fulltext import NoHits, Ranked, fts5_ranked, words
from soundoff.lib.versioned import Loaded, Versioned

from .models import Flag, PremoderatedReader, Sanction, SanctionKind


def story_title(thread: Thread) -> str:
    """What moderators call a discussion: its post's headline, or for an
    embedded discussion its page."""
    post = thread.post
    return post.headline if post is not None else str(thread)


@dataclass(frozen=True)
class Restricted:
    """The readers under a sanction in force, and those a moderator put on
    pre-moderation: few, and read by every new comment."""

    sanctioned: frozenset[int]
    premoderated: frozenset[int]


def _read_restricted() -> Loaded[Restricted]:
    now = timezone.now()
    sanctions = list(
        Sanction.objects.filter(lifted_at__isnull=True)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .values_list("user_id", "starts_at", "ends_at")
    )
    sanctioned = frozenset(user for user, starts, _ends in sanctions if starts <= now)
    # A suspension that ends, or a sanction that starts, changes who is
    # sanctioned with no write at that moment.
    moments = [starts if starts > now else ends for _user, starts, ends in sanctions]
    premoderated = frozenset(PremoderatedReader.objects.values_list("reader_id", flat=True))
    return Loaded(
        Restricted(sanctioned, premoderated),
        stale_at=min(filter(None, moments), default=None),
    )


# Moved by every save and delete of a sanction or a pre-moderation
# (ModerationConfig.ready connects them) and by lifting sanctions.
restricted_readers = Versioned("restricted-readers", _read_restricted)


def sanction_notice(user: User) -> str | None:
    """Why and until when ``user`` may not write, or None when they may.

    Every write path (comments, reactions, flags) and the reader's own pages
    use it, so a sanctioned reader is told the same thing wherever they try.
    """
    # The sanction that lasts longest: a ban (no end) first, on every
    # database (SQLite sorts NULL first, PostgreSQL last, unless told).
    sanction = (
        Sanction.objects.in_force()
        .filter(user=user)
        .select_related("rule")
        .order_by(F("ends_at").desc(nulls_first=True))
        .first()
    )
    if sanction is None:
        return None
    because = (
        _(" under Rule %(n)d (%(title)s)")
        % {"n": sanction.rule.number, "title": sanction.rule.title}
        if sanction.rule
        else ""
    )
    if sanction.kind == SanctionKind.BAN or sanction.ends_at is None:
        return _("Your account is banned from commenting%(because)s.") % {"because": because}
    return _("Your account is suspended from commenting%(because)s until %(date)s, %(time)s.") % {
        "because": because,
        "date": date_line(sanction.ends_at),
        "time": time_line(sanction.ends_at),
    }


@dataclass
class AuthorHistory:
    by_status: dict[str, int] = field(default_factory=dict)
    flags_received: int = 0
    sanctions: list[Sanction] = field(default_factory=list)

    @property
    def visible(self) -> int:
        return self.by_status.get("visible", 0)

    @property
    def removed(self) -> int:
        return self.by_status.get("removed", 0)

    @property
    def held(self) -> int:
        return self.by_status.get("held", 0)


def author_histories(user_ids: Iterable[int]) -> dict[int, AuthorHistory]:
    """The history of many readers at once: three grouped queries."""
    ids = set(user_ids)
    histories = {user_id: AuthorHistory() for user_id in ids}
    rows = (
        Comment.objects.filter(author__in=ids)
        .values_list("author", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for author_id, status, n in rows:
        histories[author_id].by_status[status] = n
    flags = (
        Flag.objects.filter(comment__author__in=ids, reporter__isnull=False)
        .values_list("comment__author")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for author_id, n in flags:
        histories[author_id].flags_received = n
    for sanction in Sanction.objects.filter(user__in=ids).select_related("rule"):
        histories[sanction.user_id].sanctions.append(sanction)
    return histories


SNIPPET_WORDS = 30


def search_comments(query: str) -> Ranked[Comment]:
    """Comments in every status (held, removed and deleted too) with every
    word of ``query``, best first, with their author and post. For
    moderators only: the views check the permission."""
    terms = words(query)
    if not terms:
        return NoHits()
    comments = Comment.objects.select_related("author", "thread__post")
    if connection.vendor != "postgresql":
        return fts5_ranked(
            "discussion_comment_fts",
            comments,
            terms,
            weights="1.0",
            title_column=None,
            snippet_columns=(0,),
            snippet_words=SNIPPET_WORDS,
        )
    # Imported here: django.contrib.postgres brings psycopg (~14 MB in every
    # process), which a site on SQLite never needs.
    from .search_postgresql import search_comments as search_on_postgresql

    return search_on_postgresql(comments, terms, snippet_words=SNIPPET_WORDS)
