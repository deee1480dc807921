"""Keep what processes remember of the word lists in step with the database.

Connected in ModerationConfig.ready() to every save and delete of a word
list (the moderators' page, the admin, a fixture), so that no edit can
forget to move the version ``wordlists.word_lists`` is kept under.
"""

from __future__ import annotations

from typing import Any

from .wordlists import word_lists


def word_lists_changed(sender: Any, **kwargs: Any) -> None:
    word_lists.bump()
