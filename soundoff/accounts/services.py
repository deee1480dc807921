"""Changes to readers' accounts, called alike by pages, the API and commands."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.lib.images import Avatar
from soundoff.lib.names import InvalidDisplayName, clean_display_name
from soundoff.lib.queueing import enqueue_with_writes

from .errors import AccountError, DisplayNameTaken
from .models import AvatarImage, ConductRule, PolicyAcceptance, PolicyVersion, User
from .tasks import tell_owner_of_registration


def _ensure_display_name_free(display_name: str, *, user: User | None) -> None:
    taken = User.objects.named_like(display_name)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise DisplayNameTaken(
            _("The display name “%(name)s” is already taken. Choose another.")
            % {"name": display_name},
            field="display_name",
        )


def register_reader(
    *,
    email: str,
    password: str,
    display_name: str,
    avatar: Avatar | None = None,
    accept: Iterable[PolicyVersion] = (),
    site_url: str,
    language: str = "",
) -> User | None:
    """Create a reader account, with its picture and its acceptance of the
    given policy versions, all or nothing, and return it.

    When the address already belongs to someone (a reader, or imported
    comments not yet claimed), nothing is created and None is returned: the
    owner is told by e-mail (after commit, by the task worker, with links
    under ``site_url``), and the caller must answer exactly as for a new
    account, so that registering reveals nobody's address. The password is
    hashed either way, so the two answers take the same time. ``language``
    is the one the reader registered in: their e-mails are written in it.

    Raises AccountError for a display name that is unacceptable or taken
    (names are public, so saying so reveals nothing). The uniqueness checks
    are repeated by the database constraints, which catch the race of two
    registrations in the same instant.
    """
    try:
        display_name = clean_display_name(display_name)
    except InvalidDisplayName as error:
        raise AccountError(str(error), field="display_name") from None
    email = User.objects.normalize_email(email.strip())
    _ensure_display_name_free(display_name, user=None)
    if User.objects.filter(email__iexact=email).exists():
        make_password(password)
        _tell_owner(email, site_url)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, display_name=display_name, language=language
            )
            if avatar is not None:
                set_avatar(user, avatar=avatar)
            accept_policies(user, documents=accept)
    except IntegrityError:
        _ensure_display_name_free(display_name, user=None)
        # The address was registered in the same instant.
        _tell_owner(email, site_url)
        return None
    return user


def _tell_owner(email: str, site_url: str) -> None:
    enqueue_with_writes(tell_owner_of_registration, email=email, site_url=site_url)


def change_display_name(user: User, *, display_name: str) -> User:
    display_name = clean_display_name(display_name)
    _ensure_display_name_free(display_name, user=user)
    user.display_name = display_name
    try:
        with transaction.atomic():
            user.save(update_fields=["display_name", "display_name_key", "display_name_skeleton"])
    except IntegrityError:
        raise DisplayNameTaken(
            _("The display name “%(name)s” is already taken. Choose another.")
            % {"name": display_name},
            field="display_name",
        ) from None
    return user


def set_avatar(user: User, *, avatar: Avatar) -> User:
    """Replace the reader's picture with an already validated, re-encoded one."""
    with transaction.atomic():
        AvatarImage.objects.filter(user=user).delete()
        AvatarImage.objects.bulk_create(
            AvatarImage(user=user, digest=avatar.digest, size=size, data=data)
            for size, data in avatar.images.items()
        )
        user.avatar_digest = avatar.digest
        user.save(update_fields=["avatar_digest"])
    return user


def remove_avatar(user: User) -> User:
    with transaction.atomic():
        AvatarImage.objects.filter(user=user).delete()
        user.avatar_digest = ""
        user.save(update_fields=["avatar_digest"])
    return user


def accept_policies(user: User, *, documents: Iterable[PolicyVersion]) -> None:
    """Record that the reader accepted these versions.

    Append-only and idempotent: the unique constraint plus ignore_conflicts
    records each version once even when two requests race.
    """
    now = timezone.now()
    PolicyAcceptance.objects.bulk_create(
        [
            PolicyAcceptance(user=user, document=document, accepted_at=now)
            for document in documents
            if document.is_published
        ],
        ignore_conflicts=True,
    )


def draft_next_version(source: PolicyVersion) -> PolicyVersion:
    """Copy a document (and its rules) into an unpublished next version for
    the operator to edit; published versions themselves never change."""
    with transaction.atomic():
        latest = PolicyVersion.objects.filter(kind=source.kind).aggregate(v=Max("version"))["v"]
        draft = PolicyVersion.objects.create(
            kind=source.kind, version=(latest or 0) + 1, title=source.title, body=source.body
        )
        ConductRule.objects.bulk_create(
            ConductRule(
                terms=draft,
                number=rule.number,
                slug=rule.slug,
                title=rule.title,
                text=rule.text,
                text_html=rule.text_html,
            )
            for rule in source.rules.all()
        )
    return draft
