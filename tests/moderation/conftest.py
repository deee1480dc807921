"""Fixtures shared by the moderation tests."""

import pytest

from soundoff.accounts.models import ConductRule
from soundoff.accounts.queries import current_rules


@pytest.fixture
def rule(policies) -> ConductRule:
    """Rule 2 of the current Rules of Conduct, the one decisions cite."""
    return next(rule for rule in current_rules() if rule.number == 2)
