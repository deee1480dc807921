"""The anonymous post page before anything else runs; requests in the
newsroom's time zone."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls.converters import SlugConverter
from django.utils import timezone

from soundoff.lib.dateline import newsroom_zone
from soundoff.lib.shared import Shared, SharedResponseMiddleware

from .views import post_page_shared


class SharedPostPageMiddleware(SharedResponseMiddleware):
    """The anonymous post page (views.post_detail, at newsroom.urls' path)
    from its one cache entry: one indexed row, then the stored answer."""

    path = re.compile(rf"/posts/(?P<slug>{SlugConverter.regex})/\Z")

    def shared(self, request: HttpRequest, **matched: str) -> Shared | None:
        return post_page_shared(request, matched["slug"])


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
