"""Reads about readers and the policies in force."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Min, QuerySet
from django.utils import timezone

from soundoff.lib.prepared import PreparedRead
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
    if not documents:
        return []
    read = _ACCEPTED.get(len(documents))
    if read is None:
        read = _ACCEPTED.setdefault(len(documents), _accepted(len(documents)))
    ids: dict[str, Any] = {f"document_{n}": document.pk for n, document in enumerate(documents)}
    accepted = {document_id for (document_id,) in read.all(user_id=user.pk, **ids)}
    return [document for document in documents if document.pk not in accepted]


# Every comment asks, so the SQL is written once per number of documents
# in force (soundoff.lib.prepared): two, the Terms and the Privacy Policy.
_ACCEPTED: dict[int, PreparedRead] = {}


def _accepted(count: int) -> PreparedRead:
    """Which of ``count`` documents a reader accepted."""
    documents = {f"document_{n}": 918_273_650 + n for n in range(count)}

    def build(user_id: int, **document_ids: int) -> QuerySet[PolicyAcceptance, Any]:
        return PolicyAcceptance.objects.filter(
            user_id=user_id, document_id__in=document_ids.values()
        ).values_list("document_id")

    return PreparedRead(build, user_id=918_273_645, **documents)


def current_rules() -> list[ConductRule]:
    """The numbered Rules of Conduct of the Terms in force."""
    return list(in_force.get().rules)
