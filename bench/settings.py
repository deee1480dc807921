"""Soundoff's settings plus the benchmark's one extra route (bench/floor_urls.py).

Only the benchmark uses this module; it changes nothing else, so the floor
view runs behind exactly the middleware the real pages run behind.
``BENCH_CACHE=dummy`` turns every cache off, for the cold-page measurement.
"""

import os

from soundoff.settings import *  # noqa: F403  (a bench-only overlay, nothing else)

ROOT_URLCONF = "bench.floor_urls"

if os.environ.get("BENCH_CACHE") == "dummy":
    _dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    CACHES = {"default": _dummy, "shared": _dummy}
