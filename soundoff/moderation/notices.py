"""Telling readers about the decisions that concern them, by e-mail.

Every mail is written and sent by the task worker after the decision is
committed, so a slow mail server never holds up a moderator or a reader.
Each is written in its reader's language (soundoff.accounts.language),
not the moderator's, and carries the moderators' Reply-To
(SOUNDOFF_MODERATION_REPLY_TO),
quotes the comment it is about as plain text (from the sanitized HTML,
shortened), and links to the appeal form where the decision can be
appealed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from soundoff.accounts.language import written_for
from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, CommentStatus
from soundoff.lib.dateline import date_line, time_line
from soundoff.lib.queueing import enqueue_with_writes
from soundoff.lib.ratelimit import Rate, hit
from soundoff.lib.text import plain_text

from .models import Appeal, AppealStatus, ModerationAction, Sanction

# Holds the author is mailed about: by a score, by readers' reports, or by a
# suspect word. Holds of a pre-moderated discussion, of a new commenter or
# of links are routine; the page tells the author of those when they post.
TOLD_OF_HOLDS = ("flags", "suspect_word", "score_toxicity", "score_offensive", "score_spam")
# At most one "waiting for a moderator" mail per reader in this window: it
# lists every comment of theirs that waits, so a burst makes one mail, and
# the page marks each of them meanwhile.
HOLD_MAIL_RATE = Rate(limit=1, window=15 * 60)
QUOTE_CHARACTERS = 500


def after_commit(notice: Any, **kwargs: Any) -> None:
    """Queue ``notice`` (a task of this module) with the decision: it is
    sent once the decision is committed, and never if it is not."""
    enqueue_with_writes(notice, **kwargs)


def tell_author_of_hold(comment: Comment) -> None:
    """Called where the system holds a comment, in the same transaction."""
    if comment.held_reason in TOLD_OF_HOLDS:
        after_commit(tell_of_hold, comment_id=comment.pk)


def appeal_url(decision: ModerationAction) -> str:
    return settings.SOUNDOFF_SITE_URL + reverse("appeals:new", args=[decision.pk])


def quote(comment: Comment) -> str:
    """The comment's words as readers saw them, shortened for a mail."""
    return Truncator(plain_text(comment.body_html)).chars(QUOTE_CHARACTERS)


def comment_url(comment: Comment) -> str:
    return settings.SOUNDOFF_SITE_URL + comment.get_absolute_url()


def where(comment: Comment) -> str:
    thread = comment.thread
    if thread.post:
        return thread.post.headline
    return thread.title or thread.page_url or _("a discussion")


def moment(at: datetime) -> str:
    """A date and time in the newsroom's words and zone."""
    return f"{date_line(at)}, {time_line(at)}"


def until(sanction: Sanction) -> str:
    """The end of a sanction in the newsroom's words, or "permanent"."""
    if sanction.ends_at is None:
        return _("permanent, until a moderator lifts it")
    return moment(sanction.ends_at)


def may_be_told(user: User) -> bool:
    """An account with an address its owner gave us: not the placeholder of
    deleted readers, not imported comments nobody has claimed, and, where
    the site asks for it, a confirmed address (else anyone could have mail
    sent to a stranger by registering with their address)."""
    confirmed = user.email_verified_at is not None or not settings.SOUNDOFF_REQUIRE_VERIFIED_EMAIL
    return (
        user.is_active
        and bool(user.email)
        and user.is_claimed
        and confirmed
        and not user.is_deleted_reader
    )


def send_notice(user: User, *, subject: str, template: str, context: dict[str, Any]) -> int:
    """Mail ``user`` the rendered ``template`` with the moderators' Reply-To.
    Call it inside ``written_for(user)``, building the subject there too."""
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string(
            template,
            {
                "name": user.display_name,
                "site_name": settings.SOUNDOFF_SITE_NAME,
                "appeals_url": settings.SOUNDOFF_SITE_URL + reverse("appeals:mine"),
                **context,
            },
        ),
        to=[user.email],
        reply_to=[settings.SOUNDOFF_MODERATION_REPLY_TO],
        # RFC 3834: no auto-replies (vacation notices) to this message.
        headers={"Auto-Submitted": "auto-generated"},
    )
    return message.send()


@task
def tell_of_hold(*, comment_id: int) -> int:
    """Tell the author that their comment waits for a moderator, listing
    every other one of theirs that waits for the same reasons."""
    comment = (
        Comment.objects.select_related("author", "thread__post").filter(pk=comment_id).first()
    )
    if comment is None or comment.status != CommentStatus.HELD:
        return 0  # decided already: nothing to wait for
    author = comment.author
    if not may_be_told(author):
        return 0
    if not hit(f"notice:hold:{author.pk}", HOLD_MAIL_RATE).allowed:
        return 0
    waiting = list(
        Comment.objects.filter(
            author=author, status=CommentStatus.HELD, held_reason__in=TOLD_OF_HOLDS
        )
        .select_related("thread__post")
        .order_by("created_at", "pk")[:10]
    )
    with written_for(author):
        return send_notice(
            author,
            subject=_("Your comment is waiting for a moderator"),
            template="moderation/email/held.txt",
            context={
                "comments": [
                    {"where": where(c), "text": quote(c), "url": comment_url(c)} for c in waiting
                ]
            },
        )


@task
def tell_of_removal(*, decision_id: int) -> int:
    decision = ModerationAction.objects.select_related(
        "rule", "comment__author", "comment__thread__post"
    ).get(pk=decision_id)
    comment = decision.comment
    assert comment is not None
    if not may_be_told(comment.author):
        return 0  # its author deleted their account: nobody to tell
    with written_for(comment.author):
        return send_notice(
            comment.author,
            subject=_("Your comment was removed"),
            template="moderation/email/removed.txt",
            context={
                "where": where(comment),
                "rule": decision.rule,
                "text": quote(comment),
                "url": comment_url(comment),
                "appeal_url": appeal_url(decision),
            },
        )


@task
def tell_of_sanction(*, sanction_id: int) -> int:
    sanction = (
        Sanction.objects.select_related("user", "rule", "decision").filter(pk=sanction_id).first()
    )
    if sanction is None:
        return 0  # gone with the reader's account: nobody to tell
    if not may_be_told(sanction.user) or sanction.decision is None:
        return 0
    banned = sanction.ends_at is None
    with written_for(sanction.user):
        return send_notice(
            sanction.user,
            subject=_("Your account is banned from commenting")
            if banned
            else _("Your account is suspended from commenting"),
            template="moderation/email/sanctioned.txt",
            context={
                "banned": banned,
                "rule": sanction.rule,
                "until": until(sanction),
                "appeal_url": appeal_url(sanction.decision),
            },
        )


@task
def tell_of_warning(*, decision_id: int) -> int:
    """A moderator's warning: the rule and the moderator's words. A warning
    is no sanction, so it has no appeal (appeals.REMOVAL, appeals.SANCTIONS)."""
    decision = ModerationAction.objects.select_related("user", "rule").get(pk=decision_id)
    reader = decision.user
    if reader is None or not may_be_told(reader):
        return 0
    with written_for(reader):
        return send_notice(
            reader,
            subject=_("A warning from the moderators of %(site)s")
            % {"site": settings.SOUNDOFF_SITE_NAME},
            template="moderation/email/warning.txt",
            context={"rule": decision.rule, "note": decision.note},
        )


@task
def tell_of_appeal_decision(*, appeal_id: int) -> int:
    appeal = (
        Appeal.objects.select_related("user", "decision__comment__thread__post", "decision__rule")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        return 0  # gone with the reader's account: nobody to tell
    if not may_be_told(appeal.user) or appeal.is_open:
        return 0
    comment = appeal.decision.comment
    with written_for(appeal.user):
        return send_notice(
            appeal.user,
            subject=_("Your appeal was granted")
            if appeal.status == AppealStatus.OVERTURNED
            else _("Your appeal was turned down"),
            template="moderation/email/appeal_decided.txt",
            context={
                "granted": appeal.status == AppealStatus.OVERTURNED,
                "decision": appeal.decision.get_action_display(),
                "where": where(comment) if comment else "",
                "text": quote(comment) if comment else "",
                "url": comment_url(comment) if comment else "",
                "answer": appeal.answer,
            },
        )
