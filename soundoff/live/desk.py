"""GET /live/moderation/: the moderation desk's live queue, for moderators.

Every change to a comment (posted, held, edited, removed, restored,
featured) and every reader's report goes out on one broker channel that
no thread uses (DESK_CHANNEL), as the comment's id and nothing else: no
text, no name. The queue page then asks the moderator-only view
/moderate/live/<queue>/ for the items, so what a held or removed comment
says only ever leaves the server behind the permission check, and the
stream itself is refused to anyone but a moderator.

The permission is checked when the stream opens, from the session cookie
(in a thread: the check reads the database). A stream ends after
SOUNDOFF_LIVE_MAX_AGE at the latest, and its reconnection is checked
again, so a moderator whose access is taken away stops hearing within
that time. Nothing is replayed on reconnecting: the next event brings
the current counts, and a reload shows the queue as it is.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.http import HttpRequest, parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.module_loading import import_string

from soundoff.discussion.models import MODERATE

from .broker import get_broker
from .events import CommentState, Delivery, LiveEvent
from .streams import (
    SSE_HEADERS,
    Exchange,
    Headers,
    Subscription,
    message,
    own_pages,
    pump,
    respond_text,
    same_origin,
)

logger = logging.getLogger(__name__)

PATH = "/live/moderation/"
# Thread ids start at 1: channel 0 is nobody's discussion.
DESK_CHANNEL = 0


def desk_event(*, comment_id: int) -> LiveEvent:
    """What the desk hears of a change: which comment, and nothing it says."""
    return LiveEvent(
        thread=DESK_CHANNEL,
        version=0,
        count=0,
        count_text={},
        comment=CommentState(id=comment_id, change="edited", parent=None, html={}),
    )


def publish_desk_change(sender: Any, *, comment_id: int, **kwargs: Any) -> None:
    """After commit: tell open moderation queues that a comment changed.
    Failures are logged only, as for the readers' events."""
    try:
        get_broker().publish(desk_event(comment_id=comment_id))
    except Exception:
        logger.exception("The moderation desk was not told about comment %s.", comment_id)


def is_moderator_session(session_key: str) -> bool:
    """Whether the session belongs to an active account that may moderate
    (the same check as the pages: the session's hash must still match)."""
    try:
        engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
        request = HttpRequest()
        session: SessionBase = engine(session_key)
        request.session = session
        user = get_user(request)
        return bool(user.is_authenticated and user.is_active and user.has_perm(MODERATE))
    finally:
        connection.close()


async def serve(exchange: Exchange) -> None:
    """Open the desk's stream for a moderator; refuse everyone else."""
    host = exchange.headers.get("host", "")
    if not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        await respond_text(exchange, 400, "Bad Host header.")
        return
    if exchange.method != "GET":
        await respond_text(exchange, 405, "Use GET.", [("allow", "GET")])
        return
    origin = exchange.headers.get("origin")
    cors: Headers = []
    if origin and not same_origin(origin, host):
        if not own_pages(origin, host):
            await respond_text(exchange, 403, "The moderation queue is not shown on other sites.")
            return
        # The queue page on the pages' port: the browser sends the session
        # cookie along only if the answer lets it read with credentials.
        cors = [
            ("access-control-allow-origin", origin),
            ("access-control-allow-credentials", "true"),
            ("vary", "Origin"),
        ]
    session_key = parse_cookie(exchange.headers.get("cookie", "")).get(
        settings.SESSION_COOKIE_NAME, ""
    )
    loop = asyncio.get_running_loop()
    if not session_key or not await loop.run_in_executor(None, is_moderator_session, session_key):
        await respond_text(exchange, 403, "Only moderators may follow the moderation queue.")
        return
    broker = get_broker()
    await broker.start()
    async with Subscription(exchange, broker, DESK_CHANNEL) as subscriber:
        await exchange.start_stream(200, [*SSE_HEADERS, *cors])
        await exchange.write(f"retry: {settings.SOUNDOFF_LIVE_RETRY * 1000}\n\n".encode())
        await pump(exchange, subscriber, _queue_message)
        await exchange.end_stream()


def _queue_message(delivery: Delivery) -> bytes:
    comment = delivery.event["comment"]
    return b"" if comment is None else message("queue", {"comment": comment["id"]})
