"""Deleting a reader's account, as the Privacy Policy describes it.

The reader (or an operator, on their behalf) chooses what happens to their
comments: erased (the text goes; a "deleted" placeholder stays only where
replies hang under it), or kept under the "Deleted reader" placeholder
account, without their name or picture, under the licence they granted.
Either way the account, its address, picture, policy acceptances,
reactions, reports, sanctions and sessions go, and the moderation log keeps
its facts but points at the placeholder instead of the person.

Comment rows themselves stay (as blank placeholders when erased): replies
and the moderation log hold foreign keys to them, so that a thread keeps
its shape and the log its history.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from soundoff.discussion.changes import announce
from soundoff.discussion.models import Comment, CommentStatus, Reaction, Thread
from soundoff.moderation.models import Flag, ModerationAction, Sanction

from ..errors import AccountError
from ..models import DELETED_READER_EMAIL, User


def deleted_reader() -> User:
    """The placeholder author of kept comments of deleted accounts.

    Inactive, with no usable password and an address in a reserved domain
    (RFC 2606) that no mail reaches, so nobody can log in as it or claim it.
    """
    found = User.objects.filter(email=DELETED_READER_EMAIL).first()
    if found is not None:
        return found
    name = _("Deleted reader")
    for suffix in ["", " (2)", " (3)", " (4)"]:
        try:
            with transaction.atomic():
                return User.objects.create_user(
                    DELETED_READER_EMAIL, None, display_name=f"{name}{suffix}", is_active=False
                )
        except IntegrityError:
            found = User.objects.filter(email=DELETED_READER_EMAIL).first()
            if found is not None:
                return found
    raise AccountError(_("The “Deleted reader” name is taken by several accounts."))


def may_delete(user: User, *, by: User | AnonymousUser) -> bool:
    """The reader themself, or an operator allowed to delete readers."""
    if not isinstance(by, User) or not by.is_active:
        return False
    return by.pk == user.pk or by.has_perm("accounts.delete_user")


def delete_account(user: User, *, by: User | AnonymousUser, keep_comments: bool) -> None:
    """Delete ``user``'s account and personal data, all or nothing.

    Thread counts and versions move in the same transaction, so cached pages
    are rebuilt; after commit, live readers get each changed comment.
    """
    if not may_delete(user, by=by):
        raise AccountError(_("You can only delete your own account."))
    if user.is_deleted_reader:
        raise AccountError(_("The “Deleted reader” placeholder can't be deleted."))
    placeholder = deleted_reader()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _withdraw_reactions(user)
        _withdraw_reports(user)
        if keep_comments:
            _hand_over_comments(user, to=placeholder)
        else:
            _erase_comments(user, to=placeholder)
        Sanction.objects.filter(created_by=user).update(created_by=None)
        ModerationAction.objects.forget_person(user, replacement=placeholder)
        _forget_traces(user)
        user.delete()


def _withdraw_reactions(user: User) -> None:
    reactions = Reaction.objects.filter(user=user)
    per_comment = Counter(reactions.values_list("comment_id", flat=True))
    threads = set(reactions.values_list("comment__thread_id", flat=True))
    for comment_id, count in per_comment.items():
        Comment.objects.filter(pk=comment_id).update(reaction_count=F("reaction_count") - count)
    reactions.delete()
    Thread.objects.filter(pk__in=threads).changed()


def _withdraw_reports(user: User) -> None:
    open_reports = Counter(
        Flag.objects.filter(reporter=user, resolved_at=None).values_list("comment_id", flat=True)
    )
    for comment_id, count in open_reports.items():
        Comment.objects.filter(pk=comment_id).update(open_flags=F("open_flags") - count)
    Flag.objects.filter(reporter=user).delete()


def _hand_over_comments(user: User, *, to: User) -> None:
    """Keep the comments under the placeholder. Text the reader had deleted
    themself goes now: it was only kept for their account."""
    comments = Comment.objects.filter(author=user)
    comments.filter(status=CommentStatus.DELETED).update(body="", body_html="", scores={})
    shown = list(comments.exclude(status=CommentStatus.HELD).values_list("pk", "thread_id"))
    # submission_key is unique per author: the placeholder holds many readers'.
    comments.update(author=to, submission_key=None)
    Thread.objects.filter(pk__in={thread for _pk, thread in shown}).changed()
    for pk, thread_id in shown:
        _announce(pk, thread_id, "edited")


def _erase_comments(user: User, *, to: User) -> None:
    comments = Comment.objects.filter(author=user)
    visible = list(comments.filter(status=CommentStatus.VISIBLE).values_list("pk", "thread_id"))
    shown = list(
        comments.filter(status__in=CommentStatus.shown_in_thread()).values_list("pk", "thread_id")
    )
    threads = set(comments.values_list("thread_id", flat=True))
    Flag.objects.filter(comment__author=user, resolved_at=None).update(resolved_at=timezone.now())
    comments.update(
        author=to,
        submission_key=None,
        body="",
        body_html="",
        status=CommentStatus.DELETED,
        held_reason="",
        open_flags=0,
        featured=False,
        scores={},
        edited_at=None,
    )
    gone = Counter(thread for _pk, thread in visible)
    for thread in threads:
        Thread.objects.filter(pk=thread).changed(count_delta=-gone[thread])
    for pk, thread_id in shown:
        _announce(pk, thread_id, "status")


def _announce(comment_id: int, thread_id: int, change: str) -> None:
    announce(Comment(pk=comment_id, thread_id=thread_id), change)


def _forget_traces(user: User) -> None:
    """What else names the reader: the admin's history of their account,
    their sessions, and the mail the task worker sent them."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
    signed_in = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=signed_in).delete()
    DBTaskResult.objects.exclude(status=TaskResultStatus.RUNNING).annotate(
        text=Cast("args_kwargs", TextField())
    ).filter(text__icontains=user.email).delete()
