from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from soundoff.accounts.models import ConductRule
from soundoff.accounts.queries import current_rules

from .schemas import ErrorOut

router = Router(tags=["rules"])


class RuleOut(Schema):
    number: int
    title: str
    url: str

    @staticmethod
    def of(rule: ConductRule) -> RuleOut:
        return RuleOut(number=rule.number, title=rule.title, url=rule.get_absolute_url())


@router.get("", response={200: list[RuleOut], 422: ErrorOut})
def rules(request: HttpRequest) -> list[RuleOut]:
    """The Rules of Conduct in force, which a flag cites by number."""
    return [RuleOut.of(rule) for rule in current_rules()]
