"""manage.py export: JSON Lines and WXR, and the round trip through an empty site."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from soundoff.accounts.models import User
from soundoff.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionMode,
    Reaction,
    ReactionKind,
    Thread,
)
from soundoff.importers.models import ImportedObject
from soundoff.newsroom.models import Category, Post, PostStatus
from testkit.cast import make_comment, make_post, make_reader

pytestmark = pytest.mark.usefixtures("policies")

T0 = datetime(2024, 3, 1, 14, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def site(policies):
    """Two posts, a draft, an external page; every status, nesting, markup."""
    ann = make_reader("Ann Alvarez", email="ann@example.com")
    ben = make_reader("Ben <b>Bold</b>", email="ben@example.com")
    category = Category.objects.create(name="City", slug="city")
    story = make_post(
        headline="Bridge closes",
        slug="bridge",
        body="The **bridge** is closed.\n\n> Quote\n\nSee [map](https://map.example/).",
        category=category,
    )
    Post.objects.filter(pk=story.pk).update(published_at=T0)
    make_post(headline="Draft & plans", slug="draft", status=PostStatus.DRAFT)
    page = Thread.objects.create(
        page_url="https://partner.example/story", title="Partner story", mode=DiscussionMode.CLOSED
    )
    thread = story.thread
    first = make_comment(
        thread,
        ann,
        "First, with *emphasis* and a [link](https://x.example/).",
        created_at=T0 + timedelta(minutes=1),
    )
    reply = make_comment(
        thread, ben, "A reply\nover two lines", created_at=T0 + timedelta(minutes=2), parent=first
    )
    make_comment(
        thread,
        ann,
        "Deeper <script>alert(1)</script>",
        created_at=T0 + timedelta(minutes=3),
        parent=reply,
        edited_at=T0 + timedelta(minutes=4),
    )
    make_comment(
        thread,
        ben,
        "Held back",
        created_at=T0 + timedelta(minutes=5),
        status=CommentStatus.HELD,
        held_reason="links",
    )
    make_comment(
        thread, ben, "Spam", created_at=T0 + timedelta(minutes=6), status=CommentStatus.REMOVED
    )
    make_comment(
        thread,
        ann,
        "Withdrawn",
        created_at=T0 + timedelta(minutes=7),
        status=CommentStatus.DELETED,
    )
    make_comment(thread, ann, "Featured one", created_at=T0 + timedelta(minutes=8), featured=True)
    make_comment(page, ben, "On the partner page", created_at=T0 + timedelta(minutes=9))
    Reaction.objects.create(comment=first, user=ben, kind=ReactionKind.AGREE)
    Comment.objects.filter(pk=first.pk).update(reaction_count=1)


def _snapshot(*, emails: bool = False) -> dict:
    """What a reader or an editor would see, independent of ids."""
    threads = {}
    for thread in Thread.objects.select_related("post"):
        key = thread.post.slug if thread.post else thread.page_url
        comments = []
        for c in thread.comments.select_related("author", "parent").order_by("created_at", "id"):
            comments.append(
                (
                    c.body,
                    c.body_html,
                    c.status,
                    c.created_at,
                    c.edited_at,
                    c.featured,
                    c.depth,
                    c.parent.body if c.parent else None,
                    c.author.display_name,
                    c.author.email if emails else None,
                )
            )
        post = thread.post
        threads[key] = {
            "post": (
                post.headline,
                post.body,
                post.body_html,
                post.status,
                post.published_at,
                post.byline,
                post.category.slug if post.category else None,
            )
            if post
            else None,
            "title": thread.title,
            "mode": thread.mode,
            "count": thread.comment_count,
            "comments": comments,
        }
    return threads


def _empty_the_site() -> None:
    Reaction.objects.all().delete()
    Comment.objects.update(parent=None, root=None)
    Comment.objects.all().delete()
    ImportedObject.objects.all().delete()
    Thread.objects.all().delete()
    Post.objects.all().delete()
    Category.objects.all().delete()
    User.objects.all().delete()


def _export(tmp_path: Path, fmt: str, *args: str) -> Path:
    path = tmp_path / f"export.{fmt}"
    call_command(
        "export",
        "--format",
        fmt,
        "--output",
        str(path),
        *args,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    return path


def _import(command: str, path: Path) -> str:
    """Run ``command`` (import_wordpress or import_jsonl) on ``path``; answers what it printed."""
    printed = StringIO()
    call_command(command, str(path), stdout=printed, stderr=StringIO())
    return printed.getvalue()


def _round_trip(tmp_path: Path, fmt: str, *args: str) -> Path:
    """Export the site, empty it, and import the export back; answers the file."""
    path = _export(tmp_path, fmt, *args)
    _empty_the_site()
    _import({"wxr": "import_wordpress", "jsonl": "import_jsonl"}[fmt], path)
    return path


@pytest.mark.usefixtures("site")
def test_wxr_round_trip_reproduces_threads_texts_times_and_statuses(tmp_path):
    before = _snapshot()
    _round_trip(tmp_path, "wxr", "--site-url", "https://news.example.com")

    assert _snapshot() == before


@pytest.mark.usefixtures("site")
def test_wxr_round_trip_keeps_addresses_when_asked(tmp_path):
    before = _snapshot(emails=True)
    _round_trip(tmp_path, "wxr", "--with-emails")

    assert _snapshot(emails=True) == before
    assert not User.objects.get(email="ann@example.com").is_claimed


@pytest.mark.usefixtures("site")
def test_wxr_without_the_soundoff_meta_still_reproduces_the_texts(tmp_path):
    """What another tool that drops our meta would hand back: HTML only."""
    before = _snapshot()
    path = _export(tmp_path, "wxr")
    text = path.read_text()
    for key in ("soundoff_source", "soundoff_created_at", "soundoff_published_at"):
        text = text.replace(f"<wp:meta_key>{key}</wp:meta_key>", "<wp:meta_key>x</wp:meta_key>")
    path.write_text(text)
    _empty_the_site()

    _import("import_wordpress", path)

    after = _snapshot()
    for key, thread in before.items():
        rendered = [(c[1], c[2], c[3].replace(microsecond=0)) for c in thread["comments"]]
        assert [(c[1], c[2], c[3]) for c in after[key]["comments"]] == rendered
        if thread["post"]:
            assert after[key]["post"][2] == thread["post"][2]


@pytest.mark.usefixtures("site")
def test_wxr_maps_statuses_and_leaves_out_addresses_and_ips(tmp_path):
    text = _export(tmp_path, "wxr").read_text()

    for approved in ("1", "0", "spam", "trash"):
        assert f"<wp:comment_approved>{approved}</wp:comment_approved>" in text
    assert "<wp:status>publish</wp:status>" in text and "<wp:status>draft</wp:status>" in text
    assert "ann@example.com" not in text
    assert "<wp:comment_author_IP></wp:comment_author_IP>" in text
    # The HTML a WordPress site would show is the sanitized one; the source
    # travels as data in a meta field, as the reader typed it.
    assert (
        "<wp:comment_content><![CDATA[<p>Deeper &lt;script&gt;alert(1)&lt;/script&gt;</p>" in text
    )


@pytest.mark.usefixtures("site")
def test_jsonl_has_one_typed_object_per_line_and_no_secrets(tmp_path):
    lines = [json.loads(line) for line in _export(tmp_path, "jsonl").read_text().splitlines()]

    assert lines[0]["type"] == "export" and lines[-1] == {"type": "end", "records": len(lines) - 2}
    types = {line["type"] for line in lines}
    assert types == {"export", "user", "post", "thread", "comment", "reaction", "end"}
    users = [line for line in lines if line["type"] == "user"]
    assert all(
        set(u) == {"type", "id", "display_name", "date_joined", "is_claimed", "is_active"}
        for u in users
    )
    dump = json.dumps(lines)
    assert "argon2" not in dump and "password" not in dump and "192.0.2" not in dump


@pytest.mark.usefixtures("site")
def test_jsonl_includes_addresses_only_when_asked(tmp_path):
    text = _export(tmp_path, "jsonl", "--with-emails").read_text()

    assert "ann@example.com" in text


@pytest.mark.usefixtures("site")
def test_jsonl_round_trip_reproduces_everything_including_reactions(tmp_path):
    before = _snapshot(emails=True)
    path = _round_trip(tmp_path, "jsonl", "--with-emails")
    again = _import("import_jsonl", path)

    assert _snapshot(emails=True) == before
    first = Comment.objects.get(body__startswith="First")
    assert first.reaction_count == 1 and first.reactions.get().user.display_name.startswith("Ben")
    assert "Imported 0 posts, 0 threads, 0 comments" in again


@pytest.mark.usefixtures("site")
def test_a_truncated_jsonl_export_is_refused(tmp_path):
    path = _export(tmp_path, "jsonl")
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:-3]))
    _empty_the_site()

    with pytest.raises(CommandError, match="cut short"):
        _import("import_jsonl", path)
    assert not Comment.objects.exists() and not Post.objects.exists()


def test_export_to_a_missing_folder_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "export",
            "--format",
            "wxr",
            "--output",
            str(tmp_path / "no" / "x.xml"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
