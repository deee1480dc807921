"""Reply e-mails: turning them on and off, muting a discussion, and noting
replies for the task worker to mail in batches."""

from __future__ import annotations

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, Thread

from .links import Stop
from .models import MutedThread, PendingReply, ReplyMailOptIn
from .tasks import schedule_mail


def set_reply_mail(user: User, *, enabled: bool, site_url: str) -> None:
    """Turn the reader's reply e-mails on or off. ``site_url`` is the site's
    address as the reader's request saw it, for the links in the mails."""
    if enabled:
        ReplyMailOptIn.objects.update_or_create(user=user, defaults={"site_url": site_url})
    else:
        ReplyMailOptIn.objects.filter(user=user).delete()
        PendingReply.objects.filter(recipient=user, sent_at=None).delete()


def wants_reply_mail(user: User) -> bool:
    return ReplyMailOptIn.objects.filter(user=user).exists()


def mute_thread(thread: Thread, *, by: User, muted: bool = True) -> None:
    """Stop (or start again) reply e-mails from one discussion for ``by``."""
    if muted:
        MutedThread.objects.get_or_create(user=by, thread=thread)
        PendingReply.objects.filter(recipient=by, thread=thread, sent_at=None).delete()
    else:
        MutedThread.objects.filter(user=by, thread=thread).delete()


def is_muted(thread: Thread, *, user: User) -> bool:
    return MutedThread.objects.filter(user=user, thread=thread).exists()


def stop(link: Stop) -> None:
    """What a stop link in a mail asks: mute its discussion, or stop every
    reply e-mail. The signed link is the authority; nobody signs in."""
    user = User.objects.filter(pk=link.user_id).first()
    if user is None:
        return  # the account is gone, and its settings with it
    thread = Thread.objects.filter(pk=link.thread_id).first() if link.thread_id else None
    if link.thread_id is None:
        set_reply_mail(user, enabled=False, site_url="")
    elif thread is not None:
        mute_thread(thread, by=user)


def note_reply(reply_id: int) -> None:
    """A comment became visible: if it answers another reader who wants
    reply e-mails about this discussion, note it and have a mail sent.

    The mail waits until SOUNDOFF_NOTIFY_WINDOW seconds after the last one
    the reader had from this discussion, and then takes every reply noted
    meanwhile, so a busy discussion sends one mail per window, not one per
    reply. Who may be told is checked again when the mail is written.
    """
    reply = Comment.objects.select_related("parent").filter(pk=reply_id).first()
    if reply is None or not reply.is_visible or reply.parent is None:
        return
    recipient_id = reply.parent.author_id
    if recipient_id == reply.author_id:
        return
    if not ReplyMailOptIn.objects.filter(user_id=recipient_id).exists():
        return
    if MutedThread.objects.filter(user_id=recipient_id, thread_id=reply.thread_id).exists():
        return
    _pending, created = PendingReply.objects.get_or_create(
        recipient_id=recipient_id, reply=reply, defaults={"thread_id": reply.thread_id}
    )
    if created:
        schedule_mail(recipient_id, reply.thread_id)
