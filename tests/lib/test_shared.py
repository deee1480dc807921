"""soundoff.lib.shared.shared_response: ETag and 304, the body from the one
entry, which SharedResponseMiddleware stores (tests/lib/test_shared_middleware.py)."""

import pickle
from datetime import UTC, datetime

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from soundoff.lib.shared import Entry, Shared, _keep, _stored, entry_key, shared_response

CHANGED = datetime(2026, 7, 13, 21, 58, tzinfo=UTC)


class Renderer:
    """A body that says how many times it was rendered."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> bytes:
        self.count += 1
        return f"body {self.count}".encode()


@pytest.fixture
def renders() -> Renderer:
    return Renderer()


def _get(render, *, parts=(1,), store=True, **headers):
    request = RequestFactory().get("/", headers=headers)
    shared = Shared(name="test", parts=parts, changed_at=CHANGED, store=store)
    return shared_response(request, shared, render=render, content_type="text/plain")


def test_a_stored_body_is_answered_without_rendering(renders):
    first = _get(renders)
    assert first.content == b"body 1"
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=30"
    key = entry_key(RequestFactory().get("/"), first["ETag"])
    assert first.shared_key == key  # for the middleware to keep it there
    first.content = b"stored body"
    caches["local"].set(key, Entry.of(first))  # where this process looks first
    again = _get(renders)
    assert again.content == b"stored body"
    assert renders.count == 1
    assert again["ETag"] == first["ETag"]


def test_the_entry_differs_by_scheme_and_origin():
    factory = RequestFactory()
    keys = {
        entry_key(factory.get("/"), '"e"'),
        entry_key(factory.get("/", secure=True), '"e"'),
        entry_key(factory.get("/", headers={"Origin": "https://a.example"}), '"e"'),
        entry_key(factory.get("/", headers={"Origin": "https://b.example"}), '"e"'),
    }
    assert len(keys) == 4


def test_a_matching_etag_answers_304_without_rendering(renders):
    etag = _get(renders)["ETag"]
    response = _get(renders, if_none_match=etag)
    assert response.status_code == 304
    assert renders.count == 1


def test_new_parts_or_another_language_make_another_response(renders):
    etags = {
        _get(renders)["ETag"],
        _get(renders, parts=(2,))["ETag"],
        _get(renders, accept_language="es")["ETag"],
    }
    assert len(etags) == 3
    assert renders.count == 3


def test_a_response_not_to_store_is_not_offered_to_the_middleware(renders):
    assert not hasattr(_get(renders, store=False), "shared_key")


def test_this_process_keeps_an_entry_as_it_is_and_once(renders):
    """Answers share the entry itself (nothing unpickled per answer); a cache
    that is only this process's memory too gets no second copy, Redis gets
    one for the other processes."""
    response = _get(renders)
    key, entry = response.shared_key, Entry.of(response)
    _keep(key, entry)
    assert _stored(key) is entry
    default = caches["default"]
    if isinstance(default, LocMemCache):
        assert default.get(key) is None
    else:
        assert default.get(key) == entry


def test_a_stored_answers_headers_are_read_only(renders):
    entry = Entry.of(_get(renders))
    for headers in (entry.headers, entry.not_modified_headers):
        with pytest.raises(TypeError):
            headers["Set-Cookie"] = "reader=1"
        with pytest.raises(TypeError):
            del headers["ETag"]
        with pytest.raises(TypeError):
            headers.setdefault("Vary", "Cookie")
    # ...and stay so when they come back from another process's cache.
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(entry)).headers["Set-Cookie"] = "reader=1"  # noqa: S301 - our own
