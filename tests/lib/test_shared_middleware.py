"""SharedResponseMiddleware: an anonymous read of the post page or of a page
of comments is answered from its one entry, before any other middleware,
with the same status, headers and bytes as the full path; nothing else is.

"Answered before sessions" is what the request shows: the full path's
SessionMiddleware gives every request a ``session``; the stored answer
comes before it runs."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from soundoff.accounts import services as accounts
from soundoff.accounts.queries import current_rules
from soundoff.api.tokens import issue_token
from soundoff.discussion import services
from soundoff.discussion.models import DiscussionMode
from soundoff.moderation.decisions import remove_comment
from testkit.cast import CLIENT

EMBED_ORIGIN = "https://news.example.org"
SHARED = {
    "soundoff.newsroom.middleware.SharedPostPageMiddleware",
    "soundoff.api.cached.SharedCommentsMiddleware",
}


@pytest.fixture
def said(post, alice):
    return services.post_comment(post.thread, author=alice, body="Pipes are fixed.", client=CLIENT)


@pytest.fixture(params=["page", "api"])
def url(request, post) -> str:
    if request.param == "page":
        return post.get_absolute_url()
    return f"/api/v1/threads/{post.thread.pk}/comments?sort=oldest&limit=20"


def _fast(response) -> bool:
    return not hasattr(response.wsgi_request, "session")


def _full_path(url: str, headers: dict[str, str]):
    """The answer with no shared middleware at all (every other middleware,
    the routing and the view run)."""
    without = [m for m in django_settings.MIDDLEWARE if m not in SHARED]
    with override_settings(MIDDLEWARE=without):
        return Client().get(url, headers=headers)


def _same_as_the_full_path(client, url: str, headers: dict[str, str]) -> None:
    first = client.get(url, headers=headers)
    assert not _fast(first)  # the miss: every middleware ran, and the entry was kept
    fast = client.get(url, headers=headers)
    assert _fast(fast)
    full = _full_path(url, headers)
    assert fast.status_code == full.status_code == 200
    assert dict(fast.headers) == dict(full.headers) == dict(first.headers)
    assert fast.content == full.content == first.content
    assert b"Pipes are fixed." in fast.content

    revalidating = {**headers, "If-None-Match": fast["ETag"]}
    fast_304 = client.get(url, headers=revalidating)
    assert _fast(fast_304)
    full_304 = _full_path(url, revalidating)
    assert fast_304.status_code == full_304.status_code == 304
    assert dict(fast_304.headers) == dict(full_304.headers)
    assert fast_304.content == full_304.content == b""


@pytest.mark.parametrize(
    "headers",
    [{}, {"Accept-Language": "es"}, {"Cookie": "theme=dark; csrftoken=" + "a" * 32}],
    ids=["plain", "spanish", "other-cookies"],
)
def test_the_stored_answer_is_the_full_paths_to_the_byte(client, url, said, headers):
    _same_as_the_full_path(client, url, headers)


def test_answers_from_one_entry_cannot_change_each_other(client, url, said):
    client.get(url)  # the miss keeps the entry
    fast = client.get(url)
    assert _fast(fast)
    with pytest.raises(TypeError):
        fast["Set-Cookie"] = "reader=1"
    again = client.get(url)
    assert _fast(again)
    assert "Set-Cookie" not in again
    assert dict(again.headers) == dict(_full_path(url, {}).headers)


def test_an_embedding_sites_answer_is_the_full_paths_too(client, post, said, settings):
    """With its CORS headers: the entry is that origin's."""
    settings.SOUNDOFF_EMBED_ORIGINS = [EMBED_ORIGIN]
    url = f"/api/v1/threads/{post.thread.pk}/comments"
    _same_as_the_full_path(client, url, {"Origin": EMBED_ORIGIN})
    assert client.get(url, headers={"Origin": EMBED_ORIGIN})["Access-Control-Allow-Origin"] == (
        EMBED_ORIGIN
    )
    assert "Access-Control-Allow-Origin" not in client.get(url)


def test_a_spanish_reader_never_gets_the_english_entry(client, url, said):
    english = client.get(url)
    client.get(url, headers={"Accept-Language": "es"})
    spanish = client.get(url, headers={"Accept-Language": "es"})
    assert _fast(spanish)
    assert spanish["Content-Language"] == "es" and spanish["ETag"] != english["ETag"]


def test_a_signed_in_reader_never_gets_the_stored_page(client, post, said, alice):
    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())
    client.force_login(alice)
    response = client.get(post.get_absolute_url())
    assert not _fast(response)
    assert "private" in response["Cache-Control"]
    assert "Log out" in response.content.decode()


def test_a_moderator_gets_their_own_page_and_leaves_nothing_behind(client, post, said, moderator):
    client.force_login(moderator)
    moderated = client.get(post.get_absolute_url())
    assert "private" in moderated["Cache-Control"]
    client.logout()
    client.get(post.get_absolute_url())
    anonymous = client.get(post.get_absolute_url())
    assert _fast(anonymous)
    assert "Log out" not in anonymous.content.decode()
    assert moderator.display_name not in anonymous.content.decode()


def test_a_widget_reader_with_a_token_gets_a_private_answer(client, url, said, alice):
    client.get(url)
    response = client.get(url, headers={"Authorization": f"Bearer {issue_token(alice)}"})
    assert not _fast(response)
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("get", {"Cookie": "messages=pending"}),
        ("get", {"Host": "evil.example"}),
        ("head", {}),
        ("get", {"Content-Length": "5"}),
    ],
    ids=["flash-message", "other-host", "head", "a-body"],
)
def test_other_requests_take_the_full_path(client, url, said, method, headers):
    client.get(url)
    response = getattr(client, method)(url, headers=headers)
    assert not _fast(response)
    if "Host" in headers:
        assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("limit=0", 422),
        ("limit=101", 422),
        ("limit=020", 200),
        ("limit=20&limit=20", 200),
        ("sort=sideways", 422),
        ("sort=oldest&x=%00", 422),
        ("cursor=" + "c" * 501, 422),
    ],
)
def test_parameters_the_operation_would_read_otherwise_are_its_own(
    client, post, said, query, status
):
    url = f"/api/v1/threads/{post.thread.pk}/comments?{query}"
    client.get(f"/api/v1/threads/{post.thread.pk}/comments?sort=oldest&limit=20")
    for _ in range(2):
        assert client.get(url).status_code == status


def test_an_origin_that_may_not_embed_leaves_no_entry(client, url, said, settings):
    settings.SOUNDOFF_EMBED_ORIGINS = [EMBED_ORIGIN]
    for _ in range(2):
        response = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert not _fast(response)
        assert "Access-Control-Allow-Origin" not in response


def _after(client, url, change) -> bytes:
    client.get(url)
    stored = client.get(url)
    assert _fast(stored)
    change()
    again = client.get(url, headers={"If-None-Match": stored["ETag"]})
    assert again.status_code == 200, "the change left the stored answer in place"
    return again.content


def test_a_removed_comment_is_never_served_again(client, url, said):
    content = _after(
        client, url, lambda: remove_comment(said.comment, by=None, rule=current_rules()[0])
    )
    assert b"Pipes are fixed." not in content


def test_an_edit_is_served_at_once(client, url, said, alice):
    content = _after(
        client,
        url,
        lambda: services.edit_comment(
            said.comment, by=alice, body="Pipes are mended.", client=CLIENT
        ),
    )
    assert b"Pipes are mended." in content and b"Pipes are fixed." not in content


def test_a_new_display_name_is_served_at_once(client, url, said, alice):
    content = _after(
        client, url, lambda: accounts.change_display_name(alice, display_name="Alice Mended")
    )
    assert b"Alice Mended" in content and b"Alice Reader" not in content


def test_a_comment_held_for_review_is_never_in_the_stored_answer(client, url, post, bob):
    post.thread.mode = DiscussionMode.PREMODERATED
    post.thread.save()
    client.get(url)
    held = services.post_comment(post.thread, author=bob, body="Wait for me.", client=CLIENT)
    assert not held.comment.is_visible
    client.get(url)
    stored = client.get(url)
    assert _fast(stored)
    assert b"Wait for me." not in stored.content
