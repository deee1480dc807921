"""What a server process holds before its first request.

Every module imported at start stays in every worker's memory for life
(bench/live measures it: ~90 MB per worker). Those only a rare request needs
are imported by that request: the sign-in protocol (Authlib, requests,
cryptography: ~25 MB), Unicode's confusables table (~14 MB, decoded on
import) and, on SQLite, PostgreSQL's driver (~14 MB, which the PostgreSQL
search expressions import). The scoring models (numpy, scikit-learn) are
the task worker's alone. This loads what a worker loads at start, the
URLconf included, in a fresh interpreter.
"""

from __future__ import annotations

import json
import os

from testkit.servers import run_python

LOAD_LIKE_A_WORKER = """
import json, sys
import soundoff.asgi
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def loaded_at_start() -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "soundoff.settings"}
    done = run_python(env, "-c", LOAD_LIKE_A_WORKER)
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_worker_starts_without_what_only_rare_requests_need():
    loaded = loaded_at_start()
    assert "django" in loaded  # it did load the site
    only_for_rare_requests = {"authlib", "requests", "joserfc", "confusable_homoglyphs"}
    only_for_the_task_worker = {"numpy", "sklearn", "profanity_check"}
    assert not loaded & (only_for_rare_requests | only_for_the_task_worker)
    if not os.environ.get("DATABASE_URL"):
        # On SQLite, PostgreSQL's driver (~14 MB) has no business here.
        assert "psycopg" not in loaded
