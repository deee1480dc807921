from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Router
from ninja.decorators import decorate_view

from soundoff.accounts.queries import policies_awaiting
from soundoff.accounts.services import accept_policies

from .auth import READER, optional_reader, reader_of
from .errors import BadInput
from .schemas import AcceptIn, AuthorOut, ErrorOut, MeOut, PolicyOut

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
