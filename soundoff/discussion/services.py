"""The discussion's use cases: one function per change.

The post page, the admin, the API, the embed and management commands all
call these, so that every interface behaves identically. Services take the
actor explicitly and a ClientInfo, never a request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import NoReturn

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.accounts.confirmation import must_confirm_email
from soundoff.accounts.models import PolicyKind, PolicyVersion, User
from soundoff.accounts.queries import current_policies, policies_awaiting
from soundoff.lib.client import ClientInfo
from soundoff.lib.prepared import PreparedRead
from soundoff.lib.ratelimit import hit_each, wait_text
from soundoff.lib.text import normalize_newlines
from soundoff.moderation import notices
from soundoff.moderation.alerts import watch_story
from soundoff.moderation.audit import record, record_refusal
from soundoff.moderation.models import ActionKind, Flag
from soundoff.moderation.pipeline import PHASES, Evaluation, Outcome, Submission, evaluate
from soundoff.moderation.pipeline.phases import rate_limit
from soundoff.moderation.queries import restricted_readers, sanction_notice
from soundoff.moderation.scoring_plan import rule_of_hold, stored
from soundoff.moderation.tasks import score_comment

from .changes import announce, apply_status, thread_changed
from .errors import (
    CommentRefused,
    DiscussionError,
    EmailNotConfirmed,
    InvalidReply,
    NotAllowed,
    NotSignedIn,
    PoliciesNotAccepted,
    RateLimited,
)
from .models import Comment, CommentStatus, DiscussionMode, Reaction, ReactionKind, Thread
from .nesting import TOP_LEVEL, Place, reply_place
from .write_checks import count_if_unchanged


@dataclass(frozen=True)
class PostedComment:
    comment: Comment
    # False when an identical submission (same submission key) had already
    # created this comment: the caller answers as if it had just done so.
    created: bool = True

    @property
    def is_visible(self) -> bool:
        return self.comment.is_visible


def post_comment(
    thread: Thread,
    *,
    author: User | AnonymousUser,
    body: str,
    client: ClientInfo,
    parent: Comment | None = None,
    submission_key: uuid.UUID | None = None,
) -> PostedComment:
    """Publish a reader's comment, or raise a DiscussionError saying why not.

    Comments are not pre-screened: unless a pipeline phase holds it, the
    comment is visible the moment this returns.
    """
    if not isinstance(author, User) or not author.is_active:
        raise NotSignedIn()
    if submission_key is not None:
        earlier = _made_by(author, submission_key)
        if earlier is not None:
            return PostedComment(earlier, created=False)
    # One read of the policies in force serves both checks and the ledger.
    policies = current_policies()
    awaiting = policies_awaiting(author, current=policies)
    if awaiting:
        raise PoliciesNotAccepted(awaiting)
    if PolicyKind.TERMS not in policies or PolicyKind.PRIVACY not in policies:
        raise DiscussionError(
            _("Comments are not open yet: this site has not published its policies."),
            code="no_policies",
        )
    if must_confirm_email(author):
        raise EmailNotConfirmed()
    parent = _reply_parent(thread, parent)
    submission = Submission(
        thread=thread, author=author, body=normalize_newlines(body), client=client, parent=parent
    )
    # The checks only read, so they run before the write lock is taken
    # (SQLite's BEGIN IMMEDIATE): other writers wait for the inserts alone.
    evaluation = evaluate(submission)
    if evaluation.outcome is Outcome.REFUSED:
        _refuse(submission, evaluation)
    try:
        try:
            comment = _write_comment(
                submission,
                evaluation,
                policies=policies,
                submission_key=submission_key,
                recheck=True,
            )
        except _ChangedMeanwhile:
            comment = _check_again_and_write(
                submission, policies=policies, submission_key=submission_key
            )
    except IntegrityError:
        # The same submission, sent twice at the same instant: the other
        # request created it. Answer with that comment.
        earlier = None if submission_key is None else _made_by(author, submission_key)
        if earlier is None:
            raise
        return PostedComment(earlier, created=False)
    return PostedComment(comment)


_MADE_BY = PreparedRead(
    lambda author_id, key: (
        Comment.objects.filter(author_id=author_id, submission_key=key)
        .order_by()
        .values_list("pk")
    ),
    author_id=918_273_645,
    key=uuid.UUID(int=918_273_646),
)


def _made_by(author: User, submission_key: uuid.UUID) -> Comment | None:
    """The comment this submission key of the author's already made, if
    any. Asked before every keyed comment, and nearly always answered
    none, so the look-up is SQL written once (soundoff.lib.prepared) and
    the comment is read whole only when there is one."""
    row = _MADE_BY.first(author_id=author.pk, key=submission_key)
    return None if row is None else Comment.objects.get(pk=row[0])


class _ChangedMeanwhile(Exception):
    """What the checks read changed before the write: check again."""


def _check_again_and_write(
    submission: Submission,
    *,
    policies: dict[str, PolicyVersion],
    submission_key: uuid.UUID | None,
) -> Comment:
    """The rare path: something the checks read moved before the write.

    Check again inside the transaction, with the thread and the parent
    read afresh; on SQLite the write lock is held from BEGIN, so nothing
    can move this time. The rate limits already counted this comment and
    are not counted twice.
    """
    # Who is sanctioned or pre-moderated is read afresh too: the version
    # this process knew them under may have missed a change.
    restricted_readers.forget()
    with transaction.atomic():
        thread = Thread.objects.select_related("post").get(pk=submission.thread.pk)
        parent = submission.parent
        if parent is not None:
            parent = _reply_parent(thread, Comment.objects.get(pk=parent.pk))
        fresh = replace(submission, thread=thread, parent=parent)
        evaluation = evaluate(fresh, phases=[p for p in PHASES if p is not rate_limit.check])
        if evaluation.outcome is not Outcome.REFUSED:
            return _write_comment(
                fresh, evaluation, policies=policies, submission_key=submission_key, recheck=False
            )
    _refuse(fresh, evaluation)


def _write_comment(
    submission: Submission,
    evaluation: Evaluation,
    *,
    policies: dict[str, PolicyVersion],
    submission_key: uuid.UUID | None,
    recheck: bool,
) -> Comment:
    """The write transaction: the thread's count, the comment, its flags
    and audit row, and its scoring task, which is a row in the same
    database, so a crash loses the comment and its task together or
    neither. With ``recheck``, raises _ChangedMeanwhile (writing nothing)
    when what the checks read no longer holds (write_checks)."""
    held = evaluation.outcome is Outcome.HELD
    parent = submission.parent
    count_delta = 0 if held else 1
    with transaction.atomic():
        if recheck:
            if not count_if_unchanged(submission, count_delta=count_delta):
                raise _ChangedMeanwhile()
        else:
            thread_changed(submission.thread.pk, count_delta=count_delta)
        place = reply_place(parent.pk, Place.of(parent)) if parent else TOP_LEVEL
        comment = Comment.objects.create(
            thread=submission.thread,
            parent_id=place.parent_id,
            root_id=place.root_id,
            depth=place.depth,
            author=submission.author,
            body=submission.body,
            status=CommentStatus.HELD if held else CommentStatus.VISIBLE,
            held_reason=evaluation.reason if held else "",
            terms_version=policies[PolicyKind.TERMS],
            privacy_version=policies[PolicyKind.PRIVACY],
            submission_key=submission_key,
            scores=stored(submission.inline_scores),
        )
        _record_checks(comment, evaluation)
        _enqueue_scoring(comment)
        announce(comment, "created")
    return comment


def edit_comment(
    comment: Comment, *, by: User | AnonymousUser, body: str, client: ClientInfo
) -> Comment:
    """Replace the text of the reader's own comment within the edit window."""
    if not isinstance(by, User):
        raise NotSignedIn()
    _within_rate("edit", by=by, client=client)
    body = normalize_newlines(body)
    with transaction.atomic():
        # Lock the comment row only: PostgreSQL can't lock the nullable side
        # of the outer join to the post (a thread of an outside page has none).
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("thread__post")
            .get(pk=comment.pk)
        )
        if not locked.can_be_edited_by(by):
            raise NotAllowed(_why_not_editable(locked, by))
        submission = Submission(
            thread=locked.thread,
            author=by,
            body=body,
            client=client,
            parent=locked.parent,
            editing=locked,
        )
        evaluation = evaluate(submission)
        if evaluation.outcome is not Outcome.REFUSED:
            return _apply_edit(locked, submission, evaluation)
    _refuse(submission, evaluation)


def _apply_edit(locked: Comment, submission: Submission, evaluation: Evaluation) -> Comment:
    """Write an edit the checks let through, under the comment's row lock."""
    locked.body = submission.body
    locked.edited_at = timezone.now()
    locked.scores = {**locked.scores, **stored(submission.inline_scores)}
    # New text is a new thing to judge: a moderator deciding on what
    # they saw before the edit is told it changed, and the checks'
    # flags on the old text give way to those on the new.
    locked.decision_version += 1
    locked.save(update_fields=["body", "body_html", "edited_at", "decision_version", "scores"])
    stale = Flag.objects.filter(comment=locked, reporter=None, resolved_at=None).update(
        resolved_at=locked.edited_at
    )
    if stale:
        Comment.objects.filter(pk=locked.pk).update(open_flags=F("open_flags") - stale)
    if evaluation.outcome is Outcome.HELD and locked.is_visible:
        locked.held_reason = evaluation.reason
        apply_status(locked, CommentStatus.HELD, also=["held_reason"])
    else:
        thread_changed(locked.thread_id, count_delta=0)
    _record_checks(locked, evaluation)
    _enqueue_scoring(locked)
    announce(locked, "edited")
    return locked


def delete_comment(comment: Comment, *, by: User | AnonymousUser) -> Comment:
    """The author withdraws their comment.

    The row stays (nothing a reader wrote is destroyed except with their
    account); the thread shows a placeholder only where replies hang under it.
    """
    if not isinstance(by, User):
        raise NotSignedIn()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("thread").get(pk=comment.pk)
        if not locked.can_be_deleted_by(by):
            raise NotAllowed(_("You can only delete your own comments."))
        apply_status(locked, CommentStatus.DELETED)
    return locked


def _reply_parent(thread: Thread, parent: Comment | None) -> Comment | None:
    """The comment a reply answers, if it may take one. Where the reply is
    shown (under it, or beside it at the deepest level) is the one rule of
    nesting.reply_place, applied when it is written: the comment answered,
    not the one the reply then hangs under, must be visible."""
    if parent is None:
        return None
    if parent.thread_id != thread.pk:
        raise InvalidReply(_("You can only reply to a comment in the same discussion."))
    if not parent.is_visible:
        raise InvalidReply(
            _(
                "The comment you replied to was deleted or removed, so it can't take replies. "
                "Your text is kept below: post it as a new comment instead."
            )
        )
    return parent


def _refuse(submission: Submission, evaluation: Evaluation) -> NoReturn:
    """Log a refused comment or edit, then raise the refusal. Called outside
    the write transaction, whose rollback would take the log row with it."""
    record_refusal(
        author=submission.author,
        thread=submission.thread,
        reason=evaluation.reason,
        detail=evaluation.detail,
    )
    raise _refusal(evaluation)


def _refusal(evaluation: Evaluation) -> DiscussionError:
    if evaluation.retry_after is not None:
        return RateLimited(evaluation.detail, retry_after=evaluation.retry_after)
    return CommentRefused(evaluation.detail, code=evaluation.reason)


def _why_not_editable(comment: Comment, user: User) -> str:
    if comment.author_id != user.pk:
        return _("You can only edit your own comments.")
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.HELD):
        return _("This comment was deleted or removed and can no longer be edited.")
    return _(
        "Comments can be edited for %(minutes)d minutes after posting; that time has passed."
    ) % {"minutes": settings.SOUNDOFF_EDIT_WINDOW // 60}


def _record_checks(comment: Comment, evaluation: Evaluation) -> None:
    """The pipeline's flags become open flags with no reporter, and a hold
    or a flag is a system decision in the moderation log."""
    if evaluation.flags:
        Flag.objects.bulk_create(
            Flag(comment=comment, reporter=None, explanation=flag) for flag in evaluation.flags
        )
        Comment.objects.filter(pk=comment.pk).update(
            open_flags=F("open_flags") + len(evaluation.flags)
        )
    if evaluation.outcome is Outcome.HELD:
        record(
            ActionKind.HELD,
            by=None,
            comment=comment,
            status_after=CommentStatus.HELD,
            rule=rule_of_hold(evaluation.reason),
            reason_code=evaluation.reason,
            note=", ".join(filter(None, (evaluation.detail, *evaluation.flags))),
        )
        watch_story(comment.thread_id)
        notices.tell_author_of_hold(comment)
    elif evaluation.flags:
        record(
            ActionKind.CHECKED,
            by=None,
            comment=comment,
            status_after=comment.status,
            reason_code=evaluation.flags[0],
            note=", ".join(evaluation.flags),
        )


def _enqueue_scoring(comment: Comment) -> None:
    """Queue the background scoring in the caller's transaction: the task
    is a row of the same database, committed with the comment or not at all."""
    score_comment.enqueue(comment_id=comment.pk)


def _within_rate(action: str, *, by: User, client: ClientInfo) -> None:
    """Raise RateLimited when the reader, or their IP address, goes past the
    limits of ``action`` ("edit" or "reaction"; settings SOUNDOFF_EDIT_RATE,
    SOUNDOFF_IP_EDIT_RATE and so on).

    Counted before anything is looked at, so a refused attempt costs no
    locks; with REDIS_URL the counters are shared by every instance.
    """
    setting = action.upper()
    counters = [(f"{action}:reader:{by.pk}", f"SOUNDOFF_{setting}_RATE")]
    if client.ip:
        counters.append((f"{action}:ip:{client.ip}", f"SOUNDOFF_IP_{setting}_RATE"))
    decision = hit_each(counters)
    if not decision.allowed:
        message = (
            _("You are editing faster than this site allows. Try again in %(wait)s.")
            if action == "edit"
            else _("You are reacting faster than this site allows. Try again in %(wait)s.")
        )
        raise RateLimited(
            message % {"wait": wait_text(decision.retry_after)},
            retry_after=decision.retry_after,
        )


def react(
    comment: Comment, *, by: User | AnonymousUser, kind: ReactionKind, client: ClientInfo
) -> Comment:
    """Add the reader's reaction of this kind (once); returns the comment
    with its new reaction count."""
    if not isinstance(by, User) or not by.is_active:
        raise NotSignedIn()
    _within_rate("reaction", by=by, client=client)
    # A reaction is a write like a comment: a suspended or banned reader is
    # told until when and why, the same words as everywhere else.
    refusal = sanction_notice(by)
    if refusal is not None:
        raise NotAllowed(refusal, code="sanctioned")
    if not comment.is_visible:
        raise NotAllowed(_("You can only react to comments that are shown."))
    _open_for_reactions(comment)
    with transaction.atomic():
        _reaction, created = Reaction.objects.get_or_create(comment=comment, user=by, kind=kind)
        if created:
            _reactions_changed(comment, 1)
    comment.refresh_from_db(fields=["reaction_count"])
    return comment


def unreact(
    comment: Comment, *, by: User | AnonymousUser, kind: ReactionKind, client: ClientInfo
) -> Comment:
    """Take the reader's reaction back; counted with reactions, so that
    toggling one on and off is no way round their limit."""
    if not isinstance(by, User):
        raise NotSignedIn()
    _within_rate("reaction", by=by, client=client)
    _open_for_reactions(comment)
    with transaction.atomic():
        deleted, _per_model = Reaction.objects.filter(comment=comment, user=by, kind=kind).delete()
        if deleted:
            _reactions_changed(comment, -deleted)
    comment.refresh_from_db(fields=["reaction_count"])
    return comment


def _open_for_reactions(comment: Comment) -> None:
    """A closed discussion keeps its reactions as they were when it closed,
    as it keeps its comments: nobody adds or takes one back."""
    if not comment.thread.is_open:
        raise NotAllowed(
            _("This discussion is closed, so its reactions can no longer change."),
            code="closed",
        )


def _reactions_changed(comment: Comment, delta: int) -> None:
    Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") + delta)
    thread_changed(comment.thread_id, count_delta=0)


def open_page_thread(
    page_url: str,
    *,
    title: str = "",
    mode: DiscussionMode = DiscussionMode.OPEN,
    slow_mode_seconds: int = 0,
    close_after_hours: int | None = None,
) -> Thread:
    """The discussion of an outside page, created on its first comment or
    by an import.

    ``page_url`` must already be normalised and its origin allowed (the
    interface checks both); the title is stored as plain text. A new
    discussion takes ``mode`` and the slow-mode and closing settings (an
    import brings them from the old site); an existing one keeps its own.
    """
    title = " ".join(title.split())[:300]
    thread, created = Thread.objects.get_or_create(
        page_url=page_url,
        defaults={
            "title": title,
            "mode": mode,
            "slow_mode_seconds": slow_mode_seconds,
            "close_after_hours": close_after_hours,
        },
    )
    if not created and title and not thread.title:
        Thread.objects.filter(pk=thread.pk).update(title=title)
        thread.title = title
    return thread
