"""What can go wrong in an import."""

from __future__ import annotations


class ImportFailed(Exception):
    """The file can't be imported at all (not XML, truncated, hostile, the
    wrong kind of export); the transaction is rolled back and the message
    tells the operator what to do."""


class RecordSkipped(Exception):
    """One record can't be imported; it is counted under ``reason`` in the
    report and the import goes on (or stops, with --strict)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
