"""soundoff.serve loads Django before granian forks its workers: whatever
it made would be shared by every worker, so it must make no connection,
thread or open file: it loads code and serves a request that reads neither
the database nor a cache (its warm-up). (The live tests' servers are started
through it, as bin/run starts it, two workers in test_workers.py.)"""

from __future__ import annotations

import json
import os

from testkit.servers import ROOT, run_python, server_env

PRELOAD_AND_REPORT = """
import json, os, sys, threading
from django.core.cache import caches
from django.db import connections

def open_files():
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except FileNotFoundError:  # the listing's own, closed by now
            pass
    return found

files, threads = open_files(), threading.active_count()
from django.core.signals import request_finished
served = []
request_finished.connect(lambda **kwargs: served.append(True), weak=False)
from soundoff import serve
serve.preload()
print(json.dumps({
    "new_files": sorted(open_files() - files),
    "new_threads": threading.active_count() - threads,
    "connections": [c.alias for c in connections.all(initialized_only=True)
                    if c.connection is not None],
    "caches": [str(cache) for cache in caches.all(initialized_only=True)],
    "loaded": sorted({"django.urls", "soundoff.api.main", "soundoff.live.gateway",
                      "soundoff.asgi"} & set(sys.modules)),
    "served": len(served) == serve.WARM_UP_ROUNDS * len(serve.WARM_UP_PATHS),
}))
"""


def test_preloading_makes_nothing_a_fork_would_share(tmp_path):
    # On the database and Redis the test run has (PostgreSQL's pool and
    # the Redis clients are what sharing would break).
    with server_env(tmp_path) as env:
        done = run_python(
            {**env, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))},
            "-c",
            PRELOAD_AND_REPORT,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {
        "new_files": [],
        "new_threads": 0,
        "connections": [],
        "caches": [],
        # It did load the site (its URLconf, the gateway and the
        # application, which checks the settings) and served a request.
        "loaded": ["django.urls", "soundoff.api.main", "soundoff.asgi", "soundoff.live.gateway"],
        "served": True,
    }
