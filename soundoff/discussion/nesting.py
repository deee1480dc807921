"""Where a reply is shown: one rule for replies posted here and for
replies brought in by an import.

A reply hangs under the comment it answers, one level deeper. Threads are
shown SOUNDOFF_REPLY_DEPTH levels deep at most: a reply to a comment at
the deepest level joins that comment's siblings, as one more reply to its
parent, so the conversation goes on in order instead of ever narrower.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .models import Comment


@dataclass(frozen=True)
class Place:
    """A comment's place in its thread: the comment it hangs under, the
    top-level comment above it (None for both at the top level), and its
    depth (0 at the top level)."""

    parent_id: int | None
    root_id: int | None
    depth: int

    @staticmethod
    def of(comment: Comment) -> Place:
        return Place(parent_id=comment.parent_id, root_id=comment.root_id, depth=comment.depth)


TOP_LEVEL = Place(parent_id=None, root_id=None, depth=0)


def reply_place(parent_id: int, parent: Place) -> Place:
    """The place of a reply to the comment ``parent_id``, which is at ``parent``."""
    if parent.depth >= settings.SOUNDOFF_REPLY_DEPTH and parent.parent_id is not None:
        return parent
    return Place(parent_id=parent_id, root_id=parent.root_id or parent_id, depth=parent.depth + 1)
