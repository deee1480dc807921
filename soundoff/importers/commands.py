"""What the three import commands share: arguments, progress and report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .errors import ImportFailed
from .reading import Progress
from .services import ImportReport

Importer = Callable[..., ImportReport]


class ImportCommand(BaseCommand):
    importer: Importer
    what = "an export"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=f"The file: {self.what} (or FILE.gz).")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Import nothing if any record can't be imported (by default such records "
            "are counted in the report and left out).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check the whole file, report, and keep nothing.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Don't draw the progress line."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        progress = None
        if not options["no_progress"]:
            progress = Progress(f"Reading {path.name}", stream=self.stderr_stream())
        try:
            report = type(self).importer(
                path, progress=progress, strict=options["strict"], dry_run=options["dry_run"]
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)

    def stderr_stream(self) -> IO[str]:
        """The real stream under Django's OutputWrapper, which would end every
        write with a newline and so break a redrawn line."""
        stream: IO[str] = getattr(self.stderr, "_out", sys.stderr)
        return stream
