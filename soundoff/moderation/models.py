"""Flags, sanctions, word lists, and the audit of every moderation decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    HELD = "held", _("Held on posting")
    CHECKED = "checked", _("Flagged by a check on posting")
    WITHHELD = "withheld", _("Withheld after posting")
    APPROVED = "approved", _("Approved")
    REMOVED = "removed", _("Removed")
    RESTORED = "restored", _("Restored")
    FEATURED = "featured", _("Featured")
    UNFEATURED = "unfeatured", _("Unfeatured")
    SUSPENDED = "suspended", _("Suspended")
    BANNED = "banned", _("Banned")
    SANCTION_LIFTED = "sanction_lifted", _("Sanction lifted")
    DISCUSSION_CHANGED = "discussion_changed", _("Discussion policy changed")
    WORDS_CHANGED = "words_changed", _("Word list changed")
    WARNED = "warned", _("Warned")
    PREMODERATION_ON = "premoderation_on", _("Reader put on pre-moderation")
    PREMODERATION_OFF = "premoderation_off", _("Reader taken off pre-moderation")
    REPORTED = "reported", _("Reported by a reader")
    REFUSED = "refused", _("Refused on posting")
    APPEALED = "appealed", _("Appealed by the reader")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal turned down")
    APPEAL_OVERTURNED = "appeal_overturned", _("Appeal granted")


class AppendOnlyError(Exception):
    pass


class ModerationActionQuerySet(models.QuerySet["ModerationAction"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The moderation log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The moderation log is append-only.")

    def forget_person(self, person: Any, *, replacement: Any) -> None:
        """The one change the log allows: when an account is deleted, the
        decisions about it and by it stay, but point at the "Deleted reader"
        placeholder, and the free text of every decision about the person
        goes (a moderator's note, or a check's, which may quote the words
        it refused), as do the person's own words in their reports.
        What was decided, when, citing which rule, is kept."""
        base = models.QuerySet.update
        base(self.filter(user=person), note="")
        # A report's explanation is the reporter's own words.
        base(self.filter(actor=person, action=ActionKind.REPORTED), note="")
        base(self.filter(user=person), user=replacement)
        base(self.filter(actor=person), actor=replacement)


class ModerationAction(models.Model):
    """One decision, by a moderator (``actor``) or by the system (no actor).

    Append-only: rows are never updated or deleted, by the code or by the
    admin, so the log is the newsroom's record of what happened and why.
    """

    action = models.CharField(max_length=24, choices=ActionKind.choices)
    comment = models.ForeignKey(
        "discussion.Comment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_received",
        help_text=_("The reader the decision concerns."),
    )
    thread = models.ForeignKey(
        "discussion.Thread", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_before = models.CharField(max_length=16, blank=True)
    status_after = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_taken",
    )
    rule = models.ForeignKey(
        "accounts.ConductRule", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("moderate", "Can work the moderation queues and sanction readers")]
        indexes = [models.Index(fields=["comment", "-created_at"], name="moderation_by_comment")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor or 'the system'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The moderation log is append-only.")


class Flag(models.Model):
    """A reader's report that a comment breaks a rule."""

    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="flags"
    )
    # Empty when a check of the pipeline raised the flag.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags_made",
    )
    rule = models.ForeignKey(
        "accounts.ConductRule", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explanation = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="moderation_flag_once"),
        ]

    def __str__(self) -> str:
        return f"Flag on {self.comment_id} by {self.reporter_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SanctionKind(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    BAN = "ban", _("Ban")


class SanctionQuerySet(models.QuerySet["Sanction"]):
    def in_force(self, *, now: datetime | None = None) -> SanctionQuerySet:
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Sanction(models.Model):
    """A suspension (until a time) or a ban (until lifted) of a reader."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=16, choices=SanctionKind.choices)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    rule = models.ForeignKey(
        "accounts.ConductRule", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    # The log row that imposed it: what the reader is told about and may
    # appeal. Empty on sanctions older than appeals.
    decision = models.OneToOneField(
        ModerationAction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanction",
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user_id}"


class WordListKind(models.TextChoices):
    BANNED = "banned", _("Banned words (comments are refused)")
    SUSPECT = "suspect", _("Suspect words (comments are flagged for review)")
    ALLOWED = "allowed", _("Allowed phrases (a listed word inside one does not count)")


class WordList(models.Model):
    kind = models.CharField(max_length=16, choices=WordListKind.choices, unique=True)
    words = models.TextField(blank=True, help_text=_("One word or phrase per line."))
    # A number, not a row: rules belong to one version of the Terms, and the
    # list should go on citing "Rule 3" when the Terms are revised.
    rule_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The rule cited when this list stops a comment.")
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.get_kind_display()

    def entries(self) -> list[str]:
        return [line.strip() for line in self.words.splitlines() if line.strip()]


class ReaderNote(models.Model):
    """What one moderator tells the others about a reader ("warned twice
    by phone", "a journalist's relative"). Moderators see it on the desk,
    and the reader in their data export (without who wrote it)."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    text = models.TextField(max_length=2000)
    # Empty once the moderator's own account is deleted: the note stays.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.reader_id} by {self.written_by_id}"


class PremoderatedReader(models.Model):
    """A reader whose every new comment is held for review until a
    moderator lifts it (the pipeline's ``premoderated_reader`` phase)."""

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="premoderation"
    )
    # Empty once the moderator's own account is deleted: the hold stays.
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Pre-moderation of {self.reader_id}"


class SurgeAlert(models.Model):
    """One surge of reports or withheld comments on one discussion, and
    the one e-mail that announced it to the moderators.

    A surge lasts while the count stays at or above the threshold:
    ``last_seen_at`` moves on each time a check still finds it there, and
    only a surge that starts after SOUNDOFF_SURGE_MINUTES of quiet since
    then sends another e-mail.
    """

    thread = models.ForeignKey("discussion.Thread", on_delete=models.CASCADE, related_name="+")
    reports = models.PositiveIntegerField()
    withheld = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["thread", "-created_at"], name="moderation_surge_by_thread")
        ]

    def __str__(self) -> str:
        return f"Surge on {self.thread_id} at {self.created_at:%Y-%m-%d %H:%M}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    UPHELD = "upheld", _("Turned down: the decision stands")
    OVERTURNED = "overturned", _("Granted: the decision was undone")


class Appeal(models.Model):
    """A reader asks the moderators to look again at one decision about
    them: the removal of their comment, or their suspension or ban.

    One appeal per decision (``decision`` is unique): a reader turned down
    once is not heard again on the same decision, but a new decision can
    be appealed afresh.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    decision = models.OneToOneField(
        ModerationAction, on_delete=models.PROTECT, related_name="appeal"
    )
    text = models.TextField()
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(
        blank=True, help_text=_("The moderator's answer, sent to the reader.")
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="moderation_appeal_queue")]

    def __str__(self) -> str:
        return f"Appeal {self.pk} by {self.user_id}"

    @property
    def is_open(self) -> bool:
        return self.status == AppealStatus.OPEN
