from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from soundoff.newsroom.demo import load_demo
from soundoff.newsroom.models import Post


class Command(BaseCommand):
    help = "Load the demo newsroom (invented posts, readers and comments)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the site has no posts yet (what bin/run does on first run).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Post.objects.exists():
            return
        created = load_demo()
        self.stdout.write(f"Loaded {created} demo posts. Remove them with: manage.py remove_demo")
