"""Signals the discussion sends after a change has been committed.

Receivers (the live-update broker, caches) are connected in their app's
AppConfig.ready(). They run after commit, so they never veto or slow a write.
"""

from django.dispatch import Signal

# Sent with comment_id, thread_id and change: "created", "edited", "status"
# (its status changed: shown, held, removed, deleted, restored) or "featured".
comment_changed = Signal()
