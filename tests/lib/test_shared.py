"""soundoff.lib.shared: one cache entry per named response, ETag and 304."""

from datetime import UTC, datetime

import pytest
from django.test import RequestFactory
from django.utils import translation

from soundoff.lib.shared import shared_response

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
    return shared_response(
        request,
        name="test",
        parts=parts,
        changed_at=CHANGED,
        render=render,
        content_type="text/plain",
        store=store,
    )


def test_the_body_is_rendered_once_and_then_read_from_the_cache(renders):
    first, again = _get(renders), _get(renders)
    assert first.content == again.content == b"body 1"
    assert renders.count == 1
    assert first["ETag"] == again["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=30"


def test_a_matching_etag_answers_304_without_rendering(renders):
    etag = _get(renders)["ETag"]
    response = _get(renders, if_none_match=etag)
    assert response.status_code == 304
    assert renders.count == 1


def test_new_parts_or_another_language_make_another_response(renders):
    etags = {_get(renders)["ETag"], _get(renders, parts=(2,))["ETag"]}
    with translation.override("es"):
        etags.add(_get(renders)["ETag"])
    assert len(etags) == 3
    assert renders.count == 3


def test_a_response_not_to_store_is_rendered_each_time(renders):
    _get(renders, store=False)
    _get(renders, store=False)
    assert renders.count == 2
