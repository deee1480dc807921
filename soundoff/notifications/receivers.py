"""Reply e-mails follow the discussion's own signal: a reply posted visible,
or shown later (a held reply approved), is noted for its parent's author.
Connected in NotificationsConfig.ready(); it runs after commit."""

from __future__ import annotations

from typing import Any

from . import services


def note_reply(
    sender: Any, *, comment_id: int, change: str, parent_id: int | None = None, **kwargs: Any
) -> None:
    # A new comment that answers nobody needs no look: most comments.
    if change == "status" or (change == "created" and parent_id is not None):
        services.note_reply(comment_id)
