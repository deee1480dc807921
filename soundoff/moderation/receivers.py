"""Keep what processes remember of the word lists, the sanctions and the
pre-moderated readers in step with the database.

Connected in ModerationConfig.ready() to every save and delete of a word
list, a sanction or a pre-moderation (the moderators' pages, the admin, a
fixture, an account's deletion), so that no change can forget to move the
version its cache is kept under.
"""

from __future__ import annotations

from typing import Any

from .queries import restricted_readers
from .wordlists import word_lists


def word_lists_changed(sender: Any, **kwargs: Any) -> None:
    word_lists.bump()


def restricted_readers_changed(sender: Any, **kwargs: Any) -> None:
    restricted_readers.bump()
