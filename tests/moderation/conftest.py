"""Fixtures shared by the moderation tests."""

import pytest

from soundoff.accounts.models import ConductRule
from testkit.cast import conduct_rule


@pytest.fixture
def rule(policies) -> ConductRule:
    """Rule 2 of the current Rules of Conduct, the one decisions cite."""
    return conduct_rule(2)
