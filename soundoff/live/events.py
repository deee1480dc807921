"""What a live update carries, built from the database after a commit.

An event is the comment's *current* state, read once after the change and
rendered by the same template partial as the thread page, so a reader's
page converges on what a reload would show whatever order events arrive in
(each carries the thread's version; the page ignores anything older than
what it shows). It is public: the partial is rendered with no reader, so
there are no edit or delete links, and only what the page itself shows
(name, picture, text) goes out. Held comments are never sent.

The words around the comment (its actions, "edited", the count) are in
every language the site offers, each rendered once here; a stream sends
its reader the one their browser asked for (soundoff.live.streams).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Literal, TypedDict

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from soundoff.discussion.counts import soundoff_count
from soundoff.discussion.models import Comment, CommentStatus
from soundoff.discussion.queries import CommentNode

# What the page should do with the comment: put the HTML in place
# (created, edited, restored, featured) or take it out (removed: the HTML,
# if any, is the placeholder that replies hang under).
Change = Literal["created", "edited", "restored", "featured", "removed"]


# Language code -> the same text in that language, for each offered language.
InEveryLanguage = dict[str, str]


class CommentState(TypedDict):
    id: int
    change: Change
    parent: int | None
    html: InEveryLanguage


class LiveEvent(TypedDict):
    thread: int
    version: int
    count: int
    # The discussion header, "soundoff (2 Responses)" (discussion.counts).
    count_text: InEveryLanguage
    comment: CommentState | None


@dataclass
class Delivery:
    """An event as the broker numbered it: ``seq`` rises by one per event
    of the thread, in the order subscribers receive them. ``wires`` holds
    the event as the streams send it, per language, each encoded once for
    all the streams in that language."""

    seq: int
    event: LiveEvent
    wires: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)


def in_every_language(build: Callable[[], str]) -> InEveryLanguage:
    """What ``build`` returns with each offered language active in turn."""
    built = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            built[code] = build()
    return built


def in_language(texts: InEveryLanguage, language: str) -> str:
    """The text for ``language``; the site's own for one no longer offered
    (an event stored before SOUNDOFF_LANGUAGES changed)."""
    return (
        texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()), "")
    )


def build_event(*, comment_id: int, change: str) -> LiveEvent | None:
    """The event readers should see for ``change`` to a comment, or None
    when there is nothing public to say (a held comment was posted or edited)."""
    comment = Comment.objects.select_related("author", "thread").filter(pk=comment_id).first()
    if comment is None:
        return None
    thread = comment.thread
    state = _comment_state(comment, change)
    if state is None:
        return None
    return LiveEvent(
        thread=thread.pk,
        version=thread.version,
        count=thread.comment_count,
        count_text=in_every_language(lambda: soundoff_count(thread.comment_count)),
        comment=state,
    )


def _comment_state(comment: Comment, change: str) -> CommentState | None:
    visible = comment.status == CommentStatus.VISIBLE
    if not visible and change in ("created", "edited", "featured"):
        return None
    if visible:
        kind: Change = "restored" if change == "status" else _shown_change(change)
    else:
        kind = "removed"
    html: InEveryLanguage = {}
    if visible or comment.status in CommentStatus.shown_in_thread():
        node = CommentNode(comment)
        # No user in the context: the partial leaves out every per-reader
        # link, as it does for anonymous readers.
        html = in_every_language(
            lambda: render_to_string("discussion/comment.html", {"node": node}).strip()
        )
    return CommentState(id=comment.pk, change=kind, parent=comment.parent_id, html=html)


def _shown_change(change: str) -> Change:
    if change == "created":
        return "created"
    if change == "featured":
        return "featured"
    return "edited"


def text_carried(event: LiveEvent) -> int | None:
    """The id of the comment whose text ``event`` carries: any state but
    removed, whose HTML is at most the placeholder without text or author."""
    comment = event["comment"]
    return comment["id"] if comment is not None and comment["change"] != "removed" else None


def not_visible_now(comment_ids: Collection[int]) -> set[int]:
    """Those of ``comment_ids`` that are not visible at this moment (held,
    removed, deleted, gone), whatever their last published event said."""
    visible = Comment.objects.filter(pk__in=comment_ids, status=CommentStatus.VISIBLE)
    return set(comment_ids) - set(visible.values_list("pk", flat=True))


def without_text_of(deliveries: list[Delivery], comment_ids: set[int]) -> list[Delivery]:
    """``deliveries`` less the states of ``comment_ids`` that carry their
    text; the counts still go."""
    return [
        Delivery(seq=delivery.seq, event={**delivery.event, "comment": None})
        if text_carried(delivery.event) in comment_ids
        else delivery
        for delivery in deliveries
    ]
