"""``python -m soundoff.serve [granian's options] soundoff.asgi:application``:
granian, with Django loaded once, before it forks its workers.

granian's supervisor imports nothing of the application: each worker loads
Django, the URLconf and every view on its own, ~55 MB of objects private to
that worker. Loaded here first, the workers are forked with those pages
shared until written (bench/live_memory, 2 workers, no stream: 134 -> 107
MiB PSS for the instance). What is loaded is code and configuration only:
no database connection, cache client, broker, thread or socket is made
before the fork (tests/live/test_preload.py keeps it so); each worker then
imports soundoff.asgi itself, which checks the settings and makes its own.

The workers are forked, whatever the interpreter's default start method
(Python 3.14's forkserver would make granian spawn fresh interpreters and
waste what is loaded here). A worker granian restarts is forked from this
same loaded state, so a code change needs a restart of the whole server.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys

import django
from django.conf import settings
from django.urls import get_resolver
from django.utils.module_loading import import_string
from granian.cli import cli


def preload() -> None:
    """Import what every worker imports before its first request: the
    apps, the middleware, the URLconf with every view, the live endpoint."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")
    django.setup(set_prefix=False)
    for middleware in settings.MIDDLEWARE:
        import_string(middleware)
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    import_string("soundoff.live.gateway.Gateway")
    # Objects made so far are never freed: keep the collector from writing
    # to their pages in every worker (which would unshare them).
    gc.collect()
    gc.freeze()


def main() -> None:
    multiprocessing.set_start_method("fork", force=True)
    preload()
    # granian's own command line, as if it had been started by its name.
    cli(args=sys.argv[1:], prog_name="granian")


if __name__ == "__main__":
    main()
