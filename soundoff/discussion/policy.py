"""How a discussion is run: its mode, slow mode and automatic closing."""

from __future__ import annotations

from dataclasses import dataclass

from .models import DiscussionMode, Thread


@dataclass(frozen=True)
class DiscussionPolicy:
    mode: DiscussionMode = DiscussionMode.OPEN
    slow_mode_seconds: int = 0
    close_after_hours: int | None = None

    @classmethod
    def of(cls, thread: Thread) -> DiscussionPolicy:
        return cls(DiscussionMode(thread.mode), thread.slow_mode_seconds, thread.close_after_hours)

    def apply_to(self, thread: Thread) -> None:
        thread.mode = self.mode
        thread.slow_mode_seconds = self.slow_mode_seconds
        thread.close_after_hours = self.close_after_hours
