"""Reply e-mails: who wants them, which discussions they muted, and the
replies waiting to be mailed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReplyMailOptIn(models.Model):
    """A reader who asked to be e-mailed about replies to their comments.

    Off by default: no row, no mail. ``site_url`` is the address the reader
    used when they turned it on ("https://news.example.org"); the mails are
    written by the task worker, which has no request to build links from.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reply_mail",
    )
    site_url = models.URLField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Reply mail for {self.user_id}"


class MutedThread(models.Model):
    """A discussion a reader asked not to be e-mailed about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_threads"
    )
    thread = models.ForeignKey("discussion.Thread", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="notifications_mute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} muted {self.thread_id}"


class PendingReply(models.Model):
    """A reply a reader is to be told about, until its mail is sent.

    One row per reader and reply (the constraint), so a reply that is
    withheld, approved, removed and restored is mailed once at most.
    ``sent_at`` is stamped when a mail takes the row; the latest stamp of a
    reader's rows in a thread is when that thread last mailed them.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey("discussion.Thread", on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey("discussion.Comment", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reply"], name="notifications_reply_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "thread", "sent_at"], name="notifications_pending"),
        ]

    def __str__(self) -> str:
        return f"Reply {self.reply_id} for {self.recipient_id}"
