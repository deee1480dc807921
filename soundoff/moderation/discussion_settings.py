"""What editors and moderators set for discussions: one thread's policy
(open, closed, slow, pre-moderated) and the site's word lists; each change
audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from soundoff.accounts.models import User
from soundoff.discussion.errors import NotAllowed
from soundoff.discussion.models import Thread
from soundoff.discussion.policy import DiscussionPolicy

from .access import may_set_discussion_policy, require_moderator
from .audit import record
from .errors import InvalidDecision
from .models import ActionKind, WordList, WordListKind


def set_discussion_policy(thread: Thread, *, by: User | None, policy: DiscussionPolicy) -> Thread:
    """Editors and moderators open, close, slow down or pre-moderate."""
    if by is not None and not may_set_discussion_policy(by):
        raise NotAllowed(_("Only editors and moderators can change a discussion's policy."))
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        before = DiscussionPolicy.of(locked)
        if before == policy:
            return locked
        policy.apply_to(locked)
        locked.save(update_fields=["mode", "slow_mode_seconds", "close_after_hours"])
        Thread.objects.filter(pk=locked.pk).changed()
        record(
            ActionKind.DISCUSSION_CHANGED,
            by=by,
            thread=locked,
            status_before=before.mode,
            status_after=policy.mode,
            note=_("slow mode %(slow)ss, closes after %(hours)s h")
            % {
                "slow": policy.slow_mode_seconds,
                "hours": policy.close_after_hours
                if policy.close_after_hours is not None
                else _("the site default"),
            },
        )
    thread.refresh_from_db()
    return locked


def update_word_list(
    kind: str, *, by: User | None, words: str, rule_number: int | None = None
) -> WordList:
    require_moderator(by)
    if kind not in WordListKind.values:
        raise InvalidDecision(_("There is no word list called %(kind)s.") % {"kind": kind})
    # Matching ignores case, so "Idiot" and "idiot" are one entry: the
    # first spelling is kept (a set would keep either, differently each run).
    unique: dict[str, str] = {}
    for line in words.splitlines():
        if line.strip():
            unique.setdefault(line.strip().casefold(), line.strip())
    entries = sorted(unique.values(), key=str.casefold)
    if any(len(entry) > 100 for entry in entries):
        raise InvalidDecision(_("Keep each word or phrase under 100 characters."))
    with transaction.atomic():
        word_list, _created = WordList.objects.select_for_update().get_or_create(kind=kind)
        word_list.words = "\n".join(entries)
        word_list.rule_number = rule_number
        word_list.version = F("version") + 1
        word_list.save()
        record(
            ActionKind.WORDS_CHANGED,
            by=by,
            reason_code=kind,
            note=_("%(n)d entries") % {"n": len(entries)},
        )
    word_list.refresh_from_db()
    return word_list
