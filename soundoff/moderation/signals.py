"""Signals moderation sends after a change has been committed.

Receivers (the moderation desk's live stream) are connected in their app's
AppConfig.ready().
"""

from django.dispatch import Signal

# Sent with comment_id and thread_id when a reader reports a comment.
comment_reported = Signal()
