"""Hostile exports: entity attacks, broken files, markup in every field, size."""

import json
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, Thread
from soundoff.newsroom.models import Post
from testkit.samples import (
    DISQUS_HEAD,
    DisqusPost,
    DisqusThread,
    WPComment,
    WPPost,
    disqus,
    wxr,
)

pytestmark = pytest.mark.usefixtures("policies")

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
LINK = '<a href="javascript:alert(1)">click</a>'
HOSTILE = f"{SCRIPT}{IMG}{LINK} <b onclick=alert(2)>bold</b>"


def _nothing_written() -> bool:
    return not (
        Post.objects.exists()
        or Comment.objects.exists()
        or Thread.objects.exists()
        or User.objects.filter(is_claimed=False).exists()
    )


def _run(command: str, path: Path) -> None:
    call_command(command, str(path), stdout=StringIO(), stderr=StringIO())


XXE = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&xxe;</title>'
    "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>"
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE disqus [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + ']>\n<disqus><thread dsq:id="1" xmlns:dsq="x"><link>https://a.example/</link>'
    "<title>&lol9;</title></thread></disqus>"
)


@pytest.mark.parametrize(
    ("command", "document"),
    [("import_wordpress", XXE), ("import_disqus", LAUGHS)],
    ids=["xxe", "billion-laughs"],
)
def test_documents_with_a_dtd_are_refused_and_nothing_is_written(tmp_path, command, document):
    path = tmp_path / "hostile.xml"
    path.write_text(document)

    with pytest.raises(CommandError, match="DTD") as raised:
        _run(command, path)

    assert "root:" not in str(raised.value)
    assert _nothing_written()


def test_an_external_entity_after_good_records_rolls_everything_back(tmp_path):
    good = disqus([DisqusThread("1", "https://a.example/page")], [DisqusPost("1", "1")])
    path = tmp_path / "late.xml"
    # Valid records first, then an entity reference that needs a DTD to resolve.
    path.write_text(good.replace("</disqus>", "<post>&xxe;</post></disqus>"))

    with pytest.raises(CommandError, match="not well-formed"):
        _run("import_disqus", path)
    assert _nothing_written()


def test_a_truncated_file_is_refused_and_nothing_is_written(tmp_path):
    posts = [WPPost(n, slug=f"post-{n}", comments=[WPComment(n, "Hello")]) for n in range(1, 30)]
    document = wxr(posts).encode()
    path = tmp_path / "truncated.xml"
    path.write_bytes(document[: len(document) * 2 // 3])

    with pytest.raises(CommandError, match="truncated"):
        _run("import_wordpress", path)
    assert _nothing_written()


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="not well-formed"):
        _run("import_disqus", path)


def test_a_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="Can't read"):
        _run("import_disqus", tmp_path / "nope.xml")


def _assert_safe_html(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered and "onclick" not in lowered
    assert "javascript:" not in lowered
    assert "<img" not in lowered


def test_markup_in_every_wordpress_field_is_rendered_safely(tmp_path, client):
    post = WPPost(
        1,
        title=f"Headline {HOSTILE}",
        slug="hostile",
        content=f"<p>Body {HOSTILE}</p>",
        creator=f"{SCRIPT}editor",
        link="javascript:alert(1)",
        comments=[
            WPComment(
                1, f"Comment {HOSTILE}", author=f"Name {SCRIPT}", email=f"{SCRIPT}@example.com"
            )
        ],
    )
    path = tmp_path / "hostile.xml"
    path.write_text(wxr([post]))
    _run("import_wordpress", path)

    imported = Post.objects.get()
    assert imported.headline == "Headline click bold"
    assert imported.byline == "By editor"
    _assert_safe_html(imported.body_html)
    comment = Comment.objects.get()
    _assert_safe_html(comment.body_html)
    assert comment.body == "Comment click **bold**"
    assert comment.author.email.endswith("@imported.invalid")

    page = client.get(f"/posts/{imported.slug}/").content.decode()
    assert "Name &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_markup_in_every_disqus_field_is_rendered_safely(tmp_path):
    path = tmp_path / "hostile.xml"
    path.write_text(
        disqus(
            [
                DisqusThread("1", "https://a.example/page", title=f"Title {HOSTILE}"),
                DisqusThread("2", "javascript:alert(1)//https://a.example/"),
            ],
            [
                DisqusPost("1", "1", f"<p>Message {HOSTILE}</p>", name=f"{IMG}Name"),
                DisqusPost("2", "2", "<p>On a javascript: page</p>"),
            ],
        )
    )
    out = StringIO()
    call_command("import_disqus", str(path), stdout=out, stderr=StringIO())

    thread = Thread.objects.get()
    assert thread.page_url == "https://a.example/page"
    assert "<" not in thread.title
    comment = Comment.objects.get()
    _assert_safe_html(comment.body_html)
    assert comment.author.display_name.startswith("<img")  # stored as typed, escaped on pages
    assert "thread without an http(s) link" in out.getvalue()


def _big_disqus(path: Path, megabytes: int) -> int:
    """Write a Disqus export of about ``megabytes`` MB, a record at a time."""
    paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 140 + "</p>"
    written = comments = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(DISQUS_HEAD)
        for thread in range(200):
            out.write(DisqusThread(f"t{thread}", f"https://a.example/story/{thread}").xml())
        while written < megabytes * 1_000_000:
            thread = comments % 200
            parent = f"c{comments - 200}" if comments % 3 and comments >= 200 else ""
            record = DisqusPost(
                f"c{comments}",
                f"t{thread}",
                paragraph,
                parent=parent,
                name=f"Reader {comments % 500}",
            ).xml()
            out.write(record)
            written += len(record)
            comments += 1
        out.write("</disqus>\n")
    return comments


def test_memory_stays_flat_on_a_large_export(tmp_path):
    """A guard, not a benchmark: a 20 MB file must not be held in memory.

    Parsing this file whole would take about 25 MB of traced memory, so the
    bound sits well below that rather than at a generous round number.
    """
    path = tmp_path / "big.xml"
    comments = _big_disqus(path, 20)

    tracemalloc.start()
    try:
        _run("import_disqus", path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert Comment.objects.count() == comments
    assert peak < 15_000_000, f"peak {peak / 1e6:.1f} MB"


def test_deeply_nested_markup_does_not_exhaust_the_stack(tmp_path):
    nested = "<blockquote><b>" * 50_000 + "deep" + "</b></blockquote>" * 50_000
    path = tmp_path / "nested.xml"
    path.write_text(wxr([WPPost(1, content=nested, comments=[WPComment(1, nested)])]))

    _run("import_wordpress", path)

    assert "deep" in Comment.objects.get().body and "deep" in Post.objects.get().body


def test_unstorable_characters_are_removed_not_stored(tmp_path):
    lines = [
        {"type": "export", "format": "soundoff-jsonl", "version": 1},
        {"type": "user", "id": 1, "display_name": "Nul\u0000 Name\ud800"},
        {
            "type": "thread",
            "id": 1,
            "post": None,
            "page_url": "https://a.example/\ud800x",
            "title": "T\u0085itle",
            "mode": "open",
        },
        {
            "type": "comment",
            "id": 1,
            "thread": 1,
            "parent": None,
            "author": 1,
            "body": "Bad\u0000 \ud800text\u009b",
            "status": "visible",
            "created_at": "2024-01-01T00:00:00+00:00",
        },
        {"type": "end", "records": 3},
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")

    _run("import_jsonl", path)

    comment = Comment.objects.select_related("author", "thread").get()
    assert comment.body == "Bad text"
    assert comment.author.display_name == "Nul Name"
    assert comment.thread.page_url == "https://a.example/x" and comment.thread.title == "Title"
