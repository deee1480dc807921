"""manage.py import_wordpress: posts, comments, states, re-runs, repairs."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Thread
from soundoff.importers.identities import placeholder_for_address
from soundoff.newsroom.models import Post, PostStatus
from testkit.cast import make_reader
from testkit.samples import WPComment, WPPost, wxr

pytestmark = pytest.mark.usefixtures("policies")


def _import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _write(tmp_path: Path, posts: list[WPPost], name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(wxr(posts), encoding="utf-8")
    return path


def _story() -> list[WPPost]:
    return [
        WPPost(
            1,
            title="Water main breaks <em>downtown</em>",
            slug="water-main",
            content="First paragraph with <strong>news</strong>.\n\nSecond, with "
            '<a href="https://city.example/notice">the notice</a>.',
            comments=[
                WPComment(
                    10,
                    "Is the bridge closed?",
                    author="Ann",
                    email="ann@example.com",
                    date_gmt="2011-07-13 22:00:00",
                ),
                WPComment(
                    11,
                    "Yes, until noon.",
                    parent=10,
                    author="Ben",
                    email="ben@example.com",
                    date_gmt="2011-07-13 22:05:00",
                ),
                WPComment(
                    12,
                    "Waiting for approval",
                    approved="0",
                    author="Cy",
                    date_gmt="2011-07-13 22:06:00",
                ),
                WPComment(
                    13,
                    "Buy pills",
                    approved="spam",
                    author="Spammer",
                    date_gmt="2011-07-13 22:07:00",
                ),
                WPComment(
                    14,
                    "Never mind",
                    approved="trash",
                    author="Ann",
                    email="ann@example.com",
                    date_gmt="2011-07-13 22:08:00",
                ),
            ],
        ),
        WPPost(
            2,
            title="Council meets",
            slug="council",
            status="draft",
            date_gmt="0000-00-00 00:00:00",
        ),
        WPPost(
            3,
            title="Tomorrow's story",
            slug="tomorrow",
            status="future",
            date_gmt="2031-01-01 12:00:00",
        ),
        WPPost(
            4,
            title="About us",
            slug="about",
            post_type="page",
            comments=[WPComment(40, "On a page")],
        ),
    ]


def test_it_imports_posts_with_dates_slugs_bodies_and_statuses(tmp_path):
    report = _import(_write(tmp_path, _story()))

    assert "Imported 3 posts, 0 threads, 5 comments" in report
    post = Post.objects.get(slug="water-main")
    assert post.headline == "Water main breaks downtown"
    assert post.status == PostStatus.PUBLISHED
    assert post.published_at == datetime(2011, 7, 13, 21, 58, tzinfo=UTC)
    assert post.byline == "By Ed Itor"
    assert post.category is not None and post.category.slug == "local-news"
    assert post.body == (
        "First paragraph with **news**.\n\nSecond, with [the notice](https://city.example/notice)."
    )
    assert '<a href="https://city.example/notice" rel="noopener">' in post.body_html
    assert Post.objects.get(slug="council").status == PostStatus.DRAFT
    assert Post.objects.get(slug="tomorrow").status == PostStatus.SCHEDULED
    assert not Post.objects.filter(slug="about").exists()
    assert "items of type page" in report


def test_it_imports_comments_with_parents_times_names_and_states(tmp_path):
    _import(_write(tmp_path, _story()))

    thread = Thread.objects.get(post__slug="water-main")
    comments = {c.body: c for c in Comment.objects.filter(thread=thread)}
    question, answer = comments["Is the bridge closed?"], comments["Yes, until noon."]
    assert answer.parent == question and answer.root == question and answer.depth == 1
    assert question.created_at == datetime(2011, 7, 13, 22, 0, tzinfo=UTC)
    assert question.author.display_name == "Ann"
    assert comments["Never mind"].author == question.author
    assert {c.body: c.status for c in comments.values()} == {
        "Is the bridge closed?": CommentStatus.VISIBLE,
        "Yes, until noon.": CommentStatus.VISIBLE,
        "Waiting for approval": CommentStatus.HELD,
        "Buy pills": CommentStatus.REMOVED,
        "Never mind": CommentStatus.DELETED,
    }
    assert comments["Waiting for approval"].held_reason == "import"
    thread.refresh_from_db()
    assert thread.comment_count == 2


def test_imported_authors_are_unclaimed_identities_that_cannot_log_in(tmp_path, client):
    _import(_write(tmp_path, _story()))

    ann = User.objects.get(email="ann@example.com")
    assert not ann.is_claimed and not ann.has_usable_password()
    cy = User.objects.get(display_name="Cy")
    assert cy.email.endswith("@imported.invalid")
    assert not client.login(username="ann@example.com", password="")


def test_a_registered_readers_address_gets_a_separate_claimable_identity(tmp_path):
    reader = make_reader("Ann", email="ann@example.com")
    _import(_write(tmp_path, _story()))

    identity = User.objects.get(email=placeholder_for_address("ann@example.com"))
    assert identity.display_name == "Ann (2)"
    assert not identity.is_claimed
    assert not Comment.objects.filter(author=reader).exists()


def test_running_it_again_adds_nothing(tmp_path):
    path = _write(tmp_path, _story())
    _import(path)
    counts = (Post.objects.count(), Comment.objects.count(), User.objects.count())
    thread = Thread.objects.get(post__slug="water-main")

    report = _import(path)

    assert (Post.objects.count(), Comment.objects.count(), User.objects.count()) == counts
    assert "Imported 0 posts, 0 threads, 0 comments, 0 new authors" in report
    assert "Skipped, already imported: 8" in report
    thread.refresh_from_db()
    assert thread.comment_count == 2


def test_new_comments_in_a_later_export_join_the_imported_post(tmp_path):
    _import(_write(tmp_path, _story()[:1]))
    later = _story()[:1]
    later[0].comments.append(WPComment(15, "A late reply", parent=11))
    _import(_write(tmp_path, later, "later.xml"))

    reply = Comment.objects.get(body="A late reply")
    assert reply.parent is not None and reply.parent.body == "Yes, until noon."
    assert Post.objects.filter(slug__startswith="water-main").count() == 1


def test_slugs_are_made_unique(tmp_path):
    Post.objects.create(headline="Existing", slug="water-main", body="x")
    _import(_write(tmp_path, _story()[:1]))

    assert Post.objects.filter(slug="water-main-2", headline__startswith="Water").exists()


def test_orphans_attach_top_level_and_cycles_are_broken(tmp_path):
    post = WPPost(
        1,
        slug="loops",
        comments=[
            WPComment(1, "Orphan", parent=999, date_gmt="2011-07-13 22:00:00"),
            WPComment(2, "Loop A", parent=3, date_gmt="2011-07-13 22:01:00"),
            WPComment(3, "Loop B", parent=2, date_gmt="2011-07-13 22:02:00"),
            WPComment(4, "Self", parent=4, date_gmt="2011-07-13 22:03:00"),
            WPComment(5, "Under B", parent=3, date_gmt="2011-07-13 22:04:00"),
        ],
    )
    report = _import(_write(tmp_path, [post]))

    by_body = {c.body: c for c in Comment.objects.all()}
    assert by_body["Orphan"].parent is None and by_body["Orphan"].depth == 0
    assert by_body["Self"].parent is None
    assert by_body["Loop A"].parent is None
    assert by_body["Loop B"].parent == by_body["Loop A"]
    assert by_body["Under B"].root == by_body["Loop A"] and by_body["Under B"].depth == 2
    assert "1 reply to missing comments shown top-level, 2 reply cycles broken" in report


def test_replies_past_the_depth_limit_join_the_deepest_level(tmp_path, settings):
    settings.SOUNDOFF_REPLY_DEPTH = 2
    chain = [WPComment(1, "Level 0")] + [
        WPComment(n, f"Level {n - 1}", parent=n - 1, date_gmt=f"2011-07-13 22:0{n}:00")
        for n in range(2, 6)
    ]
    _import(_write(tmp_path, [WPPost(1, comments=chain)]))

    depths = {
        c.body: (c.depth, c.parent.body if c.parent else None) for c in Comment.objects.all()
    }
    assert depths == {
        "Level 0": (0, None),
        "Level 1": (1, "Level 0"),
        "Level 2": (2, "Level 1"),
        "Level 3": (2, "Level 1"),
        "Level 4": (2, "Level 1"),
    }
    root = Comment.objects.get(body="Level 0")
    assert set(Comment.objects.exclude(pk=root.pk).values_list("root", flat=True)) == {root.pk}


def test_closed_comments_close_the_discussion_and_pingbacks_are_ignored(tmp_path):
    post = WPPost(
        1,
        comment_status="closed",
        comments=[
            WPComment(1, "A pingback", comment_type="pingback"),
            WPComment(2, "Real"),
        ],
    )
    report = _import(_write(tmp_path, [post]))

    assert Thread.objects.get().mode == DiscussionMode.CLOSED
    assert list(Comment.objects.values_list("body", flat=True)) == ["Real"]
    assert "pingbacks and trackbacks" in report


def test_bad_records_are_reported_and_left_out(tmp_path):
    post = WPPost(
        1,
        comments=[
            WPComment(1, "No date", date_gmt="yesterday"),
            WPComment(2, "<script>only()</script>"),
            WPComment(3, "Fine"),
        ],
    )
    report = _import(_write(tmp_path, [post]))

    assert list(Comment.objects.values_list("body", flat=True)) == ["Fine"]
    assert "comment with an unreadable date" in report
    assert "comment without text" in report


def test_strict_imports_nothing_when_a_record_fails(tmp_path):
    post = WPPost(1, comments=[WPComment(1, "No date", date_gmt="yesterday")])
    with pytest.raises(Exception, match="unreadable date"):
        _import(_write(tmp_path, [post]), "--strict")
    assert not Post.objects.exists()


def test_dry_run_keeps_nothing(tmp_path):
    report = _import(_write(tmp_path, _story()), "--dry-run")

    assert "Dry run" in report and "3 posts" in report
    assert not Post.objects.exists() and not Comment.objects.exists()
