"""Keep what processes remember of the policies in step with the database.

Connected in AccountsConfig.ready() to every save and delete of a policy
version or a rule, wherever it comes from (the admin, a service, a fixture),
so no edit can forget to move the version that ``queries.in_force`` is kept
under.
"""

from __future__ import annotations

from typing import Any

from .queries import in_force


def policies_changed(sender: Any, **kwargs: Any) -> None:
    in_force.bump()
