from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Router, Status
from ninja.decorators import decorate_view

from soundoff.accounts import confirmation
from soundoff.accounts.models import User
from soundoff.accounts.queries import policies_awaiting
from soundoff.accounts.services import accept_policies
from soundoff.discussion.errors import RateLimited
from soundoff.moderation.queries import sanction_notice

from .auth import READER, optional_reader, reader_of
from .errors import BadInput
from .schemas import (
    AcceptIn,
    AuthorOut,
    ErrorOut,
    LinkSentOut,
    MeOut,
    PolicyOut,
    SanctionNoticeOut,
)

router = Router(tags=["me"])


@router.get("", response={200: MeOut, 422: ErrorOut})
@decorate_view(never_cache)
def me(request: HttpRequest) -> MeOut:
    """The signed-in reader (if any) and the policies they must accept."""
    reader = optional_reader(request)
    awaiting = policies_awaiting(reader) if reader else []
    return MeOut(
        authenticated=reader is not None,
        reader=AuthorOut.of(reader) if reader else None,
        policies_awaiting=[PolicyOut.of(document) for document in awaiting],
        must_confirm_email=reader is not None and confirmation.must_confirm_email(reader),
        sanction=_sanction_notice(reader),
    )


def _sanction_notice(reader: User | None) -> SanctionNoticeOut | None:
    detail = sanction_notice(reader) if reader else None
    if detail is None:
        return None
    return SanctionNoticeOut(
        detail=detail,
        appeal_url=settings.SOUNDOFF_SITE_URL + reverse("appeals:mine"),
        appeal_label=_("Appeal this decision"),
    )


@router.post(
    "/policies",
    auth=READER,
    response={
        200: MeOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
)
@decorate_view(never_cache)
def accept(request: HttpRequest, payload: AcceptIn) -> MeOut:
    """Accept the listed current policy versions (ids from policies_awaiting)."""
    reader = reader_of(request)
    awaiting = {document.pk: document for document in policies_awaiting(reader)}
    unknown = set(payload.documents) - set(awaiting)
    if unknown:
        raise BadInput(_("Only the current versions awaiting your acceptance can be accepted."))
    accept_policies(reader, documents=[awaiting[pk] for pk in payload.documents])
    return me(request)


@router.post(
    "/confirmation",
    auth=READER,
    response={202: LinkSentOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
)
def send_confirmation_link(request: HttpRequest) -> Status[LinkSentOut]:
    """Mail the reader a new link that confirms their e-mail address."""
    reader = reader_of(request)
    if not confirmation.must_confirm_email(reader):
        return Status(
            202, LinkSentOut(sent=False, detail=_("Your e-mail address is confirmed already."))
        )
    confirm_url = request.build_absolute_uri(reverse("accounts:confirm_email"))
    if not confirmation.send_confirmation(reader, confirm_url=confirm_url):
        raise RateLimited(
            confirmation.too_many_links_detail(), retry_after=confirmation.LINK_RATE.window
        )
    return Status(202, LinkSentOut(sent=True, detail=confirmation.link_sent_detail()))
