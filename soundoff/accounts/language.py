"""Which language a reader is written to in.

Pages follow the request (LocaleMiddleware: Accept-Language among the
offered languages, else SOUNDOFF_LANGUAGE). Mail the task worker sends has
no request, so each reader's language is kept on their account: the one
they registered in, brought up to date at every log-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from .models import User


def language_of(user: User | None) -> str:
    """The reader's language if the site still offers it, else the site's."""
    offered = {code for code, _name in settings.LANGUAGES}
    if user is not None and user.language in offered:
        return user.language
    return str(settings.LANGUAGE_CODE)


@contextmanager
def written_for(user: User | None) -> Iterator[None]:
    """Translate what is built inside (subjects, bodies, dates) for ``user``."""
    with translation.override(language_of(user)):
        yield


def remember_language(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On log-in, keep the language the reader is reading in (user_logged_in):
    the one the middleware chose for this request. A log-in made without a
    reader's request (a test client's force_login) leaves it as it was."""
    language = getattr(request, "LANGUAGE_CODE", "")
    if isinstance(user, User) and language and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
