"""Readers, their pictures, and the policy documents they accept."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soundoff.lib.addresses import address
from soundoff.lib.names import display_name_key, display_name_skeleton
from soundoff.lib.text import render_post

# The placeholder author of comments left by deleted accounts (see
# accounts.rights.deletion): an address in a reserved domain (RFC 2606).
DELETED_READER_EMAIL = "deleted-reader@soundoff.invalid"


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are unique ignoring case, so log-in ignores case too.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("Give the reader an e-mail address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def named_like(self, display_name: str) -> models.QuerySet[User]:
        """Readers whose name is taken to be ``display_name``: equal on the
        key (case, width, invisible characters) or on the skeleton (letters
        of other scripts that look the same)."""
        return self.filter(
            Q(display_name_key=display_name_key(display_name))
            | Q(display_name_skeleton=display_name_skeleton(display_name))
        )

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


def avatar_url(
    user_id: int,
    digest: str,
    display_name: str,
    size: int = 96,
    *,
    addresses: Callable[..., str] = address,
) -> str:
    """A reader's picture at ``size`` pixels: the upload, or the generated
    default. A function of the columns, so that listings built from rows
    (discussion.rows) give the address the model gives; they pass their
    lib.addresses.Addresses."""
    if digest:
        return addresses("avatar", user_id=user_id, digest=digest, size=size)
    # The initials are drawn from the name, and browsers keep them an
    # hour: a new name is a new address, so it shows at once.
    name = hashlib.sha256(display_name.encode()).hexdigest()[:8]
    return f"{addresses('default_avatar', user_id=user_id)}?name={name}"


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=40)
    # The uniqueness key: the cleaned name (NFKC, invisible characters
    # removed) case-folded, so "Joe", "JOE" and "J\u200boe" are one name.
    display_name_key = models.CharField(max_length=80, unique=True, editable=False)
    # The second uniqueness key: Unicode's confusables skeleton of the name
    # as shown, so that "\u0410lice" with a Cyrillic A can't pass as "Alice".
    # A character's prototype is at most six characters long.
    display_name_skeleton = models.CharField(max_length=400, unique=True, editable=False)
    avatar_digest = models.CharField(max_length=32, blank=True, editable=False)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # False for authors brought in by an import: they exist so imported
    # comments keep their names, and a reader claims one by proving the
    # e-mail address. Unclaimed identities cannot log in.
    is_claimed = models.BooleanField(default=True, editable=False)
    # When the reader proved they receive mail at ``email`` (the link sent on
    # registration and on every change of address, or an import claim).
    # Empty until then; SOUNDOFF_REQUIRE_VERIFIED_EMAIL keeps them from
    # commenting meanwhile.
    email_verified_at = models.DateTimeField(
        _("e-mail confirmed"), null=True, blank=True, editable=False
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # The language the reader last used the site in (set on registration
    # and every log-in), so that mail sent by the worker, with no request
    # to go by, is written in it; empty means the site's language.
    language = models.CharField(_("language"), max_length=16, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.display_name_key = display_name_key(self.display_name)
        self.display_name_skeleton = display_name_skeleton(self.display_name)
        super().save(*args, **kwargs)

    @property
    def is_deleted_reader(self) -> bool:
        """The placeholder of deleted accounts: nobody to write to."""
        return self.email == DELETED_READER_EMAIL

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    def avatar_url(self, size: int = 96) -> str:
        return avatar_url(self.pk, self.avatar_digest, self.display_name, size)


class AvatarImage(models.Model):
    """One re-encoded size of a reader's picture.

    Pictures live in the database rather than on a local disk so that app
    instances stay stateless: any number of them can serve any picture.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="avatar_images")
    digest = models.CharField(max_length=32)
    size = models.PositiveSmallIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "size"], name="accounts_avatar_one_per_size"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.digest}/{self.size}"


class PolicyKind(models.TextChoices):
    TERMS = "terms", _("Terms of Service")
    PRIVACY = "privacy", _("Privacy Policy")


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    def published(self) -> PolicyVersionQuerySet:
        return self.filter(published_at__lte=timezone.now())

    def current(self) -> list[PolicyVersion]:
        """The version in force of each kind: the newest published one.

        One query; there are only ever a handful of versions.
        """
        latest: dict[str, PolicyVersion] = {}
        for version in self.published().order_by("kind", "-version"):
            latest.setdefault(version.kind, version)
        return list(latest.values())


class PolicyVersion(models.Model):
    """One version of the Terms of Service or of the Privacy Policy.

    A published version never changes: readers accepted exactly that text,
    and comments record it as the licence in force. To change the text the
    operator drafts the next version and publishes it, and readers accept
    again before their next comment.
    """

    kind = models.CharField(_("document"), max_length=16, choices=PolicyKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"), help_text=_("Markdown: paragraphs, headings, lists, links.")
    )
    body_html = models.TextField(editable=False)
    summary_of_changes = models.TextField(
        _("what changed"), blank=True, help_text=_("Shown to readers asked to accept again.")
    )
    published_at = models.DateTimeField(
        _("in force from"), null=True, blank=True, help_text=_("Leave empty while drafting.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version"], name="accounts_policy_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_post(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("policy_version", kwargs={"kind": self.kind, "version": self.version})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class ConductRule(models.Model):
    """A numbered Rule of Conduct, part of one version of the Terms.

    Moderators cite a rule when they remove a comment and readers cite one
    when they flag it, so each rule has a stable number and its own anchor.
    """

    terms = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="rules",
        limit_choices_to={"kind": PolicyKind.TERMS},
    )
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(max_length=60)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    text_html = models.TextField(editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["terms", "number"], name="accounts_rule_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text_html = render_post(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.terms.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"rule-{self.number}"


class PolicyAcceptance(models.Model):
    """Append-only record that a reader accepted one version of a document."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="policy_acceptances")
    document = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Once per version, however many requests race to record it.
            models.UniqueConstraint(fields=["user", "document"], name="accounts_accept_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.document}"
