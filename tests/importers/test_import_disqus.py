"""manage.py import_disqus: threads to posts or pages, comments, states, re-runs."""

import gzip
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Thread
from soundoff.importers.models import ImportedObject
from testkit.cast import make_post
from testkit.samples import DisqusPost, DisqusThread, WPPost, disqus, wxr

pytestmark = pytest.mark.usefixtures("policies")


def _import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_disqus", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _write(tmp_path: Path, threads, posts, name: str = "disqus.xml") -> Path:
    path = tmp_path / name
    path.write_text(disqus(threads, posts), encoding="utf-8")
    return path


def _export(tmp_path: Path) -> Path:
    return _write(
        tmp_path,
        [
            DisqusThread("100", "https://news.example.com/posts/water-main/?utm_source=x"),
            DisqusThread(
                "200",
                "https://blog.example.org/story#comments",
                title="A <b>story</b>",
                closed=True,
            ),
        ],
        [
            DisqusPost(
                "1",
                "100",
                "<p>First!</p><p>Second paragraph.</p>",
                name="Ann",
                email="ann@example.com",
                created_at="2011-07-13T22:00:00Z",
            ),
            DisqusPost(
                "2",
                "100",
                "<p>Reply</p>",
                parent="1",
                name="Ben",
                created_at="2011-07-13T22:01:00Z",
            ),
            DisqusPost("3", "100", "", deleted=True, name="Ann", email="ann@example.com"),
            DisqusPost("4", "100", "<p>Cheap watches</p>", spam=True, name="Bot"),
            DisqusPost("5", "200", "<p>On the page</p>", name="Cy"),
            DisqusPost("6", "999", "<p>Lost</p>"),
        ],
    )


def test_threads_map_to_posts_by_path_and_to_pages_by_address(tmp_path):
    post = make_post(slug="water-main")
    report = _import(_export(tmp_path))

    assert Thread.objects.get(post=post).comments.count() == 4
    page = Thread.objects.get(page_url="https://blog.example.org/story")
    assert page.title == "A story" and page.mode == DiscussionMode.CLOSED
    assert page.comments.get().body == "On the page"
    assert "Imported 0 posts, 2 threads, 5 comments" in report
    assert "comment on a thread missing from the file" in report


def test_comments_keep_parents_times_and_states(tmp_path):
    post = make_post(slug="water-main")
    _import(_export(tmp_path))

    by_id = {c.source_id: c for c in Comment.objects.filter(source="disqus")}
    assert by_id["1"].body == "First!\n\nSecond paragraph."
    assert "<p>First!</p>" in by_id["1"].body_html
    assert by_id["1"].created_at == datetime(2011, 7, 13, 22, 0, tzinfo=UTC)
    assert by_id["2"].parent == by_id["1"] and by_id["2"].depth == 1
    assert by_id["3"].status == CommentStatus.DELETED
    assert by_id["4"].status == CommentStatus.REMOVED
    assert by_id["3"].author == by_id["1"].author
    post.thread.refresh_from_db()
    assert post.thread.comment_count == 2


def test_a_thread_with_no_post_here_becomes_an_external_page_even_with_a_post_path(tmp_path):
    _import(_export(tmp_path))

    assert Thread.objects.filter(page_url="https://news.example.com/posts/water-main/").exists()


def test_it_finds_posts_a_wordpress_import_brought_from_the_same_address(tmp_path):
    (tmp_path / "wp.xml").write_text(
        wxr([WPPost(1, slug="bridge", link="http://old.example.com/2011/07/bridge/")])
    )
    call_command(
        "import_wordpress", str(tmp_path / "wp.xml"), stdout=StringIO(), stderr=StringIO()
    )
    path = _write(
        tmp_path,
        [DisqusThread("7", "http://old.example.com/2011/07/bridge/")],
        [DisqusPost("70", "7", "<p>Old Disqus comment</p>")],
    )

    _import(path)

    comment = Comment.objects.get(source="disqus")
    assert comment.thread.post is not None and comment.thread.post.slug == "bridge"


def test_running_it_again_adds_nothing(tmp_path):
    make_post(slug="water-main")
    path = _export(tmp_path)
    _import(path)
    counts = (
        Thread.objects.count(),
        Comment.objects.count(),
        User.objects.count(),
        ImportedObject.objects.count(),
    )

    report = _import(path)

    assert counts == (
        Thread.objects.count(),
        Comment.objects.count(),
        User.objects.count(),
        ImportedObject.objects.count(),
    )
    assert "Skipped, already imported: 7" in report


def test_gzipped_exports_are_read_as_disqus_sends_them(tmp_path):
    plain = _export(tmp_path)
    packed = tmp_path / "disqus.xml.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))

    _import(packed)

    assert Comment.objects.filter(source="disqus").count() == 5


def test_progress_is_drawn_on_stderr(tmp_path):
    err = StringIO()
    call_command("import_disqus", str(_export(tmp_path)), stdout=StringIO(), stderr=err)

    assert "Reading disqus.xml:" in err.getvalue() and "(100%)" in err.getvalue()


def test_the_wrong_kind_of_export_is_refused_clearly(tmp_path):
    path = tmp_path / "wp.xml"
    path.write_text(wxr([WPPost(1)]))

    with pytest.raises(Exception, match="not a Disqus export"):
        _import(path)
