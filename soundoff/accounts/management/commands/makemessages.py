"""``manage.py makemessages``, reading only what ships.

Django's command reads every file under the current directory; here that
would be the tests, the benchmarks, the data directory and the npm packages
of the test tools too. Run from the repository's root, it writes
soundoff/locale/<language>/LC_MESSAGES/django.po (and djangojs.po with
``-d djangojs``); see "Languages" in the README.
"""

from typing import Any

from django.core.management.commands import makemessages

# Paths (fnmatch patterns, from the repository's root) holding no string
# that ships.
NOT_SHIPPED = ["tests/*", "bench/*", "var/*", "requirements/*", "node_modules/*", "bin/*"]


class Command(makemessages.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_SHIPPED]
        super().handle(*args, **options)
