"""The moderators' dashboard: comments, holds, removals and reports per
day and per story. Every figure is counted and grouped by the database
(one grouped query per measure); Python only lays the groups side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soundoff.discussion.models import Comment, Thread
from soundoff.lib.dateline import newsroom_zone

from .charts import BarChart, bar_chart
from .models import ActionKind, Flag, ModerationAction
from .queries import story_title

DAY_CHOICES = (7, 14, 30, 90)
MEASURES = ("comments", "holds", "removals", "reports")
STORIES_SHOWN = 10


MEASURE_NAMES = {
    "comments": _("Comments"),
    "holds": _("Holds"),
    "removals": _("Removals"),
    "reports": _("Reports"),
}


@dataclass
class Row:
    """One day or one story: a count per measure."""

    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    url: str = ""


def days_asked(raw: str | None) -> int:
    """The period asked for, one of DAY_CHOICES (the first when unreadable)."""
    return int(raw) if raw and raw.isdigit() and int(raw) in DAY_CHOICES else DAY_CHOICES[0]


def _sources(since: date) -> dict[str, tuple[QuerySet, str, str]]:
    """Per measure: the rows it counts, their time field, their thread path."""
    zone = newsroom_zone(settings.SOUNDOFF_TIME_ZONE)
    start = datetime.combine(since, time.min, tzinfo=zone)
    return {
        "comments": (Comment.objects.filter(created_at__gte=start), "created_at", "thread"),
        "holds": (
            ModerationAction.objects.filter(
                created_at__gte=start, action__in=(ActionKind.HELD, ActionKind.WITHHELD)
            ),
            "created_at",
            "comment__thread",
        ),
        "removals": (
            ModerationAction.objects.filter(created_at__gte=start, action=ActionKind.REMOVED),
            "created_at",
            "comment__thread",
        ),
        "reports": (
            Flag.objects.filter(created_at__gte=start, reporter__isnull=False),
            "created_at",
            "comment__thread",
        ),
    }


def _first_day(days: int) -> date:
    return timezone.localdate(timezone=newsroom_zone(settings.SOUNDOFF_TIME_ZONE)) - timedelta(
        days=days - 1
    )


def per_day(*, days: int) -> list[Row]:
    """Every day of the period, oldest first, days with nothing included."""
    first = _first_day(days)
    zone = newsroom_zone(settings.SOUNDOFF_TIME_ZONE)
    rows = {first + timedelta(days=n): Row(label="") for n in range(days)}
    for measure, (rows_counted, when, _thread) in _sources(first).items():
        grouped = (
            rows_counted.annotate(day=TruncDate(when, tzinfo=zone))
            .values_list("day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for day, n in grouped:
            if day in rows:
                rows[day].counts[measure] = n
    for day, row in rows.items():
        row.label = day.isoformat()
    return list(rows.values())


def per_story(*, days: int) -> list[Row]:
    """The STORIES_SHOWN stories with the most comments, holds, removals
    and reports in the period, busiest first."""
    first = _first_day(days)
    by_thread: dict[int, dict[str, int]] = {}
    for measure, (rows_counted, _when, thread) in _sources(first).items():
        grouped = rows_counted.values_list(thread).annotate(n=Count("pk")).order_by()
        for thread_id, n in grouped:
            by_thread.setdefault(thread_id, dict.fromkeys(MEASURES, 0))[measure] = n
    busiest = sorted(by_thread, key=lambda pk: (-sum(by_thread[pk].values()), -pk))
    busiest = busiest[:STORIES_SHOWN]
    threads = Thread.objects.select_related("post").in_bulk(busiest)
    return [
        Row(
            label=story_title(threads[pk]),
            counts=by_thread[pk],
            url=reverse("moderation:story_queue", args=[pk, "reported"]),
        )
        for pk in busiest
        if pk in threads
    ]


@dataclass(frozen=True)
class Chart:
    measure: str
    title: str
    bars: BarChart


def charts(rows: list[Row]) -> list[Chart]:
    """One bar chart per measure over ``rows``."""
    return [
        Chart(
            measure=measure,
            title=str(MEASURE_NAMES[measure]),
            bars=bar_chart([(row.label, row.counts[measure]) for row in rows]),
        )
        for measure in MEASURES
    ]
