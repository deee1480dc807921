"""The moderation cast: readers in the Moderators group.

Moderators are plain readers granted moderation.moderate through the group
that migration 0002_groups creates, as operators grant it; never staff or
superusers, who would pass every permission check the views make.
"""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission

from soundoff.accounts.models import User
from soundoff.testing import make_reader


@pytest.fixture
def make_moderator(policies) -> Callable[[str], User]:
    """Make another moderator, for tests that need two of them."""

    def make(name: str) -> User:
        user = make_reader(name)
        group, _ = Group.objects.get_or_create(name="Moderators")
        group.permissions.add(
            Permission.objects.get(content_type__app_label="moderation", codename="moderate")
        )
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def moderator(make_moderator: Callable[[str], User]) -> User:
    return make_moderator("Mona Moderator")
