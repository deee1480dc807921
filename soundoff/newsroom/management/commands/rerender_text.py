"""Render stored comments, posts, and posts' updates and corrections again
after the text rules change.

The Markdown source is what is stored; the HTML beside it is derived (see
soundoff.lib.text). When the rules change (an upgrade that links bare URLs,
say), this brings what is already stored in line, in batches, and bumps the
versions of the discussions it touched so that cached pages are rebuilt.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from soundoff.discussion.models import Comment, Thread
from soundoff.lib.text import render_comment, render_post
from soundoff.newsroom.models import Post, PostUpdate


class Command(BaseCommand):
    help = (
        "Render the HTML of stored comments, posts, and updates and corrections again "
        "from their Markdown."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction")

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        comments = self._comments(batch)
        posts = self._posts(batch)
        updates = self._updates(batch)
        self.stdout.write(
            f"Re-rendered {comments} comments, {posts} posts and {updates} updates "
            "or corrections whose HTML changed."
        )

    def _comments(self, batch: int) -> int:
        changed_count, after = 0, 0
        while rows := list(
            Comment.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "thread_id", "body", "body_html")[:batch]
        ):
            after = rows[-1][0]
            changed: list[Comment] = []
            threads: set[int] = set()
            for pk, thread, body, old in rows:
                if (html := render_comment(body)) != old:
                    changed.append(Comment(pk=pk, body_html=html))
                    threads.add(thread)
            if not changed:
                continue
            with transaction.atomic():
                Comment.objects.bulk_update(changed, ["body_html"])
                Thread.objects.filter(pk__in=threads).changed()
            changed_count += len(changed)
        return changed_count

    def _posts(self, batch: int) -> int:
        changed_count = 0
        for post in Post.objects.order_by("pk").iterator(chunk_size=batch):
            if render_post(post.body) != post.body_html:
                # save() renders the body; it also moves updated_at, which is
                # what the post page's Last-Modified and ETag read.
                post.save(update_fields=["body_html", "updated_at"])
                changed_count += 1
        return changed_count

    def _updates(self, batch: int) -> int:
        changed_count = 0
        for entry in PostUpdate.objects.order_by("pk").iterator(chunk_size=batch):
            if render_post(entry.text) != entry.text_html:
                with transaction.atomic():
                    entry.save(update_fields=["text_html"])
                    # The post page shows the note: move what its ETag reads.
                    Post.objects.filter(pk=entry.post_id).update(updated_at=timezone.now())
                changed_count += 1
        return changed_count
