import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from soundoff.importers.export import export_jsonl, export_wxr
from soundoff.importers.services import counted


class Command(BaseCommand):
    help = (
        "Export the site: JSON Lines (posts, threads, comments, reactions, readers without "
        "passwords) or WordPress WXR (posts with their comments)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["jsonl", "wxr"], required=True)
        parser.add_argument(
            "--output", required=True, help="The file to write, or - for standard output."
        )
        parser.add_argument(
            "--with-emails",
            action="store_true",
            help="Include readers' e-mail addresses (left out by default: the file may "
            "travel further than the database).",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="The site's address, e.g. https://news.example.com, for the links in WXR.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        if output == "-":
            counts = self.write(sys.stdout, options)
        else:
            counts = self.write_atomically(Path(output), options)
        summary = ", ".join(counted(count, kind) for kind, count in sorted(counts.items()))
        self.stderr.write(f"Exported {summary or 'nothing'}.")

    def write(self, out: Any, options: dict[str, Any]) -> Any:
        if options["format"] == "jsonl":
            counts = export_jsonl(out, with_emails=options["with_emails"])
            counts.pop("export", None)
            return counts
        return export_wxr(out, with_emails=options["with_emails"], site_url=options["site_url"])

    def write_atomically(self, path: Path, options: dict[str, Any]) -> Any:
        """Write beside the target and rename, so that a failed export never
        leaves a half-written file where a good one is expected."""
        directory = path.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"The folder {directory} does not exist.")
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                counts = self.write(out, options)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return counts
