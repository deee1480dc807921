"""Everything the site keeps about one reader, as one JSON document.

The Privacy Policy promises one file with the profile, any newsroom sign-in
linked to it, comments, reactions, reports, policy acceptances, reply
e-mail settings, any suspension or ban and any appeal against a decision,
and the notes moderators wrote about the reader; each comment names the
versions of the Terms and the Privacy Policy under which it was licensed.
It also holds what the policy says is recorded when a moderator or a check
acts on the reader or their comments: each decision, with the rule it
cited, and whether their comments are held for review.
A fixed number of queries, whatever the reader wrote; rows are streamed
from the database rather than held as model instances.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from soundoff.discussion.models import Comment, Reaction
from soundoff.moderation.models import (
    ActionKind,
    Appeal,
    Flag,
    ModerationAction,
    PremoderatedReader,
    ReaderNote,
    Sanction,
)
from soundoff.notifications import queries as reply_mail
from soundoff.oidc.models import ProviderIdentity

from ..models import PolicyAcceptance, User

FORMAT = "soundoff-reader-data/1"


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def reader_data(user: User) -> dict[str, Any]:
    """The reader's data, ready for json.dumps."""
    return {
        "format": FORMAT,
        "site": settings.SOUNDOFF_SITE_NAME,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "email_confirmed_at": _time(user.email_verified_at),
            "display_name": user.display_name,
            "picture": user.avatar_url(192) if user.avatar_digest else None,
            "joined_at": _time(user.date_joined),
            "last_login_at": _time(user.last_login),
            "language": user.language,
        },
        "sign_in_accounts": _listed(
            ProviderIdentity.objects.filter(user=user),
            order="linked_at",
            provider="issuer",
            account="subject",
            linked_at="linked_at",
            last_sign_in_at="last_sign_in_at",
        ),
        "policy_acceptances": _listed(
            PolicyAcceptance.objects.filter(user=user),
            order="accepted_at",
            document="document__kind",
            version="document__version",
            title="document__title",
            accepted_at="accepted_at",
        ),
        "comments": [_comment(row) for row in _comments(user)],
        "reactions": _listed(
            Reaction.objects.filter(user=user),
            comment="comment_id",
            kind="kind",
            created_at="created_at",
        ),
        "reports": _listed(
            Flag.objects.filter(reporter=user),
            comment="comment_id",
            rule="rule__number",
            explanation="explanation",
            created_at="created_at",
            resolved_at="resolved_at",
        ),
        "sanctions": _listed(
            Sanction.objects.filter(user=user),
            order="starts_at",
            kind="kind",
            starts_at="starts_at",
            ends_at="ends_at",
            rule="rule__number",
            lifted_at="lifted_at",
        ),
        "appeals": _listed(
            Appeal.objects.filter(user=user),
            decision="decision__action",
            comment="decision__comment_id",
            text="text",
            status="status",
            created_at="created_at",
            decided_at="decided_at",
            answer="answer",
        ),
        # Moderators' notes about the reader are data about them (GDPR
        # art. 15). Which moderator wrote one is not: the newsroom answers
        # for its moderators, and naming them would expose staff to the
        # readers they moderate (art. 15(4)).
        "moderator_notes": _listed(
            ReaderNote.objects.filter(reader=user), text="text", written_at="created_at"
        ),
        # Decisions about the reader or their comments, by whom withheld as
        # the notes are. A report against them is left out: its words and
        # its author are the reporter's (their own reports are above).
        "decisions": _listed(
            ModerationAction.objects.filter(user=user).exclude(action=ActionKind.REPORTED),
            action="action",
            comment="comment_id",
            rule="rule__number",
            reason="reason_code",
            note="note",
            decided_at="created_at",
        ),
        "comments_held_for_review_since": _time(
            PremoderatedReader.objects.filter(reader=user)
            .values_list("created_at", flat=True)
            .first()
        ),
        "reply_emails": reply_mail.reader_data(user),
    }


def _listed(rows: QuerySet[Any], *, order: str = "created_at", **fields: str) -> list[Any]:
    """``rows`` oldest first, each as a dict of ``fields`` (the export's name
    for each column), times as ISO 8601 text; one query."""
    return [
        {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in zip(fields, row, strict=True)
        }
        for row in rows.order_by(order, "pk").values_list(*fields.values())
    ]


def _comments(user: User) -> Any:
    return (
        Comment.objects.filter(author=user)
        .order_by("created_at", "pk")
        .values(
            "pk",
            "thread_id",
            "thread__title",
            "thread__page_url",
            "thread__post__headline",
            "thread__post__slug",
            "parent_id",
            "status",
            "body",
            "created_at",
            "edited_at",
            "terms_version__version",
            "privacy_version__version",
        )
        .iterator()
    )


def _post_url(slug: str | None) -> str | None:
    return reverse("newsroom:post", kwargs={"slug": slug}) if slug else None


def _comment(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["pk"],
        "discussion": {
            "id": row["thread_id"],
            "title": row["thread__post__headline"] or row["thread__title"],
            "page": row["thread__page_url"] or _post_url(row["thread__post__slug"]),
        },
        "parent": row["parent_id"],
        "status": row["status"],
        "text": row["body"],
        "created_at": _time(row["created_at"]),
        "edited_at": _time(row["edited_at"]),
        "licensed_under": {
            "terms_of_service_version": row["terms_version__version"],
            "privacy_policy_version": row["privacy_version__version"],
        },
    }
