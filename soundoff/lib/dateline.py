"""The newsroom's date and time lines: "July 13th, 2011" and "05:58 PM ET".

Times are stored in UTC and shown in the newsroom's zone
(``SOUNDOFF_TIME_ZONE``), labelled with one short label
(``SOUNDOFF_TIME_ZONE_LABEL``) whatever the season, as newsrooms write "ET"
for both EST and EDT. The shape of the lines follows the active language's
house style, its ``DATE_FORMAT`` and ``TIME_FORMAT`` in soundoff/formats/:
"July 13th, 2011" and "05:58 PM ET" in English, "13 de julio de 2011" and
"17:58 ET" in Spanish. Every date and time line of the site, the e-mails and
the API comes from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format


def newsroom_time(moment: datetime) -> datetime:
    """Return ``moment`` in the newsroom's zone.

    A naive datetime is refused rather than guessed at: it would be read as
    server-local time and silently shift every line by hours.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{moment!r} has no time zone. Pass an aware datetime, e.g. "
            "django.utils.timezone.now() or one built with tzinfo=datetime.UTC."
        )
    return moment.astimezone(newsroom_zone(settings.SOUNDOFF_TIME_ZONE))


def newsroom_zone(name: str) -> ZoneInfo:
    """The zone named by SOUNDOFF_TIME_ZONE; soundoff.checks reports a bad one at start-up."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"SOUNDOFF_TIME_ZONE must be an IANA zone name such as America/New_York, not {name!r}."
        ) from None


def date_line(moment: datetime) -> str:
    """Format ``moment`` as the newsroom's date line, e.g. "July 13th, 2011"."""
    return _formatted(newsroom_time(moment), "DATE_FORMAT")


def time_line(moment: datetime) -> str:
    """Format ``moment`` as the newsroom's time line, e.g. "05:58 PM ET".

    In English a 12-hour clock with a leading zero: the midnight hour is
    12:xx AM and the noon hour 12:xx PM.
    """
    return _with_label(_formatted(newsroom_time(moment), "TIME_FORMAT"))


def stamp_line(moment: datetime) -> str:
    """Both lines as one, as beside a comment: "July 13th, 2011 06:20 PM ET"."""
    local = newsroom_time(moment)
    return f"{_formatted(local, 'DATE_FORMAT')} {_with_label(_formatted(local, 'TIME_FORMAT'))}"


# DateFormat's characters that read nothing but the day, and nothing but
# the hour and minute: a line of these alone is the same all that day, or
# all that minute.
_DAY_CODES = frozenset("bdDEFjlLmMnNoStwWyYz")
_MINUTE_CODES = frozenset("aAfgGhHiP")


class StampLines:
    """stamp_line for the many moments of one listing, in the language
    active when it was made: each day's date line and each minute's time
    line is worked out once."""

    def __init__(self) -> None:
        self._date = _Line(str(get_format("DATE_FORMAT")), _DAY_CODES, lambda t: t.date())
        self._time = _Line(
            str(get_format("TIME_FORMAT")), _MINUTE_CODES, lambda t: (t.hour, t.minute)
        )
        # The settings too are read once: a lazy settings read is dearer
        # than the line's own work once the lines are kept.
        self._zone = newsroom_zone(settings.SOUNDOFF_TIME_ZONE)
        self._label = settings.SOUNDOFF_TIME_ZONE_LABEL

    def __call__(self, moment: datetime) -> str:
        if moment.tzinfo is None or moment.utcoffset() is None:
            newsroom_time(moment)  # refuses it, saying why
        local = moment.astimezone(self._zone)
        return f"{self._date(local)} {self._time(local)} {self._label}".rstrip()


class _Line:
    """One format, kept by ``period(moment)`` when it reads nothing finer."""

    def __init__(
        self, format_string: str, codes: frozenset[str], period: Callable[[datetime], object]
    ) -> None:
        self.format_string = format_string
        coarse = {piece for is_code, piece in _pieces(format_string) if is_code} <= codes
        self.period: Callable[[datetime], object] = period if coarse else (lambda t: t)
        self.kept: dict[object, str] = {}

    def __call__(self, local: datetime) -> str:
        period = self.period(local)
        line = self.kept.get(period)
        if line is None:
            line = self.kept[period] = _in_format(local, self.format_string)
        return line


def _with_label(time: str) -> str:
    return f"{time} {settings.SOUNDOFF_TIME_ZONE_LABEL}".rstrip()


def _formatted(local: datetime, format_type: str) -> str:
    """What django.utils.formats.date_format makes of ``local`` with the
    active language's ``format_type``, without splitting the format again
    for every moment: a listing prints a line per comment."""
    return _in_format(local, str(get_format(format_type)))


def _in_format(local: datetime, format_string: str) -> str:
    shown = DateFormat(local)
    return "".join(
        str(getattr(shown, piece)()) if is_code else piece
        for is_code, piece in _pieces(format_string)
    )


@lru_cache(maxsize=64)
def _pieces(format_string: str) -> tuple[tuple[bool, str], ...]:
    """A format as DateFormat.format reads it: its format characters, and
    the text between them with its escapes undone."""
    return tuple(
        (True, piece) if n % 2 else (False, re_escaped.sub(r"\1", piece))
        for n, piece in enumerate(re_formatchars.split(format_string))
        if piece
    )


def later_stamp(moment: datetime, *, since: datetime) -> str:
    """Format ``moment``, a time after ``since``, as "06:12 PM ET" when it
    falls on the same newsroom day and "July 14th, 2011 06:12 PM ET" when
    not: how "Updated …" reads under a post's own date and time lines."""
    if newsroom_time(moment).date() == newsroom_time(since).date():
        return time_line(moment)
    return stamp_line(moment)
