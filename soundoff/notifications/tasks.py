"""The reply e-mail: when it may go, and the task worker's writing and sending of
it (manage.py db_worker)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from soundoff.accounts.language import written_for
from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, Thread
from soundoff.lib.text import plain_text
from soundoff.moderation.models import Sanction

from .links import stop_url
from .models import MutedThread, PendingReply, ReplyMailOptIn


@task
def send_reply_mail(*, recipient_id: int, thread_id: int) -> int:
    """Mail the reader the replies noted for them in the thread, in one
    message; returns how many it listed (0: nothing sent)."""
    waiting = PendingReply.objects.filter(
        recipient_id=recipient_id, thread_id=thread_id, sent_at=None
    )
    if next_mail_at(recipient_id, thread_id) is not None:
        # Another task mailed the reader lately: what it did not take waits
        # for the end of the window (and a task that finds nothing ends here).
        if waiting.exists():
            schedule_mail(recipient_id, thread_id)
        return 0
    recipient = User.objects.filter(pk=recipient_id).first()
    thread = Thread.objects.select_related("post").filter(pk=thread_id).first()
    with transaction.atomic():
        rows = list(waiting.select_for_update(of=("self",)).select_related("reply__author"))
        if recipient is None or thread is None or not _may_be_mailed(recipient, thread):
            PendingReply.objects.filter(pk__in=[row.pk for row in rows]).delete()
            return 0
        assert recipient is not None and thread is not None
        news = [row for row in rows if _is_news_for(row.reply, recipient)]
        PendingReply.objects.filter(pk__in=[row.pk for row in rows if row not in news]).delete()
        taken = [row.pk for row in news]
        PendingReply.objects.filter(pk__in=taken).update(sent_at=timezone.now())
    if not news:
        return 0
    try:
        _reply_mail(recipient, thread, [row.reply for row in news]).send()
    except Exception:
        # Not sent: give the rows back so that the next reply (or a retry) lists them.
        PendingReply.objects.filter(pk__in=taken).update(sent_at=None)
        raise
    return len(news)


def last_mailed(recipient_id: int, thread_id: int) -> datetime | None:
    latest: datetime | None = PendingReply.objects.filter(
        recipient_id=recipient_id, thread_id=thread_id, sent_at__isnull=False
    ).aggregate(latest=Max("sent_at"))["latest"]
    return latest


def next_mail_at(recipient_id: int, thread_id: int) -> datetime | None:
    """When the reader may next be mailed about the thread; None: now."""
    last = last_mailed(recipient_id, thread_id)
    if last is None:
        return None
    due = last + timedelta(seconds=settings.SOUNDOFF_NOTIFY_WINDOW)
    return due if due > timezone.now() else None


def schedule_mail(recipient_id: int, thread_id: int) -> None:
    """Queue the task that mails the reader's noted replies in the thread.

    One task per noted reply, each idempotent: the first to run takes every
    row noted so far, and the others find nothing left to send.
    """
    due = next_mail_at(recipient_id, thread_id)
    task = send_reply_mail if due is None else send_reply_mail.using(run_after=due)
    task.enqueue(recipient_id=recipient_id, thread_id=thread_id)


def _may_be_mailed(recipient: User, thread: Thread) -> bool:
    """A reader with a confirmed address, active, not suspended or banned,
    who still wants reply e-mails and has not muted this discussion."""
    return (
        recipient.is_active
        and recipient.is_claimed
        and recipient.email_verified_at is not None
        and not recipient.is_deleted_reader
        and thread.is_public
        and ReplyMailOptIn.objects.filter(user=recipient).exists()
        and not MutedThread.objects.filter(user=recipient, thread=thread).exists()
        and not Sanction.objects.in_force().filter(user=recipient).exists()
    )


def _is_news_for(reply: Comment, recipient: User) -> bool:
    """Shown to everyone (not just to a moderator who may see held ones),
    visible to the reader, not their own, and not by a sanctioned reader."""
    return (
        reply.is_visible
        and reply.is_visible_to(recipient)
        and reply.author_id != recipient.pk
        and not Sanction.objects.in_force().filter(user_id=reply.author_id).exists()
    )


def _reply_mail(recipient: User, thread: Thread, replies: list[Comment]) -> EmailMessage:
    with written_for(recipient):
        return _written_reply_mail(recipient, thread, replies)


def _written_reply_mail(recipient: User, thread: Thread, replies: list[Comment]) -> EmailMessage:
    site_url = ReplyMailOptIn.objects.get(user=recipient).site_url
    where = thread.post.headline if thread.post else (thread.title or thread.page_url or "")
    unsubscribe = stop_url(site_url, user_id=recipient.pk)
    context = {
        "name": recipient.display_name,
        "where": where,
        "site_name": settings.SOUNDOFF_SITE_NAME,
        "replies": [
            {
                "author": reply.author.display_name,
                "text": plain_text(reply.body_html),
                "url": site_url + reply.get_absolute_url(),
            }
            for reply in replies
        ],
        "mute_url": stop_url(site_url, user_id=recipient.pk, thread_id=thread.pk),
        "unsubscribe_url": unsubscribe,
        "profile_url": site_url + reverse("accounts:profile"),
    }
    subject = ngettext(
        "A reply to your comment on “%(where)s”",
        "%(count)d replies to your comments on “%(where)s”",
        len(replies),
    ) % {"count": len(replies), "where": where}
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("notifications/email/replies.txt", context),
        to=[recipient.email],
        headers={
            # RFC 8058: mail clients offer "Unsubscribe" and POST to the link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: no auto-replies (vacation notices) to this message.
            "Auto-Submitted": "auto-generated",
        },
    )
