from soundoff.importers.commands import ImportCommand
from soundoff.importers.jsonl import import_jsonl


class Command(ImportCommand):
    help = (
        "Import a Soundoff JSON Lines export (export --format jsonl) into this site. "
        "All or nothing; running it again adds nothing."
    )
    importer = staticmethod(import_jsonl)
    what = "a Soundoff JSON Lines export"
