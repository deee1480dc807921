"""Reading one export file into an import run, entirely or not at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypedDict
from xml.etree.ElementTree import Element

from django.db import transaction

from .reading import ByteSource, CountingReader, Progress, iter_records, open_export
from .services import ImportReport, ImportRun


class ExportReader(Protocol):
    """What an importer for one format gives the runner."""

    run: ImportRun

    def element(self, record: Element, element: Element) -> None:
        """Take one parsed element of the current record."""


@dataclass(frozen=True)
class XmlRecords:
    """Where an XML export's records are: under the element ``root``, each
    at ``record_depth``; ``describe`` names the export in errors."""

    root: str
    record_depth: int
    describe: str


class ImportOptions(TypedDict, total=False):
    """What the import commands pass every importer."""

    progress: Progress | None
    strict: bool
    dry_run: bool


def read_export(
    path: Path,
    start: Callable[..., ExportReader],
    records: XmlRecords,
    *,
    progress: Progress | None = None,
    strict: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Stream ``path`` through the importer that ``start(strict=...)`` makes, in one
    transaction (see import_in_one_transaction)."""

    def read_all(counter: CountingReader, stream: ByteSource) -> ImportReport:
        importer = start(strict=strict)

        def redraw() -> None:
            if progress is not None:
                progress.update(counter.bytes_read, note=importer.run.report.progress_note())

        for record, element in iter_records(
            stream,
            root=records.root,
            record_depth=records.record_depth,
            describe=records.describe,
            on_progress=redraw,
        ):
            importer.element(record, element)
        return importer.run.finish()

    return import_in_one_transaction(path, read_all, progress=progress, dry_run=dry_run)


def import_in_one_transaction(
    path: Path,
    read_all: Callable[[CountingReader, ByteSource], ImportReport],
    *,
    progress: Progress | None,
    dry_run: bool,
) -> ImportReport:
    """Open ``path`` and let ``read_all`` import it, in one transaction: any
    structural error (ImportFailed) leaves nothing behind, and a dry run
    rolls back what it did. ``progress`` learns the size and the end."""
    with transaction.atomic():
        with open_export(path) as (counter, stream, total):
            if progress is not None:
                progress.total = max(total, 1)
            report = read_all(counter, stream)
            if progress is not None:
                progress.finish(counter.bytes_read, note=report.progress_note())
        if dry_run:
            report.dry_run = True
            transaction.set_rollback(True)
    return report
