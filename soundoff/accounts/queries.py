"""Reads about readers and the policies in force."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Min
from django.utils import timezone

from soundoff.lib.versioned import Loaded, Versioned

from .models import ConductRule, PolicyAcceptance, PolicyKind, PolicyVersion, User


@dataclass(frozen=True)
class InForce:
    documents: dict[str, PolicyVersion]
    rules: tuple[ConductRule, ...]


def _read_in_force() -> Loaded[InForce]:
    now = timezone.now()
    documents = {version.kind: version for version in PolicyVersion.objects.current()}
    terms = documents.get(PolicyKind.TERMS)
    rules = tuple(terms.rules.all()) if terms else ()
    # A version scheduled to come into force changes what is current with
    # no write at that moment.
    next_due = PolicyVersion.objects.filter(published_at__gt=now).aggregate(at=Min("published_at"))
    return Loaded(InForce(documents, rules), stale_at=next_due["at"])


# Read by every comment; moved by any change of a policy or rule
# (AccountsConfig.ready connects the bumps).
in_force = Versioned("policies", _read_in_force)


def current_policies() -> dict[str, PolicyVersion]:
    """The Terms and the Privacy Policy in force now, by kind."""
    return dict(in_force.get().documents)


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
    return list(in_force.get().rules)
