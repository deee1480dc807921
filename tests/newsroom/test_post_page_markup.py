"""The post page and the API's listing, held byte for byte to what they
gave before their cold path was made cheaper (bench/RESULTS.md, target 3):
the whole page for every kind of reader (anonymous, signed in, one who has
yet to accept the policies and confirm their address, a moderator who is
staff, a banned one), in both languages, on its first page, a later page
and another order, and re-rendered with a form's errors; and the API's
first page of a post's thread and of an embedded one (an outside page's).

The expected text is in tests/newsroom/post_page/; what changes from run
to run (ids, CSRF tokens, the thread's times) is replaced by names first.
Run with SOUNDOFF_WRITE_MARKUP=1 to write the files again, and read the
diff before committing it.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, CommentStatus, Reaction, ReactionKind, Thread
from soundoff.discussion.queries import Sort, thread_page
from soundoff.moderation.sanctions import ban_user
from soundoff.newsroom.models import Category, Post, PostUpdate, UpdateKind
from soundoff.newsroom.services import add_post_update
from testkit.cast import make_comment, make_moderator, make_post, make_reader

EXPECTED = Path(__file__).parent / "post_page"
LANGUAGES = {"en": "en-US,en;q=0.9", "es": "es-ES,es;q=0.9"}
READERS = ("anonymous", "reader", "pending", "moderator", "banned")
START = datetime(2011, 7, 13, 21, 58, tzinfo=UTC)


@pytest.fixture
def site(db, settings):
    """A post with a category, an update and a correction, and a thread of
    every state a page shows, over more than one page."""
    settings.SOUNDOFF_COMMENTS_PER_PAGE = 4
    settings.SOUNDOFF_REPLY_WINDOW = 2
    category = Category.objects.create(name="Metro & <City>", slug="metro")
    post = make_post(headline="Water main <breaks> downtown", slug="water-main", category=category)
    moderator = make_moderator("Mo Moderator", id=9003, is_staff=True)
    add_post_update(post, by=None, kind=UpdateKind.UPDATE, text="Crews *arrived*.")
    add_post_update(post, by=None, kind=UpdateKind.CORRECTION, text="It was Main St.")
    readers = {
        "anonymous": None,
        "reader": make_reader("Ada <Author>", id=9001),
        "pending": make_reader("Pat Pending", id=9004, accepted=False, verified=False),
        "moderator": moderator,
        "banned": make_reader("Bo Banned", id=9005),
    }
    ban_user(readers["banned"], by=moderator, note="Spam.")
    other = make_reader("Ben Other", id=9002, avatar_digest="0123456789abcdef0123456789abcdef")
    author = readers["reader"]
    first = make_comment(post.thread, author, "The *first*", id=7001, created_at=START)
    make_comment(post.thread, other, "A reply", parent=first, id=7002, created_at=START)
    make_comment(post.thread, author, "Held", id=7003, status=CommentStatus.HELD)
    for n in range(4, 10):
        by = other if n % 2 else author
        make_comment(post.thread, by, f"Number {n}", id=7000 + n, reaction_count=n % 3)
    Comment.objects.filter(thread=post.thread).exclude(pk__lt=7003).update(
        created_at=START + timedelta(minutes=5)
    )
    Reaction.objects.create(comment=first, user=author, kind=ReactionKind.INSIGHTFUL)
    # Times shown as lines, fixed so that the files can hold them.
    Post.objects.filter(pk=post.pk).update(published_at=START - timedelta(hours=1))
    for n, update in enumerate(PostUpdate.objects.filter(post=post).order_by("pk")):
        PostUpdate.objects.filter(pk=update.pk).update(created_at=START + timedelta(minutes=n))
    return post, readers


def _normalized(text: str, post_thread: Thread) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', text)
    text = re.sub(r'name="submission_key" value="[^"]+"', 'name="submission_key"', text)
    text = re.sub(r"cursor=[^#&\"]+", "cursor=CURSOR", text)
    text = re.sub(r"cursor%3D[^#&\"]+", "cursor%3DCURSOR", text)
    text = re.sub(r'"next_cursor": ?"[^"]+"', '"next_cursor": "CURSOR"', text)
    text = re.sub(r'datetime="[^"]+"', 'datetime="TIME"', text)
    for old, new in [
        (f"/threads/{post_thread.pk}/", "/threads/THREAD/"),
        (f"/discussions/{post_thread.pk}/", "/discussions/THREAD/"),
    ]:
        text = text.replace(old, new)
    return text


def _pages(client, post, readers) -> dict[str, str]:
    thread = Thread.objects.get(post=post)
    second = thread_page(thread).next_cursor
    url = post.get_absolute_url()
    found = {}
    for reader in READERS:
        client.logout()
        if readers[reader] is not None:
            client.force_login(readers[reader])
        for language, accept in LANGUAGES.items():
            headers = {"Accept-Language": accept}
            for shape, query in [
                ("first", ""),
                ("newest", f"?sort={Sort.NEWEST}"),
                ("later", f"?cursor={second}"),
            ]:
                page = client.get(url + query, headers=headers)
                assert page.status_code == 200
                found[f"page-{reader}-{shape}-{language}"] = page.content.decode()
            if reader in ("reader", "pending"):
                errors = client.post(
                    f"{url}comments/", {"body": "", "parent": ""}, headers=headers
                )
                found[f"page-{reader}-errors-{language}"] = errors.content.decode()
    return {name: _normalized(text, thread) for name, text in found.items()}


def _listings(client, post) -> dict[str, str]:
    outside = Thread.objects.create(page_url="https://blog.example/a-page", title="A page")
    author = User.objects.get(pk=9001)
    make_comment(outside, author, "Embedded *one*", id=7101, created_at=START)
    make_comment(outside, author, "Gone", id=7102, created_at=START, status=CommentStatus.REMOVED)
    found = {}
    for name, thread in [("post", post.thread), ("embedded", outside)]:
        for language, accept in LANGUAGES.items():
            for query in ["", "?sort=newest&limit=3"]:
                answer = client.get(
                    f"/api/v1/threads/{thread.pk}/comments{query}",
                    headers={"Accept-Language": accept},
                )
                assert answer.status_code == 200
                key = f"api-{name}{'-newest' if query else ''}-{language}"
                found[key] = answer.content.decode().replace(
                    f'"thread": {thread.pk},', '"thread": THREAD,'
                )
    return {name: _normalized(text, post.thread) for name, text in found.items()}


def _compared(rendered: dict[str, str]) -> None:
    if os.environ.get("SOUNDOFF_WRITE_MARKUP"):
        EXPECTED.mkdir(exist_ok=True)
        for name, text in rendered.items():
            (EXPECTED / f"{name}.html").write_text(text)
    for name, text in rendered.items():
        assert text == (EXPECTED / f"{name}.html").read_text(), name


def test_the_post_page_is_what_the_templates_gave(client, site, settings):
    post, readers = site
    with translation.override(translation.get_language()):
        _compared(_pages(client, post, readers))


def test_the_api_listing_is_what_it_gave(client, site):
    post, _ = site
    with translation.override(translation.get_language()):
        _compared(_listings(client, post))


def test_the_files_cover_every_reader_and_part():
    files = {path.stem: path.read_text() for path in EXPECTED.glob("*.html")}
    assert len(files) == len(READERS) * len(LANGUAGES) * 3 + 2 * len(LANGUAGES) + 8
    anonymous, reader = files["page-anonymous-first-en"], files["page-reader-first-en"]
    moderator, banned = files["page-moderator-first-en"], files["page-banned-first-en"]
    pending = files["page-pending-first-en"]
    assert "Log in</a> or <a" in anonymous and "csrfmiddlewaretoken" not in anonymous
    assert "Posting as <strong>Ada &lt;Author&gt;</strong>" in reader
    assert "Your comments waiting for a moderator" in reader
    assert 'aria-pressed="true"' in reader and "data-reaction-template" in reader
    assert "Before your first comment, and whenever they change" in pending
    assert "Discussion settings" in moderator and ">Admin</a>" in moderator
    assert "Appeal this decision" in banned
    assert "Metro &amp; &lt;City&gt;" in anonymous and "Updates and corrections" in anonymous
    assert "Back to the first comments" in files["page-anonymous-later-en"]
    assert 'rel="next"' in anonymous
    assert 'role="alert"' in files["page-reader-errors-es"]
    assert '"page_url"' not in files["api-embedded-en"] and "Embedded" in files["api-embedded-en"]
