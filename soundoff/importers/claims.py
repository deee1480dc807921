"""Claiming an imported identity by proving its e-mail address.

Imported comments keep their authors as unclaimed identities (see
identities.py). A reader asks for a claim link for an address; the link,
signed and short-lived, goes to that address only. Opening it proves
control of the mailbox, and confirming either moves the identity's comments
to the reader's account (when they asked while logged in, or confirm while
logged in) or, for someone without an account here, makes the identity
their account with the password they choose.

The request form answers the same whether or not anything waits under the
address, and mails only addresses that have imported comments, so it can
neither reveal who commented on the old site nor be used to send mail to
arbitrary people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.accounts.confirmation import mark_verified
from soundoff.accounts.models import PolicyVersion, User
from soundoff.accounts.services import accept_policies
from soundoff.accounts.tasks import send_email
from soundoff.discussion.models import Comment, Reaction, Thread
from soundoff.lib.links import LinkExpired, LinkInvalid, make_link_token, read_link_token
from soundoff.lib.queueing import enqueue_with_writes
from soundoff.lib.ratelimit import Rate, hit

from .identities import placeholder_for_address, usable_email

SALT = "soundoff.importers.claim"
# Claim mails per address: enough to retry, too few to flood a mailbox.
ADDRESS_RATE = Rate(limit=3, window=3600)


class ClaimError(Exception):
    """A claim that can't go ahead; ``detail`` says why, for the reader."""

    def __init__(self, detail: str, *, code: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code


@dataclass(frozen=True)
class Claim:
    """What a valid link says: the proven address and who asked (if anyone)."""

    email: str
    reader_id: int | None


def max_age() -> int:
    return int(settings.SOUNDOFF_CLAIM_MAX_AGE)


def identities_for(email: str) -> QuerySet[User]:
    """Unclaimed identities holding comments written under ``email``: the
    one with the address itself, and the one imports made with a
    placeholder because a registered reader already had it."""
    return User.objects.filter(
        Q(email__iexact=email) | Q(email=placeholder_for_address(email)), is_claimed=False
    )


def make_token(email: str, *, reader: User | None) -> str:
    return make_link_token(
        {"email": email.lower(), "reader": reader.pk if reader is not None else None}, salt=SALT
    )


def read_token(token: str) -> Claim:
    try:
        data = read_link_token(token, salt=SALT, max_age=max_age())
    except LinkExpired:
        raise ClaimError(
            _("This claim link has expired. Ask for a new one."), code="expired"
        ) from None
    except LinkInvalid:
        raise ClaimError(
            _(
                "This claim link is not valid. Copy the whole link from the e-mail, or ask for "
                "a new one."
            ),
            code="invalid",
        ) from None
    if not isinstance(data.get("email"), str):
        raise ClaimError(_("This claim link is not valid."), code="invalid")
    reader = data.get("reader")
    return Claim(email=data["email"], reader_id=reader if isinstance(reader, int) else None)


def start_claim(email: str, *, by: User | None, confirm_url: str) -> None:
    """Mail a claim link to ``email`` if imported comments wait under it.

    ``confirm_url`` is the absolute address of the confirmation page; the
    token is added to it. Returns nothing on purpose: see the module notes.
    The mail is queued in the caller's transaction and sent by the task
    worker once that commits, never inside the request.
    """
    email = usable_email(email)
    if not email or not identities_for(email).exists():
        return
    if not hit(f"claim:{email.lower()}", ADDRESS_RATE).allowed:
        return
    token = make_token(email, reader=by if by is not None and by.is_claimed else None)
    context = {
        "site_name": settings.SOUNDOFF_SITE_NAME,
        "link": f"{confirm_url}?{urlencode({'token': token})}",
        "hours": max_age() // 3600,
        "reader": by,
    }
    body = render_to_string("importers/email/claim.txt", context)
    subject = _("Your earlier comments on %(site)s") % {"site": settings.SOUNDOFF_SITE_NAME}
    enqueue_with_writes(send_email, subject=subject, body=body, to=[email])


def claim_identity(
    user: User | None,
    *,
    token: str,
    password: str | None = None,
    accept: Iterable[PolicyVersion] = (),
) -> User:
    """Confirm a claim; return the account that now holds the comments.

    With ``user`` (logged in), the identities' comments and reactions move
    to that account. Without, the identity with the address becomes an
    account: it gets ``password``, is marked claimed, and records
    acceptance of ``accept``. Raises ClaimError.
    """
    claim = read_token(token)
    if claim.reader_id is not None and (user is None or user.pk != claim.reader_id):
        raise ClaimError(
            _(
                "This link was asked for from another account. Log in to that account and open "
                "the link again."
            ),
            code="wrong_account",
        )
    with transaction.atomic():
        identities = list(identities_for(claim.email).select_for_update().order_by("pk"))
        if not identities:
            raise ClaimError(
                _(
                    "Nothing waits to be claimed under that address any more: it may have been "
                    "claimed already."
                ),
                code="nothing_to_claim",
            )
        if user is not None:
            target = user
            # Opening the link proved the claimed address; it confirms the
            # account when the account uses that address.
            if user.email.lower() == claim.email:
                mark_verified(user)
        else:
            target = _become_account(identities, claim.email, password, accept)
        for identity in identities:
            if identity.pk != target.pk:
                _move_contributions(identity, to=target)
    return target


def _become_account(
    identities: list[User], email: str, password: str | None, accept: Iterable[PolicyVersion]
) -> User:
    own = next((i for i in identities if i.email.lower() == email.lower()), None)
    if own is None:
        raise ClaimError(
            _(
                "An account with this address already exists. Log in to it, then ask for the "
                "claim link again to move these comments into it."
            ),
            code="account_exists",
        )
    if not password:
        raise ClaimError(_("Choose a password for your account."), code="password_required")
    own.set_password(password)
    own.is_claimed = True
    # The link came to this address: the claim confirms it.
    own.email_verified_at = timezone.now()
    own.save(update_fields=["password", "is_claimed", "email_verified_at"])
    accept_policies(own, documents=accept)
    return own


def _move_contributions(identity: User, *, to: User) -> None:
    """Move comments and reactions, and make cached pages of the threads
    they are in show the new author."""
    thread_ids = set(
        Comment.objects.filter(author=identity).values_list("thread_id", flat=True).distinct()
    )
    Comment.objects.filter(author=identity).update(author=to)
    # A reaction the reader already made to the same comment stays single.
    duplicates = Reaction.objects.filter(
        user=identity, comment__reactions__user=to, comment__reactions__kind=F("kind")
    )
    doubled = list(duplicates.values_list("comment_id", flat=True))
    Reaction.objects.filter(pk__in=list(duplicates.values_list("pk", flat=True))).delete()
    Comment.objects.filter(pk__in=doubled).update(reaction_count=F("reaction_count") - 1)
    Reaction.objects.filter(user=identity).update(user=to)
    Thread.objects.filter(pk__in=thread_ids).changed()
