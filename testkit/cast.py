"""The shared cast of the test suite: readers, moderators, posts, comments.

Used by tests/conftest.py, test modules and the benchmarks, so that each
builds the same world the same way instead of importing other tests.
"""

from __future__ import annotations

import io
import signal
from datetime import timedelta
from html.parser import HTMLParser
from itertools import count
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from soundoff.accounts.default_policies import install_default_policies
from soundoff.accounts.models import ConductRule, PolicyKind, PolicyVersion, User
from soundoff.accounts.queries import current_policies, current_rules
from soundoff.accounts.services import accept_policies, set_avatar
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.lib.client import ClientInfo
from soundoff.lib.images import process_avatar
from soundoff.moderation.scoring.base import Score, ScoreKind
from soundoff.newsroom.models import Post, PostStatus
from soundoff.newsroom.services import save_post

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test fixture
CLIENT = ClientInfo(ip="192.0.2.10", user_agent="pytest")
_serial = count(1)


def conduct_rule(number: int) -> ConductRule:
    """Rule ``number`` of the Rules of Conduct in force."""
    return next(rule for rule in current_rules() if rule.number == number)


def ensure_policies() -> None:
    """Version 1 of the documents, as the data migration installs them
    (transactional tests flush the database, so they need it again)."""
    install_default_policies(PolicyVersion, ConductRule)


def make_reader(
    display_name: str | None = None,
    *,
    accepted: bool = True,
    verified: bool = True,
    **fields: object,
) -> User:
    """A reader who has accepted the current policies and confirmed their
    address, unless told otherwise."""
    n = next(_serial)
    if verified:
        fields.setdefault("email_verified_at", timezone.now())
    name = display_name or f"Reader {n}"
    email = str(fields.pop("email", None) or f"reader{n}@example.com")
    user = User.objects.create_user(email, PASSWORD, display_name=name, **fields)
    if accepted:
        ensure_policies()
        accept_policies(user, documents=current_policies().values())
    return user


def make_moderator(display_name: str | None = None, **fields: Any) -> User:
    """A reader granted moderation.moderate through the Moderators group that
    migration 0002_groups creates, as operators grant it; never staff or a
    superuser, who would pass every permission check. The group is made
    again if missing: transactional tests flush the migration's rows."""
    user = make_reader(display_name, **fields)
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="moderation", codename="moderate")
    )
    user.groups.add(group)
    return user


def make_post(
    *,
    status: PostStatus = PostStatus.PUBLISHED,
    published_ago: timedelta | None = None,
    discussion: DiscussionMode = DiscussionMode.OPEN,
    **fields: object,
) -> Post:
    n = next(_serial)
    published_at = timezone.now() - (
        published_ago if published_ago is not None else timedelta(hours=1)
    )
    post = Post(
        headline=str(fields.pop("headline", f"Story number {n}")),
        slug=str(fields.pop("slug", f"story-{n}")),
        byline="By Test Reporter",
        body=str(fields.pop("body", "First paragraph.\n\n> A quote.")),
        status=status,
        published_at=published_at,
        **fields,
    )
    return save_post(post, policy=DiscussionPolicy(discussion))


def make_comment(
    thread: Thread,
    author: User,
    body: str = "A comment.",
    *,
    parent: Comment | None = None,
    status: CommentStatus = CommentStatus.VISIBLE,
    **fields: object,
) -> Comment:
    """A comment written straight to the database: no pipeline, no rate
    limit, no live event, no task. For tests that need many comments, or
    ones at chosen times (``created_at=``) or in chosen statuses. The thread
    moves as every write moves it: its version is bumped (so cached pages
    are rebuilt) and a visible comment is counted."""
    policies = current_policies()
    comment = Comment.objects.create(
        thread=thread,
        author=author,
        body=body,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        status=status,
        terms_version=policies[PolicyKind.TERMS],
        privacy_version=policies[PolicyKind.PRIVACY],
        **fields,
    )
    Thread.objects.filter(pk=thread.pk).changed(count_delta=int(comment.is_visible))
    return comment


def give_picture(user: User, colour: tuple[int, int, int] = (200, 40, 40)) -> User:
    """``user`` with a profile picture (a JPEG of one colour; colours differ
    in digest), checked and stored as an upload from the profile page is."""
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(jpeg, "JPEG", quality=90)
    jpeg.seek(0)
    avatar = process_avatar(
        jpeg, max_bytes=2_000_000, max_pixels=16_000_000, max_decode_bytes=64_000_000
    )
    return set_avatar(user, avatar=avatar)


def run_worker() -> None:
    """Run the real task worker (manage.py db_worker) until the queue is empty.

    The worker installs its own SIGINT/SIGTERM/SIGQUIT handlers; the test
    runner's are put back afterwards.
    """
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    saved = {sig: signal.getsignal(sig) for sig in signals}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


class _FormFields(HTMLParser):
    """The values a browser would send back from the admin's change form:
    every named input, select and textarea, as rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "checkbox"):
            self.values[name] = attributes.get("value") or ""
        elif tag == "input" and name and "checked" in attributes:
            self.values[name] = attributes.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def form_values(page: str) -> dict[str, str]:
    """What a browser would send back from the forms in ``page`` (an admin
    change form, say) when the user changes nothing."""
    parser = _FormFields()
    parser.feed(page)
    return parser.values


class FixedScorer:
    """A scorer that gives every text the same score: for tests of what a
    score does, whatever the installed models would say."""

    def __init__(self, kind: ScoreKind, value: float) -> None:
        self.kind, self.value = kind, value
        self.name, self.version = f"fixed-{kind}", "1.0"

    def score(self, text: str) -> Score:
        return Score(kind=self.kind, value=self.value, model=self.name, version=self.version)
