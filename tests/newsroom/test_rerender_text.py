from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from soundoff.discussion import services
from soundoff.discussion.models import Comment, Thread
from soundoff.newsroom.models import Post, PostUpdate, UpdateKind
from soundoff.newsroom.services import add_post_update
from testkit.cast import CLIENT


def _rerender(*args: str) -> str:
    out = StringIO()
    call_command("rerender_text", *args, stdout=out)
    return out.getvalue()


def test_it_brings_stored_html_in_line_with_the_rules_and_bumps_the_thread(alice, post, bob):
    linked = services.post_comment(
        post.thread, author=alice, body="Map at https://news.example/map", client=CLIENT
    ).comment
    plain = services.post_comment(post.thread, author=bob, body="No links", client=CLIENT).comment
    # As stored before bare URLs became links.
    Comment.objects.filter(pk=linked.pk).update(body_html="<p>Map at https://news.example/map</p>")
    Post.objects.filter(pk=post.pk).update(body_html="<p>stale</p>")
    version = Thread.objects.get(pk=post.thread.pk).version

    assert _rerender("--batch", "1") == (
        "Re-rendered 1 comments, 1 posts and 0 updates or corrections whose HTML changed.\n"
    )

    linked.refresh_from_db()
    assert '<a href="https://news.example/map" rel="nofollow ugc">' in linked.body_html
    assert Comment.objects.get(pk=plain.pk).body_html == "<p>No links</p>\n"
    assert Post.objects.get(pk=post.pk).body_html != "<p>stale</p>"
    assert Thread.objects.get(pk=post.thread.pk).version == version + 1
    assert _rerender() == (
        "Re-rendered 0 comments, 0 posts and 0 updates or corrections whose HTML changed.\n"
    )


def test_it_renders_updates_and_corrections_and_moves_the_post(post, desk_editor):
    entry = add_post_update(
        post, by=desk_editor, kind=UpdateKind.CORRECTION, text="See https://news.example/fix"
    )
    PostUpdate.objects.filter(pk=entry.pk).update(text_html="<p>stale</p>")
    before = Post.objects.get(pk=post.pk).updated_at

    assert _rerender().endswith("1 updates or corrections whose HTML changed.\n")

    assert '<a href="https://news.example/fix"' in PostUpdate.objects.get(pk=entry.pk).text_html
    assert Post.objects.get(pk=post.pk).updated_at > before


def test_it_refuses_a_batch_below_one(db):
    with pytest.raises(CommandError, match="--batch must be at least 1"):
        call_command("rerender_text", "--batch", "0")
