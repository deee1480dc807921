"""Short-lived bearer tokens for the embedded widget.

A widget on another site cannot rely on Soundoff's session cookie: many
browsers block third-party cookies. The reader signs in in a first-party
popup on Soundoff's own origin, which hands the widget a token; the widget
sends it as ``Authorization: Bearer …``. Tokens are signed (no table to
store or clean), expire after SOUNDOFF_TOKEN_AGE, and die when the reader
changes their password (they carry the session hash).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS
from django.utils.crypto import constant_time_compare

from soundoff.accounts.models import User
from soundoff.lib.prepared import PreparedRead

SALT = "soundoff.api.token"


def issue_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "h": user.get_session_auth_hash()}, salt=SALT)


def reader_for_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SOUNDOFF_TOKEN_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    user = _active_reader(user_id)
    if user is None or not constant_time_compare(
        user.get_session_auth_hash(), str(data.get("h", ""))
    ):
        return None
    return user


_FIELDS = [field.attname for field in User._meta.concrete_fields]
_READER_ROW = PreparedRead(
    lambda user_id: User.objects.filter(pk=user_id, is_active=True, is_claimed=True).values_list(
        *_FIELDS
    ),
    user_id=918_273_645,
)


def _active_reader(user_id: int) -> User | None:
    """The active, claimed account ``user_id``, whole: every API write asks
    for it, so its SQL is written once (soundoff.lib.prepared) and the
    model built from the row as the ORM builds it."""
    row = _READER_ROW.first(user_id=user_id)
    return None if row is None else User.from_db(DEFAULT_DB_ALIAS, _FIELDS, row)
