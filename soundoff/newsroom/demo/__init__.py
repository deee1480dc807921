"""Demo content for a new site: The Riverside Ledger, an invented newsroom.

Loaded by ``manage.py load_demo`` (bin/run does it on first run) and removed
by ``manage.py remove_demo``. Demo rows carry ``is_demo`` so removal never
touches anything real. Comments are written with their historical times,
as an importer would, rather than through post_comment (which stamps the
current time and applies rate limits meant for live readers).
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from soundoff.accounts.models import User
from soundoff.accounts.queries import current_policies
from soundoff.accounts.services import accept_policies
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy

from ..models import Post, PostStatus
from ..services import save_post

CONTENT = Path(__file__).parent / "content.toml"


def load_demo() -> int:
    """Create the demo readers, posts and comments; returns posts created."""
    content = tomllib.loads(CONTENT.read_text())
    with transaction.atomic():
        readers = {reader["key"]: _demo_reader(reader) for reader in content["reader"]}
        policies = current_policies()
        created = 0
        for item in content["post"]:
            if Post.objects.filter(slug=item["slug"]).exists():
                continue
            published_at = datetime.fromisoformat(item["published"])
            post = Post(
                slug=item["slug"],
                headline=item["headline"],
                byline=item.get("byline", ""),
                body=item["body"],
                status=PostStatus.PUBLISHED,
                published_at=published_at,
                is_demo=True,
            )
            save_post(
                post, policy=DiscussionPolicy(DiscussionMode(item.get("discussion", "open")))
            )
            comments: dict[str, Comment] = {}
            for entry in item.get("comment", []):
                parent = comments.get(entry["reply_to"]) if "reply_to" in entry else None
                comments[entry["key"]] = Comment.objects.create(
                    thread=post.thread,
                    parent=parent,
                    root=(parent.root or parent) if parent else None,
                    depth=parent.depth + 1 if parent else 0,
                    author=readers[entry["reader"]],
                    body=entry["body"],
                    created_at=published_at + timedelta(minutes=entry["minutes_after"]),
                    terms_version=policies["terms"],
                    privacy_version=policies["privacy"],
                )
            Thread.objects.filter(pk=post.thread.pk).update(comment_count=len(comments))
            created += 1
    return created


def remove_demo() -> tuple[int, int]:
    """Delete demo posts (with their discussions) and demo readers who have
    not written anything outside them. Returns (posts, readers) removed."""
    with transaction.atomic():
        Comment.objects.filter(thread__post__is_demo=True).update(parent=None, root=None)
        Comment.objects.filter(thread__post__is_demo=True).delete()
        demo_posts = Post.objects.filter(is_demo=True)
        posts = demo_posts.count()
        demo_posts.delete()
        idle = (
            User.objects.filter(is_demo=True)
            .annotate(written=Count("comments", filter=~Q(comments__status=CommentStatus.DELETED)))
            .filter(written=0)
        )
        readers = idle.count()
        User.objects.filter(pk__in=idle.values("pk")).delete()
    return posts, readers


def _demo_reader(entry: dict[str, str]) -> User:
    reader = User.objects.filter(email__iexact=entry["email"]).first()
    if reader is None:
        reader = User.objects.create_user(
            entry["email"],
            None,
            display_name=entry["display_name"],
            is_demo=True,
            # Invented readers with invented addresses: nobody could open a link.
            email_verified_at=timezone.now(),
        )
        accept_policies(reader, documents=current_policies().values())
    return reader
