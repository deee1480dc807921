from __future__ import annotations

from datetime import datetime
from typing import Any

from soundoff.accounts.models import User

from .models import MutedThread, ReplyMailOptIn


def reader_data(user: User) -> dict[str, Any]:
    """The reader's reply e-mail settings, for the export of their data."""
    since: datetime | None = (
        ReplyMailOptIn.objects.filter(user=user).values_list("created_at", flat=True).first()
    )
    return {
        "on_since": since.isoformat() if since is not None else None,
        "muted_discussions": [
            {"discussion": thread_id, "muted_at": muted_at.isoformat()}
            for thread_id, muted_at in MutedThread.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values_list("thread_id", "created_at")
        ],
    }
