"""Reads about readers and the policies in force."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import ConductRule, PolicyAcceptance, PolicyKind, PolicyVersion, User


def current_policies() -> dict[str, PolicyVersion]:
    """The Terms and the Privacy Policy in force now, by kind."""
    return {version.kind: version for version in PolicyVersion.objects.current()}


def policies_awaiting(
    user: User | AnonymousUser, *, current: dict[str, PolicyVersion] | None = None
) -> list[PolicyVersion]:
    """Current documents this reader has not accepted yet (all, when logged
    out). Pass ``current`` when the caller has read the policies already."""
    documents = list((current_policies() if current is None else current).values())
    if not user.is_authenticated:
        return documents
    accepted = set(
        PolicyAcceptance.objects.filter(user=user, document__in=documents).values_list(
            "document_id", flat=True
        )
    )
    return [document for document in documents if document.pk not in accepted]


def current_rules() -> list[ConductRule]:
    """The numbered Rules of Conduct of the Terms in force."""
    terms = current_policies().get(PolicyKind.TERMS)
    return list(terms.rules.all()) if terms else []
