"""Reading one export file into an import run, entirely or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from xml.etree.ElementTree import Element

from django.db import transaction

from .reading import Progress, iter_records, open_export
from .services import ImportReport, ImportRun


class ExportReader(Protocol):
    """What an importer for one format gives the runner."""

    run: ImportRun

    def element(self, record: Element, element: Element) -> None:
        """Take one parsed element of the current record."""


def read_export(
    path: Path,
    start: Callable[[], ExportReader],
    *,
    root: str,
    record_depth: int,
    describe: str,
    progress: Progress | None,
    dry_run: bool,
) -> ImportReport:
    """Stream ``path`` through the importer that ``start`` makes, in one
    transaction: any structural error (ImportFailed) leaves nothing behind,
    and a dry run rolls back what it did."""
    with transaction.atomic():
        importer = start()
        with open_export(path) as (counter, stream, total):
            if progress is not None:
                progress.total = max(total, 1)

            def redraw() -> None:
                if progress is not None:
                    progress.update(counter.bytes_read, note=importer.run.report.progress_note())

            for record, element in iter_records(
                stream,
                root=root,
                record_depth=record_depth,
                describe=describe,
                on_progress=redraw,
            ):
                importer.element(record, element)
            report = importer.run.finish()
            if progress is not None:
                progress.finish(counter.bytes_read, note=report.progress_note())
        if dry_run:
            report.dry_run = True
            transaction.set_rollback(True)
    return report
