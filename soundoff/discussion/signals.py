"""Signals the discussion sends after a change has been committed.

Receivers (the live-update broker, caches) are connected in their app's
AppConfig.ready(). They run after commit, so they never veto or slow a write.
"""

from django.dispatch import Signal

# Sent with comment_id, thread_id, parent_id and change: "created", "edited",
# "status" (its status changed: shown, held, removed, deleted, restored) or
# "featured". parent_id is the comment's parent as the sender knew it; with
# "created" it is always the one the comment was written with.
comment_changed = Signal()
