"""Requests work in the newsroom's time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from soundoff.lib.dateline import newsroom_zone


class NewsroomTimeZoneMiddleware:
    """Make the newsroom's zone the current time zone of every request.

    Times are stored in UTC and the pages print them in the newsroom's zone
    (soundoff.lib.dateline). Forms and templates read and print times in the
    *current* zone, which would otherwise be UTC: an editor who typed 04:45
    in the admin meaning 04:45 ET published at 04:45 UTC, hours early. With
    this, everything an editor or a moderator types or reads is in the zone
    the readers see.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(newsroom_zone(settings.SOUNDOFF_TIME_ZONE)):
            return self.get_response(request)
