"""The signed link in every reply e-mail that stops them without signing in.

It names the reader and, to mute one discussion, the thread; without a
thread it stops reply e-mails altogether. Following it twice does no harm,
so it needs no state of its own; it lasts long enough for mail read late.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from soundoff.lib.links import LinkInvalid, make_link_token, read_link_token

SALT = "soundoff.notifications.stop"
# Mail is read late and kept for months; an older link gives a page that
# says where the setting is on the profile.
MAX_AGE = 180 * 24 * 3600


@dataclass(frozen=True)
class Stop:
    user_id: int
    thread_id: int | None  # None: every reply e-mail


def stop_url(site_url: str, *, user_id: int, thread_id: int | None = None) -> str:
    token = make_link_token({"user": user_id, "thread": thread_id}, salt=SALT)
    return site_url + reverse("notifications:stop", kwargs={"token": token})


def read_stop(token: str) -> Stop:
    """Raises soundoff.lib.links.LinkExpired or LinkInvalid."""
    data = read_link_token(token, salt=SALT, max_age=MAX_AGE)
    user_id, thread_id = data.get("user"), data.get("thread")
    if not isinstance(user_id, int) or not (thread_id is None or isinstance(thread_id, int)):
        raise LinkInvalid
    return Stop(user_id=user_id, thread_id=thread_id)
