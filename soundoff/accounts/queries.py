"""Reads about readers and the policies in force."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import PolicyAcceptance, PolicyKind, PolicyVersion, User


def current_policies() -> dict[str, PolicyVersion]:
    """The Terms and the Privacy Policy in force now, by kind."""
    return {version.kind: version for version in PolicyVersion.objects.current()}


def policies_awaiting(user: User | AnonymousUser) -> list[PolicyVersion]:
    """Current documents this reader has not accepted yet (all, when logged out)."""
    current = list(current_policies().values())
    if not user.is_authenticated:
        return current
    accepted = set(
        PolicyAcceptance.objects.filter(user=user, document__in=current).values_list(
            "document_id", flat=True
        )
    )
    return [document for document in current if document.pk not in accepted]


def current_rules() -> list:
    """The numbered Rules of Conduct of the Terms in force."""
    terms = current_policies().get(PolicyKind.TERMS)
    return list(terms.rules.all()) if terms else []
