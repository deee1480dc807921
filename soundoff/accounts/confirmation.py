"""Proving that a reader receives mail at their address.

A new account, and every change of address, is confirmed by a signed link
mailed to the address (by the task worker, after commit). The link names
the account, the address it proves and the address the account had when it
was asked for: so a link for a change stops working once the address has
changed again, and a link can never move an account to an address nobody
proved. Confirming only ever writes what the link says, so opening it
twice, or a mail scanner opening it, changes nothing more.

Until the address is confirmed the reader may not comment, when
SOUNDOFF_REQUIRE_VERIFIED_EMAIL is on (the default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.lib.links import LinkExpired, LinkInvalid, make_link_token, read_link_token
from soundoff.lib.queueing import enqueue_with_writes
from soundoff.lib.ratelimit import Rate, hit

from .errors import AccountError
from .models import User
from .tasks import send_email

SALT = "soundoff.accounts.confirmation"
# Links mailed per account: enough to retry, too few to flood a mailbox.
LINK_RATE = Rate(limit=5, window=3600)


class ConfirmationError(AccountError):
    """A link that can't be used; ``code`` says why (expired, invalid, stale, taken)."""


@dataclass(frozen=True)
class Confirmed:
    user: User
    # The address the account had before, when the link changed it.
    previous_email: str | None


def must_confirm_email(user: User | AnonymousUser) -> bool:
    """Whether this reader has to confirm their address before commenting."""
    return (
        isinstance(user, User)
        and settings.SOUNDOFF_REQUIRE_VERIFIED_EMAIL
        and user.email_verified_at is None
    )


def link_hours() -> int:
    return max(1, int(settings.SOUNDOFF_EMAIL_LINK_MAX_AGE) // 3600)


def link_sent_detail() -> str:
    return _(
        "We sent a new link to your e-mail address. Open it to confirm the address; it works "
        "for %(hours)d hours."
    ) % {"hours": link_hours()}


def too_many_links_detail() -> str:
    return _("You asked for several links in the last hour. Try again later.")


def mark_verified(user: User) -> None:
    """Record that the reader proved their current address (e.g. by a claim)."""
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])


def send_confirmation(user: User, *, confirm_url: str) -> bool:
    """Mail a link confirming the reader's current address.

    ``confirm_url`` is the absolute address of the confirmation page. Returns
    False, sending nothing, when the address is confirmed already or the
    reader asked for too many links this hour.
    """
    if user.email_verified_at is not None:
        return False
    if not hit(f"email-link:{user.pk}", LINK_RATE).allowed:
        return False
    _mail_link(user, address=user.email, confirm_url=confirm_url, change=False)
    return True


def request_email_change(user: User, *, new_email: str, password: str, confirm_url: str) -> None:
    """Mail a link to ``new_email``; the address changes when it is opened.

    Asks for the current password, since whoever holds a logged-in browser
    must not be able to take the account away from its owner. Raises
    AccountError (with the form field) when the change can't be asked for.

    An address another account uses gets a notice instead of a link, and
    the answer is the same, so the form can't be used to find out who has
    an account here.
    """
    if not user.check_password(password):
        raise AccountError(
            _("That is not your current password. Type it again."), field="password"
        )
    new_email = User.objects.normalize_email(new_email.strip())
    if new_email.lower() == user.email.lower():
        raise AccountError(_("That is already your address."), field="email")
    if not hit(f"email-link:{user.pk}", LINK_RATE).allowed:
        raise AccountError(too_many_links_detail(), field="email")
    owner = User.objects.filter(email__iexact=new_email).only("email").first()
    if owner is not None:
        _mail(owner.email, "accounts/email/address_in_use.txt", _("Your address on %(site)s"))
    else:
        _mail_link(user, address=new_email, confirm_url=confirm_url, change=True)


def confirm(token: str) -> Confirmed:
    """Apply a link: mark the address confirmed, or move the account to the
    new address and tell the old one. Raises ConfirmationError."""
    data = _read(token)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data["user"], is_active=True).first()
        if user is None or user.email.lower() != data["from"]:
            raise ConfirmationError(
                _(
                    "This link is no longer valid: the account's address has changed since it "
                    "was sent. Ask for a new one from your profile."
                ),
                code="stale",
            )
        if data["email"].lower() == user.email.lower():
            mark_verified(user)
            return Confirmed(user=user, previous_email=None)
        if User.objects.filter(email__iexact=data["email"]).exists():
            raise ConfirmationError(_address_taken(), code="taken")
        previous = user.email
        user.email = data["email"]
        user.email_verified_at = timezone.now()
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "email_verified_at"])
        except IntegrityError:
            raise ConfirmationError(_address_taken(), code="taken") from None
        _mail(
            previous,
            "accounts/email/address_changed.txt",
            _("Your address on %(site)s was changed"),
            name=user.display_name,
        )
    return Confirmed(user=user, previous_email=previous)


def _address_taken() -> str:
    return _("Another account uses that address. Choose another one.")


def _mail_link(user: User, *, address: str, confirm_url: str, change: bool) -> None:
    token = make_link_token(
        {"user": user.pk, "email": address, "from": user.email.lower()}, salt=SALT
    )
    link = f"{confirm_url}?{urlencode({'token': token})}"
    if change:
        subject = _("Confirm your new address on %(site)s")
    else:
        subject = _("Confirm your address on %(site)s")
    _mail(
        address,
        "accounts/email/confirm_address.txt",
        subject,
        link=link,
        hours=link_hours(),
        change=change,
    )


def _mail(address: str, template: str, subject: str, **context: object) -> None:
    """Queue one e-mail, sent by the worker after commit; ``subject`` may
    name the site as %(site)s."""
    site = settings.SOUNDOFF_SITE_NAME
    body = render_to_string(template, {"site_name": site, **context})
    enqueue_with_writes(send_email, subject=subject % {"site": site}, body=body, to=[address])


def _read(token: str) -> dict[str, Any]:
    try:
        data = read_link_token(token, salt=SALT, max_age=int(settings.SOUNDOFF_EMAIL_LINK_MAX_AGE))
    except LinkExpired:
        raise ConfirmationError(
            _("This link has expired. Ask for a new one from your profile."), code="expired"
        ) from None
    except LinkInvalid:
        data = {}
    if not (
        isinstance(data.get("user"), int)
        and isinstance(data.get("email"), str)
        and isinstance(data.get("from"), str)
    ):
        raise ConfirmationError(
            _(
                "This link is not valid. Copy the whole link from the e-mail, or ask for a new "
                "one."
            ),
            code="invalid",
        )
    return data
