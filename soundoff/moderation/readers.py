"""What moderators do about a reader rather than one comment: notes for
each other, "always pre-moderate this reader", and a warning by e-mail.

Each function checks that ``by`` may do it and writes its own log row,
like the decisions in moderation.decisions.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from soundoff.accounts.models import ConductRule, User
from soundoff.discussion.models import MODERATE

from . import notices
from .access import require_moderator
from .audit import record
from .errors import InvalidDecision
from .models import ActionKind, PremoderatedReader, ReaderNote

NOTE_MAX_LENGTH = 2000


def note_reader(reader: User, *, by: User, text: str) -> ReaderNote:
    """Add a note about ``reader`` for the other moderators."""
    require_moderator(by)
    text = text.strip()
    if not text:
        raise InvalidDecision(_("Write the note first."))
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidDecision(_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH})
    return ReaderNote.objects.create(reader=reader, written_by=by, text=text)


def set_premoderation(reader: User, *, by: User, on: bool, note: str = "") -> bool:
    """Hold (``on``) or stop holding every new comment of ``reader`` for
    review. Returns whether anything changed; a repeat changes nothing and
    logs nothing, so two moderators clicking at once leave one row."""
    require_moderator(by)
    if on and (reader.has_perm(MODERATE) or reader.is_staff):
        raise InvalidDecision(_("Staff and moderators can't be put on pre-moderation."))
    with transaction.atomic():
        if on:
            try:
                with transaction.atomic():
                    PremoderatedReader.objects.create(reader=reader, set_by=by)
            except IntegrityError:
                return False
        elif not PremoderatedReader.objects.filter(reader=reader).delete()[0]:
            return False
        record(
            ActionKind.PREMODERATION_ON if on else ActionKind.PREMODERATION_OFF,
            by=by,
            user=reader,
            note=note,
        )
    return True


def warn_reader(reader: User, *, by: User, rule: ConductRule, note: str = "") -> None:
    """Log a warning citing ``rule`` and e-mail it to the reader: the step
    before a suspension, so the reader knows which rule and that the next
    step is a sanction. ``note`` is the moderator's own words, sent along."""
    require_moderator(by)
    if reader.is_deleted_reader:
        raise InvalidDecision(_("This account was deleted; there is nobody to warn."))
    with transaction.atomic():
        warning = record(ActionKind.WARNED, by=by, user=reader, rule=rule, note=note.strip())
        notices.after_commit(notices.tell_of_warning, decision_id=warning.pk)
