"""Everything the site keeps about one reader, as one JSON document.

The Privacy Policy promises "one file with your profile, comments,
reactions, reports, policy acceptances and any suspension or ban" (with
any appeal against a decision), and
names the newsroom sign-in accounts linked to it; each comment names the
versions of the Terms and the Privacy Policy under which it was licensed.
A fixed number of queries, whatever the reader wrote; rows are streamed
from the database rather than held as model instances.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from soundoff.discussion.models import Comment, Reaction
from soundoff.moderation.models import Appeal, Flag, Sanction
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
        "sign_in_accounts": [
            {
                "provider": issuer,
                "account": subject,
                "linked_at": _time(linked_at),
                "last_sign_in_at": _time(last_sign_in_at),
            }
            for issuer, subject, linked_at, last_sign_in_at in ProviderIdentity.objects.filter(
                user=user
            )
            .order_by("linked_at", "pk")
            .values_list("issuer", "subject", "linked_at", "last_sign_in_at")
        ],
        "policy_acceptances": [
            {
                "document": kind,
                "version": version,
                "title": title,
                "accepted_at": _time(accepted_at),
            }
            for kind, version, title, accepted_at in PolicyAcceptance.objects.filter(user=user)
            .order_by("accepted_at", "pk")
            .values_list("document__kind", "document__version", "document__title", "accepted_at")
        ],
        "comments": [_comment(row) for row in _comments(user)],
        "reactions": [
            {"comment": comment, "kind": kind, "created_at": _time(created_at)}
            for comment, kind, created_at in Reaction.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values_list("comment_id", "kind", "created_at")
        ],
        "reports": [
            {
                "comment": comment,
                "rule": rule,
                "explanation": explanation,
                "created_at": _time(created_at),
                "resolved_at": _time(resolved_at),
            }
            for comment, rule, explanation, created_at, resolved_at in Flag.objects.filter(
                reporter=user
            )
            .order_by("created_at", "pk")
            .values_list("comment_id", "rule__number", "explanation", "created_at", "resolved_at")
        ],
        "sanctions": [
            {
                "kind": kind,
                "starts_at": _time(starts_at),
                "ends_at": _time(ends_at),
                "rule": rule,
                "lifted_at": _time(lifted_at),
            }
            for kind, starts_at, ends_at, rule, lifted_at in Sanction.objects.filter(user=user)
            .order_by("starts_at", "pk")
            .values_list("kind", "starts_at", "ends_at", "rule__number", "lifted_at")
        ],
        "appeals": [
            {
                "decision": action,
                "comment": comment,
                "text": text,
                "status": status,
                "created_at": _time(created_at),
                "decided_at": _time(decided_at),
                "answer": answer,
            }
            for action, comment, text, status, created_at, decided_at, answer in _appeals(user)
        ],
        "reply_emails": reply_mail.reader_data(user),
    }


def _appeals(user: User) -> Any:
    return (
        Appeal.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list(
            "decision__action",
            "decision__comment_id",
            "text",
            "status",
            "created_at",
            "decided_at",
            "answer",
        )
    )


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
