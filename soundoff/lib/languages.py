"""Which of the offered languages a reader gets: their Accept-Language, and
nothing else.

Django's LocaleMiddleware would also obey a ``django_language`` cookie. A
shared cache keys anonymous pages on Accept-Language (they say ``Vary:
Accept-Language``), not on cookies, so a request carrying that cookie could
leave a page of one language cached for the readers of another. Here only
the header counts: the same header always gets the same language, on pages,
the API, embed.js and the live streams alike.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Every request asks, and a whole HttpRequest built to ask Django cost
# 60-80 µs a time, a fifth of the cheapest page's CPU. Browsers send a
# handful of different headers; a bounded cache keeps anyone sending
# endless variants to a fixed size (Django reads 500 characters of one).
LANGUAGES_REMEMBERED = 512


@functools.lru_cache(maxsize=LANGUAGES_REMEMBERED)
def reader_language(accept_language: str) -> str:
    """The offered language (settings.LANGUAGES) that ``accept_language``
    prefers, or the site's (settings.LANGUAGE_CODE) if it names none."""
    headers_only = HttpRequest()
    headers_only.META = {"HTTP_ACCEPT_LANGUAGE": accept_language}
    return translation.get_language_from_request(headers_only)


@receiver(setting_changed)
def _forget_languages(*, setting: str, **kwargs: Any) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        reader_language.cache_clear()


class ReaderLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware choosing by Accept-Language alone; it still sends
    ``Vary: Accept-Language`` and ``Content-Language`` on every response."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(reader_language(request.headers.get("Accept-Language", "")))
        request.LANGUAGE_CODE = translation.get_language()
