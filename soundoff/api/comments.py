from __future__ import annotations

import uuid
from contextlib import nullcontext

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from soundoff.accounts.models import User
from soundoff.accounts.queries import current_rules
from soundoff.discussion import services
from soundoff.discussion.errors import CommentRefused, InvalidReply, RateLimited
from soundoff.discussion.models import Comment, Reaction, ReactionKind, Thread
from soundoff.discussion.queries import find_comment, replies_page
from soundoff.lib.client import client_info
from soundoff.lib.urls import normalize_page_url
from soundoff.moderation.audit import record_refusal
from soundoff.moderation.decisions import flag_comment
from soundoff.moderation.errors import FlagRefused

from .auth import READER, optional_reader, reader_of
from .errors import BadInput
from .schemas import (
    CommentEditIn,
    CommentIn,
    CommentOut,
    CommentPageOut,
    ErrorOut,
    FlagIn,
    FlagOut,
    ReactionIn,
    ReactionsOut,
    listing_body,
)
from .threads import outside_thread, published_thread

router = Router(tags=["comments"])
WRITE_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    410: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def shown_comment(comment_id: int, *, viewer: User | None) -> Comment:
    """The comment as ``viewer`` may know it; 404 for one they may not."""
    comment = find_comment(comment_id, viewer=viewer)
    if comment is None:
        raise Http404
    return comment


@router.post("", auth=READER, response={201: CommentOut, 202: CommentOut, **WRITE_ERRORS})
def create_comment(
    request: HttpRequest,
    payload: CommentIn,
    idempotency_key: uuid.UUID | None = Header(
        None,
        alias="Idempotency-Key",
        description="A UUID made for this comment: a retry with it returns the same comment.",
    ),
) -> Status[CommentOut]:
    """Post a comment: 201 when it is visible at once, 202 when it is held
    for review. Send an Idempotency-Key (a UUID) to retry safely."""
    if (payload.thread is None) == (payload.page_url is None):
        raise BadInput(_("Give either thread or page_url."))
    parent = None
    if payload.parent is not None:
        # The service checks that it is in the thread the comment goes to.
        parent = Comment.objects.known_to(reader_of(request)).filter(pk=payload.parent).first()
        if parent is None:
            raise InvalidReply(_("The comment you replied to no longer exists."))
    thread: Thread | None
    if payload.thread is not None:
        thread = published_thread(payload.thread)
        if thread.page_url:
            # The site may have been taken off the allow-list since.
            outside_thread(thread.page_url)
    else:
        thread = outside_thread(payload.page_url or "")
    # The service checks the comment before it takes the write lock, and
    # holds it only for its inserts. The first comment on an outside page
    # is the exception: its thread is created with it or not at all.
    new_page = thread is None
    try:
        with transaction.atomic() if new_page else nullcontext():
            if thread is None:
                thread = services.open_page_thread(
                    normalize_page_url(payload.page_url or ""), title=payload.title
                )
            result = services.post_comment(
                thread,
                author=reader_of(request),
                body=payload.body,
                client=client_info(request),
                parent=parent,
                submission_key=idempotency_key,
            )
    except (CommentRefused, RateLimited) as refused:
        if new_page:
            # The refusal's log row went back with the page's new thread:
            # log it again, about no discussion, since none was made.
            record_refusal(
                author=reader_of(request), thread=None, reason=refused.code, detail=refused.detail
            )
        raise
    comment = result.comment
    return Status(
        201 if comment.is_visible else 202, CommentOut.of(comment, viewer=comment.author)
    )


@router.get("/{comment_id}", response={200: CommentOut, 404: ErrorOut, 422: ErrorOut})
def comment_detail(request: HttpRequest, comment_id: int) -> CommentOut:
    reader = optional_reader(request)
    return CommentOut.of(shown_comment(comment_id, viewer=reader), viewer=reader)


@router.get(
    "/{comment_id}/replies",
    response={200: CommentPageOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def comment_replies(
    request: HttpRequest,
    comment_id: int,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(20, ge=1, le=100),
) -> HttpResponse:
    """The next window of replies under a top-level comment."""
    root = shown_comment(comment_id, viewer=optional_reader(request))
    if root.depth != 0:
        raise Http404
    page = replies_page(root, cursor=cursor, limit=limit)
    return HttpResponse(
        listing_body(request, page.nodes, page.next_cursor),
        content_type="application/json; charset=utf-8",
    )


@router.patch("/{comment_id}", auth=READER, response={200: CommentOut, **WRITE_ERRORS})
def edit_comment(request: HttpRequest, comment_id: int, payload: CommentEditIn) -> CommentOut:
    reader = reader_of(request)
    comment = services.edit_comment(
        shown_comment(comment_id, viewer=reader),
        by=reader,
        body=payload.body,
        client=client_info(request),
    )
    return CommentOut.of(comment, viewer=reader)


@router.delete("/{comment_id}", auth=READER, response={204: None, **WRITE_ERRORS})
def delete_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    reader = reader_of(request)
    services.delete_comment(shown_comment(comment_id, viewer=reader), by=reader)
    return HttpResponse(status=204)


@router.post("/{comment_id}/reactions", auth=READER, response={200: ReactionsOut, **WRITE_ERRORS})
def add_reaction(request: HttpRequest, comment_id: int, payload: ReactionIn) -> ReactionsOut:
    reader = reader_of(request)
    comment = services.react(
        shown_comment(comment_id, viewer=reader),
        by=reader,
        kind=ReactionKind(payload.kind),
        client=client_info(request),
    )
    return _reactions(comment, reader.pk)


@router.delete(
    "/{comment_id}/reactions/{kind}", auth=READER, response={200: ReactionsOut, **WRITE_ERRORS}
)
def remove_reaction(request: HttpRequest, comment_id: int, kind: ReactionKind) -> ReactionsOut:
    reader = reader_of(request)
    comment = services.unreact(
        shown_comment(comment_id, viewer=reader), by=reader, kind=kind, client=client_info(request)
    )
    return _reactions(comment, reader.pk)


def _reactions(comment: Comment, reader_id: int) -> ReactionsOut:
    mine = Reaction.objects.filter(comment=comment, user_id=reader_id).values_list(
        "kind", flat=True
    )
    return ReactionsOut(reaction_count=comment.reaction_count, mine=sorted(mine))


@router.post("/{comment_id}/flags", auth=READER, response={201: FlagOut, **WRITE_ERRORS})
def report_comment(request: HttpRequest, comment_id: int, payload: FlagIn) -> Status[FlagOut]:
    """Report a comment, citing a rule by number (or explaining)."""
    rule = None
    if payload.rule is not None:
        rule = next((r for r in current_rules() if r.number == payload.rule), None)
        if rule is None:
            raise FlagRefused(_("There is no Rule %(n)d.") % {"n": payload.rule})
    reader = reader_of(request)
    flag = flag_comment(
        shown_comment(comment_id, viewer=reader),
        by=reader,
        rule=rule,
        explanation=payload.explanation,
    )
    return Status(201, FlagOut(id=flag.pk, comment=flag.comment_id, created_at=flag.created_at))
