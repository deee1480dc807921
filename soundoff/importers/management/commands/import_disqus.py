from soundoff.importers.commands import ImportCommand
from soundoff.importers.disqus import import_disqus


class Command(ImportCommand):
    help = (
        "Import a Disqus export: threads become discussions of posts (matched by address) "
        "or of external pages, posts become comments. All or nothing; running it again "
        "adds nothing."
    )
    importer = staticmethod(import_disqus)
    what = "a Disqus XML export"
