from soundoff.importers.commands import ImportCommand
from soundoff.importers.wordpress import import_wordpress


class Command(ImportCommand):
    help = (
        "Import a WordPress export (WXR): posts with their dates and bodies, and their "
        "comments. All or nothing; running it again adds nothing."
    )
    importer = staticmethod(import_wordpress)
    what = "a WordPress WXR export"
