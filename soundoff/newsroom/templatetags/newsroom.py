"""Date and time lines in the newsroom's time zone: "July 13th, 2011", "05:58 PM ET"."""

from datetime import datetime

from django import template

from soundoff.lib.dateline import date_line, later_stamp, stamp_line, time_line

register = template.Library()


@register.filter
def dateline(moment: datetime | None) -> str:
    return date_line(moment) if moment else ""


@register.filter
def timeline(moment: datetime | None) -> str:
    return time_line(moment) if moment else ""


@register.filter
def stampline(moment: datetime | None) -> str:
    return stamp_line(moment) if moment else ""


@register.filter
def updated_stamp(moment: datetime, published: datetime | None) -> str:
    """ "06:12 PM ET", or with its date line when not the publication's day."""
    return later_stamp(moment, since=published or moment)
