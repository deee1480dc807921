"""The comments' markup, held to what the templates rendered before the
listings were rendered in Python (soundoff.discussion.markup): the same
DOM for every reader (anonymous, the author, another reader, a
moderator), every state (visible, featured, edited, held, removed and
deleted with replies, more replies than the window), in both languages,
on the post page, the replies page and in live events.

The expected markup is in tests/discussion/markup/, written by the
templates the rewrite replaced; ids, times and tokens that change from
run to run are replaced by names before comparing, and the HTML is
compared as a DOM (django.test.html), so whitespace between tags does not
count. Run with SOUNDOFF_WRITE_MARKUP=1 to write the files again, and
read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone, translation

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, CommentStatus, Reaction, ReactionKind
from soundoff.lib.dateline import stamp_line
from soundoff.live.events import build_event
from testkit.cast import make_comment, make_moderator, make_reader

EXPECTED = Path(__file__).parent / "markup"
LANGUAGES = {"en": "en-US,en;q=0.9", "es": "es-ES,es;q=0.9"}
READERS = ("anonymous", "author", "other", "moderator")
# 21:58 UTC on 13 July 2011, and a comment a minute after each other.
START = datetime(2011, 7, 13, 21, 58, tzinfo=UTC)


@pytest.fixture
def varied(post, settings):
    """A thread with every state a listing shows, ids fixed so the files
    can name them."""
    settings.SOUNDOFF_REPLY_WINDOW = 2
    author = make_reader("Ada <Author>", id=9001)
    other = make_reader("Ben Other", id=9002, avatar_digest="0123456789abcdef0123456789abcdef")
    moderator = make_moderator("Mo Moderator", id=9003)
    made: dict[str, Comment] = {}

    def comment(name: str, by: User, n: int, **fields: object) -> Comment:
        fields.setdefault("created_at", START + timedelta(minutes=n))
        made[name] = make_comment(
            post.thread, by, f"Comment *{name}* <script>x</script> & y", id=7000 + n, **fields
        )
        if "body_html" in fields:  # make_comment renders the text; keep what was given
            Comment.objects.filter(pk=made[name].pk).update(body_html=fields["body_html"])
        return made[name]

    first = comment("first", author, 1, featured=True, reaction_count=3)
    comment("reply-1", other, 2, parent=first, edited_at=START + timedelta(minutes=9))
    comment("reply-2", author, 3, parent=first, reaction_count=1)
    comment("reply-3", other, 4, parent=first)
    removed = comment("removed", other, 5, status=CommentStatus.REMOVED)
    comment("under-removed", author, 6, parent=removed)
    comment("removed-alone", other, 7, status=CommentStatus.REMOVED)
    deleted = comment("deleted", author, 8, status=CommentStatus.DELETED)
    nested = comment("under-deleted", other, 9, parent=deleted)
    comment("nested", author, 10, parent=nested)
    comment("held", author, 11, status=CommentStatus.HELD)
    comment("held-reply", author, 12, status=CommentStatus.HELD, parent=first)
    Reaction.objects.create(comment=first, user=author, kind=ReactionKind.INSIGHTFUL)
    # Recent, so that its author may still edit it.
    comment("recent", author, 13, created_at=timezone.now() - timedelta(minutes=1))
    return {"anonymous": None, "author": author, "other": other, "moderator": moderator}, made


def _normalized(html: str, made: dict[str, Comment]) -> str:
    recent = made["recent"].created_at
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    for language in LANGUAGES:
        with translation.override(language):
            html = html.replace(stamp_line(recent), "RECENT")
    return re.sub(r'datetime="[^"]+">RECENT', 'datetime="RECENT">RECENT', html)


def _comments_part(page: str) -> str:
    """From the first list of comments to the comment form."""
    start = page.index('<ol class="comments')
    return page[start : page.index('<div class="comment-form"', start)]


def _rendered(client, readers, made) -> dict[str, str]:
    # The client's requests activate their language in this thread: put
    # back the one before, so that no later test runs in Spanish.
    with translation.override(translation.get_language()):
        return _rendered_in_each_language(client, readers, made)


def _rendered_in_each_language(client, readers, made) -> dict[str, str]:
    post_url = made["first"].thread.post.get_absolute_url()
    found = {}
    for reader in READERS:
        user = readers[reader]
        client.logout()
        if user is not None:
            client.force_login(user)
        for language, accept in LANGUAGES.items():
            headers = {"Accept-Language": accept}
            page = client.get(post_url, headers=headers).content.decode()
            found[f"page-{reader}-{language}"] = _comments_part(page)
            replies = client.get(
                reverse("discussion:replies", args=[made["first"].pk]), headers=headers
            ).content.decode()
            found[f"replies-{reader}-{language}"] = replies[
                replies.index("<main") : replies.index("</main>") + 7
            ]
    for name in ("reply-1", "removed", "deleted"):
        event = build_event(comment_id=made[name].pk, change="status")
        assert event is not None and event["comment"] is not None
        for language, html in event["comment"]["html"].items():
            found[f"event-{name}-{language}"] = html
    return {name: _normalized(html, made) for name, html in found.items()}


def test_comments_render_as_the_templates_rendered_them(client, varied):
    readers, made = varied
    rendered = _rendered(client, readers, made)
    if os.environ.get("SOUNDOFF_WRITE_MARKUP"):
        EXPECTED.mkdir(exist_ok=True)
        for name, html in rendered.items():
            (EXPECTED / f"{name}.html").write_text(html)
    for name, html in rendered.items():
        expected = (EXPECTED / f"{name}.html").read_text()
        assert parse_html(html) == parse_html(expected), name


def test_the_files_cover_every_state_and_reader():
    """What the comparison stands on: each state is in the expected files."""
    files = {path.stem: path.read_text() for path in EXPECTED.glob("*.html")}
    assert len(files) == len(READERS) * len(LANGUAGES) * 2 + 3 * len(LANGUAGES)
    for marker in (
        "comment__featured",
        "comment__edited",
        "comment--placeholder",
        "This comment was removed by a moderator.",
        "This comment was deleted by its author.",
        "1 more reply",
        "Waiting for a moderator",
        "/edit/",
        "/delete/",
        "/report/",
        'aria-pressed="true"',
        "/0123456789abcdef0123456789abcdef/96.webp",
        "initials.svg?name=",
        "&lt;Author&gt;",
        "RECENT",
    ):
        assert marker in files["page-author-en"], marker
    assert "/edit/" not in files["page-other-en"]
    assert "/reply/" not in files["page-anonymous-en"]
    assert "reactions__form" not in files["page-anonymous-en"]
    assert "Waiting for a moderator" not in files["page-moderator-en"]
    assert "1 respuesta m" in files["page-anonymous-es"]
    assert "/comments/0/reactions/" in files["page-other-es"]
