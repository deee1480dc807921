"""Imported authors: unclaimed identities that keep old comments' names.

An identity is a User with ``is_claimed=False`` and an unusable password, so
nobody can log in as it; a reader takes it over by proving its e-mail
address (see claims.py). Identities are keyed by e-mail address so that one
person's comments from several exports land on one identity. When the
address already belongs to a registered reader, the comments do *not* go to
that account: registration does not verify addresses, so anyone could have
registered someone else's. They go to a separate identity with a
placeholder address derived from the real one, which that reader can claim
like any other. Authors without a usable address get a placeholder derived
from the export and their name, so that all of "Guest"'s comments share an
identity, which no one can claim.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from soundoff.accounts.models import User
from soundoff.lib.names import (
    MAX_LENGTH,
    InvalidDisplayName,
    clean_display_name,
    display_name_key,
    numbered,
)

from .conversion import clean_text

PLACEHOLDER_DOMAIN = "imported.invalid"
FALLBACK_NAME = "Anonymous"


class BoundedCache[K, V]:
    """A small least-recently-used map, so that lookups repeated over a
    200 MB export stay cheap without memory growing with the file."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        if len(self.items) > self.size:
            self.items.popitem(last=False)


def placeholder_email(key: str) -> str:
    """A deterministic address in a reserved domain (RFC 2606), never mailed."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"imported-{digest}@{PLACEHOLDER_DOMAIN}"


def placeholder_for_address(email: str) -> str:
    """The placeholder of the identity that holds ``email``'s comments when a
    registered reader already has that address."""
    return placeholder_email(f"email:{email.strip().lower()}")


def usable_email(raw: str) -> str:
    """The address normalised, or "" when it is not one we could ever mail."""
    email = User.objects.normalize_email(clean_text(raw).strip())
    if not email or len(email) > 254:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    if email.lower().endswith("@" + PLACEHOLDER_DOMAIN):
        # An export of our own site: the placeholder stands for a nameless
        # identity, and keeping it keeps that identity.
        return email.lower()
    return email


class Identities:
    """Finds or creates the identity of each imported author, for one import."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.created = 0
        self.cache: BoundedCache[str, int] = BoundedCache()
        self.next_suffix: BoundedCache[str, int] = BoundedCache()

    def author_id(self, *, name: str, email: str) -> int:
        email = usable_email(email)
        name = clean_text(name)
        key = f"email:{email.lower()}" if email else f"name:{self.source}:{_name_key(name)}"
        found = self.cache.get(key)
        if found is None:
            found = self._find_or_create(name=name, email=email, key=key)
            self.cache.put(key, found)
        return found

    def _find_or_create(self, *, name: str, email: str, key: str) -> int:
        if email:
            holder = User.objects.filter(email__iexact=email).only("pk", "is_claimed").first()
            if holder is None:
                return self._create(name, email)
            if not holder.is_claimed:
                return holder.pk
            placeholder = placeholder_for_address(email)
        else:
            placeholder = placeholder_email(key)
        existing = User.objects.filter(email=placeholder).values_list("pk", flat=True).first()
        return existing if existing is not None else self._create(name, placeholder)

    def _create(self, name: str, email: str) -> int:
        user = User.objects.create_user(
            email, None, display_name=self.unique_name(name), is_claimed=False
        )
        self.created += 1
        return user.pk

    def unique_name(self, raw: str) -> str:
        """A valid display name, "Name (2)" when "Name" is taken, and so on:
        deterministic for a given site and file."""
        try:
            name = clean_display_name(raw[: MAX_LENGTH * 2])
        except InvalidDisplayName:
            try:
                name = clean_display_name(raw[:MAX_LENGTH].strip())
            except InvalidDisplayName:
                name = FALLBACK_NAME
        if not User.objects.named_like(name).exists():
            return name
        base_key = display_name_key(name)
        number = self.next_suffix.get(base_key) or 2
        while True:
            candidate = numbered(name, number)
            number += 1
            if not User.objects.named_like(candidate).exists():
                self.next_suffix.put(base_key, number)
                return candidate


def _name_key(name: str) -> str:
    try:
        return display_name_key(clean_display_name(name[: MAX_LENGTH * 2]))
    except InvalidDisplayName:
        return display_name_key(name) or FALLBACK_NAME.lower()
