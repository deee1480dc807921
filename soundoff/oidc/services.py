"""Which reader a provider account signs in as: found, linked, or new."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.accounts.confirmation import mark_verified
from soundoff.accounts.models import User
from soundoff.lib.names import MAX_LENGTH, InvalidDisplayName, clean_display_name, display_name_key

from .client import ProviderClaims, label
from .errors import SignInRefused
from .models import ProviderIdentity

# Numbered variants of a taken display name tried before a random one.
NAME_ATTEMPTS = 50


def reader_for(claims: ProviderClaims) -> tuple[User, bool]:
    """Return the reader the provider's account signs in as, and whether
    that reader was made just now.

    1. An account seen before is found by its subject (issuer and ``sub``),
       whatever its e-mail address is now.
    2. Otherwise it is linked to the reader with the same e-mail address,
       but only when the provider says it verified that address: anyone can
       type any address into an account at a provider that doesn't check,
       and would otherwise take over the reader who owns it.
    3. Otherwise a new reader is made, with no password and no policy
       accepted: like everyone, they accept the Terms and the Privacy
       Policy before their first comment.

    Raises SignInRefused when none of these may happen.
    """
    try:
        with transaction.atomic():
            return _reader_for(claims)
    except IntegrityError:
        # Two first sign-ins of the same account raced; the other one linked it.
        with transaction.atomic():
            return _reader_for(claims)


def _reader_for(claims: ProviderClaims) -> tuple[User, bool]:
    identity = (
        ProviderIdentity.objects.select_related("user")
        .filter(issuer=claims.issuer, subject=claims.subject)
        .first()
    )
    if identity is not None:
        _ensure_may_sign_in(identity.user)
        identity.last_sign_in_at = timezone.now()
        identity.save(update_fields=["last_sign_in_at"])
        return identity.user, False
    if not claims.email_verified:
        raise SignInRefused(
            _(
                "%(provider)s has not confirmed an e-mail address for your account, so it "
                "can't be used to sign in here. Confirm your address there and try again, or "
                "log in with your e-mail address and password."
            )
            % {"provider": label()},
            code="email_not_verified",
        )
    user = User.objects.filter(email__iexact=claims.email).first()
    created = user is None
    if user is None:
        user = _new_reader(claims)
    else:
        _ensure_may_sign_in(user)
    # The provider verified the address the account is found or made by:
    # that confirms it here too.
    mark_verified(user)
    ProviderIdentity.objects.create(user=user, issuer=claims.issuer, subject=claims.subject)
    return user, created


def _ensure_may_sign_in(user: User) -> None:
    if not user.is_claimed:
        raise SignInRefused(
            _(
                "Comments brought over from this site's earlier discussion system use your "
                "address. Claim them at /accounts/claim/ first, then sign in with "
                "%(provider)s."
            )
            % {"provider": label()},
            code="unclaimed",
        )
    if not user.is_active:
        raise SignInRefused(_("This account is closed."), code="inactive")


def _new_reader(claims: ProviderClaims) -> User:
    for name in _free_display_names(claims.names):
        try:
            with transaction.atomic():
                return User.objects.create_user(claims.email, None, display_name=name)
        except IntegrityError:
            if User.objects.filter(email__iexact=claims.email).exists():
                raise
            # Another reader took the name in the same instant; try the next.
    raise SignInRefused(
        _("No display name could be found for your account. Register instead."),
        code="no_display_name",
    )


def _free_display_names(names: tuple[str, ...]) -> Iterator[str]:
    """Display names for a new reader, each free when yielded: the first of
    the provider's names that the display-name rules accept, then numbered
    variants of it, then a random one."""
    base = _base_display_name(names)
    variants = [base] + [_numbered(base, str(n)) for n in range(2, NAME_ATTEMPTS + 2)]
    for variant in variants:
        if not User.objects.filter(display_name_key=display_name_key(variant)).exists():
            yield variant
    yield _numbered(base, secrets.token_hex(4))


def _base_display_name(names: tuple[str, ...]) -> str:
    for name in names:
        try:
            # A long name is cut to the longest a display name may be.
            return clean_display_name(name[:MAX_LENGTH])
        except InvalidDisplayName:
            continue
    return _("Reader")


def _numbered(base: str, suffix: str) -> str:
    return f"{base[: MAX_LENGTH - len(suffix) - 1].rstrip()} {suffix}"
