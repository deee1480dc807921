from typing import Any

from django.core.management.base import BaseCommand

from soundoff.newsroom.demo import remove_demo


class Command(BaseCommand):
    help = "Remove the demo posts, their discussions and the demo readers."

    def handle(self, *args: Any, **options: Any) -> None:
        posts, readers = remove_demo()
        self.stdout.write(f"Removed {posts} demo posts and {readers} demo readers.")
