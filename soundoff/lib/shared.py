"""Responses every anonymous reader shares, answered from one cache entry.

A shared response is named by its parts: the release (templates, code),
what it shows and the version of each, the language, the parameters of the
request. Their digest is the ETag, and with what else the answer's headers
depend on (the scheme, the Origin asking) the key of the one cache entry
that holds the whole answer: its headers as every middleware left them,
and the body.

A view answers through ``shared_response``: a 304 when the client's ETag
names the parts, else the stored body or, only on a miss, ``render()``'s.
``SharedResponseMiddleware`` sits in front of every other middleware: for
an anonymous GET of a path it knows, it learns the parts (one indexed
row), and answers from the entry, 200 or 304, before sessions, CSRF,
routing or the view run; on a miss it lets them run and stores what they
answered. The answer is the same bytes and headers either way
(tests/lib/test_shared_middleware.py compares them).

Nothing is ever invalidated: a change moves a version, the next read asks
for a new digest, and entries nobody asks for any more expire.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache as once
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.response import ResponseHeaders
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date

from .languages import reader_language

# Entries of a version nobody asks for any more go after this long.
ENTRY_SECONDS = 600

# What a stored answer may vary on, each part of its key: the language
# (from Accept-Language), the Origin asking, and Cookie, which only
# requests without a session or a waiting message are answered for.
_KEYED_VARY = frozenset({"accept-language", "origin", "cookie"})


@once
def release() -> str:
    """The installed versions of Soundoff and of Django: a deploy changes
    templates and code, and so every shared response; and stored answers
    hold Django's pickled response headers, which another Django might
    not read back."""
    return "/".join(importlib.metadata.version(name) for name in ("soundoff", "django"))


@dataclass(frozen=True, slots=True)
class Shared:
    """What names a shared response. ``store`` says whether to keep it for
    the next reader: the caller says no for requests whose parts a stranger
    could vary without end, so that nobody can fill the cache with pages
    never read again."""

    name: str
    parts: Sequence[object]
    changed_at: datetime
    store: bool = True

    def etag(self, request: HttpRequest) -> str:
        named = [release(), _language(request), self.name, *self.parts]
        return '"' + hashlib.sha256(repr(named).encode()).hexdigest()[:32] + '"'

    @property
    def last_modified(self) -> int:
        return int(self.changed_at.timestamp())


class StoredHeaders(ResponseHeaders):
    """The headers of a stored answer, checked once when it was stored, and
    then given to every answer made from it in this process as they are
    (AnswerMemory): so they are read-only, and no answer can change what
    the next reader gets."""

    _complete = False

    def __setitem__(self, key: str, value: Any) -> None:
        if self._complete:
            raise TypeError("A stored answer's headers are read-only.")
        super().__setitem__(key, value)

    def pop(self, key: str, default: Any = None) -> Any:
        raise TypeError("A stored answer's headers are read-only.")

    @classmethod
    def of(cls, headers: dict[str, str]) -> StoredHeaders:
        stored = cls(headers)
        stored._complete = True
        return stored


class Entry(NamedTuple):
    """The one cache entry of a shared answer: its headers as the client got
    them, middleware's included, and those of the 304 the full path makes
    of it (without Content-Type, and no body), kept as Django's own
    ResponseHeaders so that an answer doesn't check them again."""

    etag: str
    last_modified: int
    headers: StoredHeaders
    not_modified_headers: StoredHeaders
    body: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> Entry:
        not_modified = {name: value for name, value in response.items() if name != "Content-Type"}
        if "Content-Length" in not_modified:
            not_modified["Content-Length"] = "0"
        return cls(
            response["ETag"],
            parse_http_date(response["Last-Modified"]),
            StoredHeaders.of(dict(response.items())),
            StoredHeaders.of(not_modified),
            response.content,
        )


def _language(request: HttpRequest) -> str:
    """The reader's language, as ReaderLanguageMiddleware chooses it (the
    fast path runs before it does)."""
    return getattr(request, "LANGUAGE_CODE", None) or reader_language(
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    )


# AnswerMemory's entries and locks by LOCATION: Django makes a cache object
# per thread, and every thread of the process must see the same entries.
_memories: dict[str, OrderedDict[str, tuple[float | None, Any]]] = {}
_memory_locks: dict[str, threading.Lock] = {}


class AnswerMemory(BaseCache):
    """This process's own copies of stored answers (settings.CACHES["local"]).

    Unlike LocMemCache it keeps each Entry itself, not a pickle of it: an
    entry never changes under its key and its headers are read-only, so
    the answers made from it may share it, and a read is a dictionary
    look-up instead of unpickling ~60 KB and two sets of headers. The
    least recently read entry goes first when MAX_ENTRIES are kept.
    """

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._entries = _memories.setdefault(name, OrderedDict())
        self._lock = _memory_locks.setdefault(name, threading.Lock())

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        # No check of the key: shared.py's own, checked when it was set.
        key = self.make_key(key, version=version)
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return default
            expires, value = found
            if expires is not None and expires <= time.time():
                del self._entries[key]
                return default
            self._entries.move_to_end(key)
            return value

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        expires = self.get_backend_timeout(timeout)
        with self._lock:
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        if self.has_key(key, version=version):
            return False
        self.set(key, value, timeout, version=version)
        return True

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        value = self.get(key, self._missing_key, version=version)
        if value is self._missing_key:
            return False
        self.set(key, value, timeout, version=version)
        return True

    def delete(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._entries.pop(key, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _local() -> BaseCache:
    """Where an entry is looked for first: this process's memory
    (settings.CACHES["local"], an AnswerMemory). Nothing stale can come
    from there: an entry never changes under its key, and a change moves
    the key."""
    return caches["local"] if "local" in settings.CACHES else cache


def _others() -> BaseCache | None:
    """Where the other processes keep their entries (Redis), if anywhere:
    not a cache that is only this process's memory too (LocMemCache,
    without Redis), which would hold a second copy nobody else reads."""
    if "local" not in settings.CACHES:
        return None
    shared = caches[DEFAULT_CACHE_ALIAS]
    return None if isinstance(shared, LocMemCache) else shared


def _stored(key: str) -> Entry | None:
    local = _local()
    entry: Entry | None = local.get(key)
    if entry is None:
        others = _others()
        entry = None if others is None else others.get(key)
        if entry is not None:
            local.set(key, entry, ENTRY_SECONDS)
    return entry


def _keep(key: str, entry: Entry) -> None:
    _local().set(key, entry, ENTRY_SECONDS)
    others = _others()
    if others is not None:
        others.set(key, entry, ENTRY_SECONDS)


def entry_key(request: HttpRequest, etag: str) -> str:
    """The entry of the answer named by ``etag`` to this request: the
    security headers differ by scheme, the CORS headers by Origin."""
    key = f"soundoff:shared:{etag[1:-1]}:{request.scheme}"
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        key += ":" + hashlib.sha256(origin.encode()).hexdigest()[:16]
    return key


def shared_response(
    request: HttpRequest,
    shared: Shared,
    *,
    render: Callable[[], bytes],
    content_type: str,
) -> HttpResponse:
    """The public response ``shared`` names: 304, the stored body, or
    ``render()``'s. SharedResponseMiddleware stores it, headers and all,
    when ``shared.store`` and the request is one it may answer."""
    etag = shared.etag(request)
    last_modified = shared.last_modified
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = entry_key(request, etag)
        entry = _stored(key)
        response = HttpResponse(
            render() if entry is None else entry.body, content_type=content_type
        )
        if shared.store:
            response.shared_key = key  # type: ignore[attr-defined]
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=settings.SOUNDOFF_SHARED_CACHE_SECONDS
    )
    return response


def answerable(request: HttpRequest) -> bool:
    """A request the stored answer is for: a GET without a body, from a
    reader who is anonymous by the request alone (no session cookie, no
    waiting flash message, no bearer token), to a host the site serves."""
    meta = request.META
    if (
        request.method != "GET"
        or "HTTP_AUTHORIZATION" in meta
        or meta.get("CONTENT_LENGTH") not in (None, "", "0")
        or "HTTP_TRANSFER_ENCODING" in meta
    ):
        return False
    if "HTTP_COOKIE" in meta:
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return False
    try:
        request.get_host()
    except DisallowedHost:
        return False  # the full path answers 400
    return True


def _storable(request: HttpRequest, response: HttpResponse) -> str | None:
    """The key to keep ``response`` under, or None: a public 200 that
    shared_response named, setting no cookie, varying only on what the key
    holds, and, for a request from another origin, one that origin may
    read (any other Origin would make an entry nobody else asks for)."""
    key: str | None = getattr(response, "shared_key", None)
    if key is None or response.status_code != 200 or response.cookies:
        return None
    if "public" not in response.get("Cache-Control", ""):
        return None
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= _KEYED_VARY:
        return None
    if "HTTP_ORIGIN" in request.META and "Access-Control-Allow-Origin" not in response:
        return None
    return key


def _from_entry(request: HttpRequest, entry: Entry) -> HttpResponse | None:
    """The stored answer, or its 304; None for anything else a conditional
    request may get (412), which the full path answers."""
    answer = get_conditional_response(request, etag=entry.etag, last_modified=entry.last_modified)
    if answer is None:
        answer = HttpResponse(entry.body)
        answer.headers = entry.headers
    elif answer.status_code == 304:
        answer.headers = entry.not_modified_headers
    else:
        return None
    return answer


class SharedResponseMiddleware:
    """Answers an anonymous GET of ``path`` from its one cache entry, before
    every other middleware (so it must come first in settings.MIDDLEWARE).

    Subclasses give ``path``, matched against the path, and ``shared()``,
    the name of the answer from the match (or None: the full path decides,
    as for a page that isn't there). Only answers the full path stored are
    ever given, so a request it would refuse (a bad host, a body, a
    parameter it rejects) never finds one unless ``shared()`` accepted it.
    """

    path: re.Pattern[str]

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def shared(self, request: HttpRequest, **matched: Any) -> Shared | None:
        raise NotImplementedError

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = self.path.match(request.path_info)
        if match is None or not answerable(request):
            return self.get_response(request)
        shared = self.shared(request, **match.groupdict())
        if shared is not None and shared.store:
            entry = _stored(entry_key(request, shared.etag(request)))
            answer = None if entry is None else _from_entry(request, entry)
            if answer is not None:
                return answer
        response = self.get_response(request)
        key = _storable(request, response)
        if key is not None:
            _keep(key, Entry.of(response))
        return response
