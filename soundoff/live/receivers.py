"""The discussion's comment_changed signal, turned into a live event."""

from __future__ import annotations

import logging
from typing import Any

from .broker import get_broker
from .events import build_event

logger = logging.getLogger(__name__)


def publish_change(sender: Any, *, comment_id: int, change: str, **kwargs: Any) -> None:
    """Publish what readers should see of a committed change.

    Runs after commit inside the writer's request (or task), and the signal
    is sent without catching: a live update that can't go out must never
    turn a saved comment into an error page, so failures are logged only.
    """
    try:
        event = build_event(comment_id=comment_id, change=change)
        if event is not None:
            get_broker().publish(event)
    except Exception:
        logger.exception("Live update for comment %s (%s) was not published.", comment_id, change)
