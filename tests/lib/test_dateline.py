import calendar
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from soundoff.lib.dateline import StampLines, date_line, later_stamp, stamp_line, time_line


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_it_formats_the_design_example() -> None:
    moment = utc(2011, 7, 13, 21, 58)
    assert date_line(moment) == "July 13th, 2011"
    assert time_line(moment) == "05:58 PM ET"


def test_it_uses_est_in_winter() -> None:
    assert time_line(utc(2011, 1, 15, 17, 0)) == "12:00 PM ET"


def test_it_uses_edt_in_summer() -> None:
    assert time_line(utc(2011, 7, 15, 16, 0)) == "12:00 PM ET"


def test_it_springs_forward_in_march() -> None:
    # 2011-03-13: 02:00 EST became 03:00 EDT at 07:00 UTC.
    assert time_line(utc(2011, 3, 13, 6, 59)) == "01:59 AM ET"
    assert time_line(utc(2011, 3, 13, 7, 0)) == "03:00 AM ET"


def test_it_falls_back_in_november() -> None:
    # 2011-11-06: 02:00 EDT became 01:00 EST at 06:00 UTC, so 01:30 happens twice.
    assert time_line(utc(2011, 11, 6, 5, 30)) == "01:30 AM ET"
    assert time_line(utc(2011, 11, 6, 6, 30)) == "01:30 AM ET"
    assert time_line(utc(2011, 11, 6, 7, 30)) == "02:30 AM ET"


def test_it_uses_the_newsroom_date_not_the_utc_date() -> None:
    # 02:00 UTC on the 14th is still the evening of the 13th in New York.
    assert date_line(utc(2011, 7, 14, 2, 0)) == "July 13th, 2011"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (24, "24th"),
        (30, "30th"),
        (31, "31st"),
    ],
)
def test_it_writes_ordinal_days(day: int, expected: str) -> None:
    assert date_line(utc(2011, 1, day, 17, 0)) == f"January {expected}, 2011"


def test_it_calls_the_midnight_hour_12_am() -> None:
    assert time_line(utc(2011, 7, 13, 4, 0)) == "12:00 AM ET"
    assert time_line(utc(2011, 7, 13, 4, 59)) == "12:59 AM ET"


def test_it_calls_the_noon_hour_12_pm() -> None:
    assert time_line(utc(2011, 7, 13, 16, 0)) == "12:00 PM ET"
    assert time_line(utc(2011, 7, 13, 16, 59)) == "12:59 PM ET"


def test_it_pads_morning_hours_with_a_zero() -> None:
    assert time_line(utc(2011, 7, 13, 13, 5)) == "09:05 AM ET"


def test_it_accepts_moments_in_any_aware_zone() -> None:
    tokyo = datetime(2011, 7, 14, 6, 58, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert time_line(tokyo) == "05:58 PM ET"
    fixed = datetime(2011, 7, 13, 22, 58, tzinfo=timezone(timedelta(hours=1)))
    assert time_line(fixed) == "05:58 PM ET"


def test_it_refuses_naive_datetimes_and_names_the_fix() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        date_line(datetime(2011, 7, 13, 21, 58))
    with pytest.raises(ValueError, match=r"timezone\.now"):
        time_line(datetime(2011, 7, 13, 21, 58))


def test_it_follows_the_configured_zone_and_label(settings) -> None:
    settings.SOUNDOFF_TIME_ZONE = "Europe/London"
    settings.SOUNDOFF_TIME_ZONE_LABEL = "UK"
    assert time_line(utc(2011, 7, 13, 21, 58)) == "10:58 PM UK"  # BST
    assert time_line(utc(2011, 1, 13, 21, 58)) == "09:58 PM UK"  # GMT
    assert date_line(utc(2011, 7, 13, 23, 30)) == "July 14th, 2011"


def test_it_reports_an_unknown_zone_as_a_configuration_error(settings) -> None:
    settings.SOUNDOFF_TIME_ZONE = "America/Gotham"
    with pytest.raises(ImproperlyConfigured, match="SOUNDOFF_TIME_ZONE"):
        date_line(utc(2011, 7, 13, 21, 58))


def test_it_writes_spanish_lines_in_the_spanish_house_style() -> None:
    moment = utc(2011, 7, 13, 21, 58)
    with translation.override("es"):
        assert date_line(moment) == "13 de julio de 2011"
        assert time_line(moment) == "17:58 ET"
        assert time_line(utc(2011, 7, 13, 13, 5)) == "09:05 ET"
        assert (
            later_stamp(utc(2011, 7, 14, 22, 12), since=moment) == "14 de julio de 2011 18:12 ET"
        )


ORDINALS = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def nth_sunday_utc(year: int, month: int, n: int, utc_hour: int) -> datetime:
    first = datetime(year, month, 1, utc_hour, tzinfo=UTC)
    days_to_sunday = (6 - first.weekday()) % 7
    return first + timedelta(days=days_to_sunday + 7 * (n - 1))


def new_york_offset(moment: datetime) -> timedelta:
    """US rules since 2007, by hand: EDT from the second Sunday in March at
    02:00 EST (07:00 UTC) to the first Sunday in November at 02:00 EDT (06:00 UTC)."""
    starts = nth_sunday_utc(moment.year, 3, 2, 7)
    ends = nth_sunday_utc(moment.year, 11, 1, 6)
    return timedelta(hours=-4 if starts <= moment < ends else -5)


def test_the_independent_rule_matches_the_known_2011_transitions() -> None:
    assert nth_sunday_utc(2011, 3, 2, 7) == utc(2011, 3, 13, 7)
    assert nth_sunday_utc(2011, 11, 1, 6) == utc(2011, 11, 6, 6)


@given(
    st.datetimes(
        min_value=datetime(2007, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.just(UTC),
    )
)
def test_it_agrees_with_an_independent_computation(moment: datetime) -> None:
    # Independent of zoneinfo and of the module's rules: the offset from the
    # US DST rule, month names from the calendar module, ordinals from a table.
    wall = (moment + new_york_offset(moment)).replace(tzinfo=None)
    hour = wall.hour - 12 if wall.hour > 12 else wall.hour or 12
    half = "PM" if wall.hour >= 12 else "AM"
    day = f"{wall.day}{ORDINALS.get(wall.day, 'th')}"
    assert date_line(moment) == f"{calendar.month_name[wall.month]} {day}, {wall.year}"
    assert time_line(moment) == f"{hour:02d}:{wall.minute:02d} {half} ET"


@given(st.integers(min_value=2007, max_value=2099), st.integers(min_value=-90, max_value=90))
def test_it_switches_offset_exactly_at_each_transition(year: int, minutes: int) -> None:
    # Random instants cluster nowhere near the transitions, so aim at them.
    for transition in (nth_sunday_utc(year, 3, 2, 7), nth_sunday_utc(year, 11, 1, 6)):
        moment = transition + timedelta(minutes=minutes)
        wall = moment + new_york_offset(moment)
        hour = wall.hour % 12 or 12
        half = "PM" if wall.hour >= 12 else "AM"
        assert time_line(moment) == f"{hour:02d}:{wall.minute:02d} {half} ET"


def test_a_later_stamp_on_the_same_newsroom_day_is_the_time_line_alone() -> None:
    published = utc(2011, 7, 13, 21, 58)
    assert later_stamp(utc(2011, 7, 13, 22, 12), since=published) == "06:12 PM ET"
    # 11:30 PM ET is already the next day in UTC, but not in the newsroom.
    assert later_stamp(utc(2011, 7, 14, 3, 30), since=published) == "11:30 PM ET"


def test_a_later_stamp_on_another_day_carries_its_date_line() -> None:
    published = utc(2011, 7, 13, 21, 58)
    assert later_stamp(utc(2011, 7, 14, 4, 5), since=published) == "July 14th, 2011 12:05 AM ET"


@pytest.mark.parametrize("language", ["en", "es"])
@given(
    moments=st.lists(
        st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
        ),
        max_size=12,
    )
)
def test_a_listings_stamp_lines_are_stamp_lines(language: str, moments: list[datetime]) -> None:
    with translation.override(language):
        lines = StampLines()
        # Twice: the second time each day's line is the one kept.
        for moment in moments + moments:
            assert lines(moment) == stamp_line(moment)


def test_a_format_that_reads_finer_is_not_kept_by_day_or_minute(settings) -> None:
    settings.DATE_FORMAT = "N j, Y, P"
    settings.TIME_FORMAT = "H:i:s"
    with translation.override(None):
        lines = StampLines()
        morning, evening = utc(2011, 7, 13, 13, 0), utc(2011, 7, 13, 21, 58)
        assert lines(morning) == stamp_line(morning)
        assert lines(evening) == stamp_line(evening)
        assert "5:58 p.m." in lines(evening) and "9 a.m." in lines(morning)
        later = evening + timedelta(seconds=5)
        assert lines(later) == stamp_line(later) != lines(evening)
