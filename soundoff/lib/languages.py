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

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def reader_language(accept_language: str) -> str:
    """The offered language (settings.LANGUAGES) that ``accept_language``
    prefers, or the site's (settings.LANGUAGE_CODE) if it names none."""
    headers_only = HttpRequest()
    headers_only.META = {"HTTP_ACCEPT_LANGUAGE": accept_language}
    return translation.get_language_from_request(headers_only)


class ReaderLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware choosing by Accept-Language alone; it still sends
    ``Vary: Accept-Language`` and ``Content-Language`` on every response."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(reader_language(request.headers.get("Accept-Language", "")))
        request.LANGUAGE_CODE = translation.get_language()
