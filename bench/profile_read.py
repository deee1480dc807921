"""CPU work per anonymous read, counted in instructions, against the floor.

    .venv/bin/python -m bench.profile_read                      # bin/run's caches
    .venv/bin/python -m bench.profile_read --redis redis://127.0.0.1:6379/6
    .venv/bin/python -m bench.profile_read --cprofile page      # where it goes

Timing on a machine other work shares says little; an instruction count
does not change with the load. Each shape is counted by valgrind's
callgrind in a process of its own, which sets Django up as ``bin/run``
serves it (``soundoff.asgi``: the WSGI handler the gateway calls, every
middleware, the real caches), answers every shape twice to warm up, and
then answers its shape N times; one more process only warms up (and,
before any is counted, one fills a shared cache such as Redis). The
difference over N is the shape's instructions per request, and the ratio
to the floor's (``/bench/floor/``: "ok" behind the same middleware) is
measured in the same run. Shapes: the floor, the post page and the API's
first page of a 200-comment thread from the cache, the same two
revalidated (If-None-Match with their ETag: 304), and the same two cold
(``BENCH_CACHE=dummy``: no cache at all).

Nothing here leaves ``bench/.work/profile-*``; Redis keys carry the run's
prefix and are left to expire.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench import dataset, profiling, servers

THREAD = dataset.Thread("bench-200", 200)
WARM_SHAPES = ("floor", "page", "api", "page 304", "api 304")
COLD_SHAPES = ("cold page", "cold api")


def paths(thread_id: int) -> dict[str, str]:
    api = f"/api/v1/threads/{thread_id}/comments?sort=oldest&limit=20"
    page = f"/posts/{THREAD.key}/"
    return {
        "floor": "/bench/floor/",
        "page": page,
        "api": api,
        "page 304": page,
        "api 304": api,
        "cold page": page,
        "cold api": api,
    }


# --- inside the counted process -----------------------------------------------------


def serve(application: Any, path: str, etag: str = "") -> int:
    """One request: a 200, or a 304 when revalidating ``etag``."""
    if etag:
        revalidating = profiling.wsgi_environ(path, headers={"If-None-Match": etag})
        return profiling.serve(application, revalidating, ok=(304,))
    return profiling.serve(application, profiling.wsgi_environ(path))


def etag_of(application: Any, path: str) -> str:
    """The ETag of ``path``'s answer, for a revalidating shape to send back."""
    headers: dict[str, str] = {}

    def start_response(line: str, given: list[tuple[str, str]], exc_info: Any = None) -> Any:
        headers.update(given)
        return lambda data: None

    result = application(profiling.wsgi_environ(path), start_response)
    result.close()
    return headers["ETag"]


def counted(shape: str, requests: int, thread_id: int) -> None:
    """The process valgrind counts: warm up on every shape, then ``shape``."""
    # Only the counted process sets Django up, and after its environment is set.
    from soundoff.asgi import pages

    urls = paths(thread_id)
    warm = COLD_SHAPES if os.environ.get("BENCH_CACHE") == "dummy" else WARM_SHAPES
    for _ in range(2):
        for each in warm:
            serve(pages, urls[each])
    # Every process asks for the ETags alike (and so they are subtracted).
    etags = {each: etag_of(pages, urls[each]) for each in warm if each.endswith(" 304")}
    for _ in range(requests):
        serve(pages, urls[shape], etag=etags.get(shape, ""))


# --- the run -------------------------------------------------------------------------


def instructions(env: dict[str, str], shape: str, requests: int, thread_id: int) -> int:
    return profiling.instructions(
        env, "bench.profile_read", "--count", shape, str(requests), str(thread_id)
    )


def per_request(
    env: dict[str, str], thread_id: int, requests: dict[str, int], jobs: int, shapes: list[str]
) -> dict[str, float]:
    """Instructions per request of the floor and ``shapes``."""
    cold_env = {**env, "BENCH_CACHE": "dummy"}
    cold = [shape for shape in COLD_SHAPES if shape in shapes]
    bases = [(env, "floor", 0), *([(cold_env, cold[0], 0)] if cold else [])]
    runs = [(env, shape, requests["warm"]) for shape in WARM_SHAPES if shape in shapes]
    runs += [(cold_env, shape, requests["cold"]) for shape in cold]
    # A shared cache (Redis) gets its entries from whichever counted process
    # renders first, which would then count a render the others don't: a
    # process of its own, not counted, fills it before any is counted.
    warm_up = [sys.executable, "-m", "bench.profile_read", "--count", "floor", "0", str(thread_id)]
    subprocess.run(warm_up, cwd=servers.ROOT, env=env, check=True)  # noqa: S603
    with ThreadPoolExecutor(jobs) as pool:
        counts = list(
            pool.map(lambda run: instructions(run[0], run[1], run[2], thread_id), [*bases, *runs])
        )
    warm_base, cold_base = counts[0], counts[1] if cold else 0
    return {
        shape: (total - (cold_base if shape in COLD_SHAPES else warm_base)) / n
        for (_, shape, n), total in zip(runs, counts[len(bases) :], strict=True)
    }


def profile(env: dict[str, str], shape: str, thread_id: int, requests: int) -> None:
    """cProfile of ``shape`` in this process: what its requests call, by own time."""
    os.environ.update(env)
    if shape in COLD_SHAPES:
        os.environ["BENCH_CACHE"] = "dummy"
    from soundoff.asgi import pages  # after the environment is set

    url = paths(thread_id)[shape]
    for _ in range(3):
        serve(pages, url)
    etag = etag_of(pages, url) if shape.endswith(" 304") else ""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        serve(pages, url, etag=etag)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default="", help="a redis:// URL: the caches there")
    parser.add_argument("--requests", type=int, default=100, help="counted cached requests")
    parser.add_argument("--cold-requests", type=int, default=20, help="counted cold requests")
    parser.add_argument("--jobs", type=int, default=2, help="valgrind processes at once")
    parser.add_argument("--cprofile", choices=[*WARM_SHAPES, *COLD_SHAPES], default="")
    parser.add_argument(
        "--shapes",
        default=",".join(WARM_SHAPES[1:] + COLD_SHAPES),
        help="shapes besides the floor",
    )
    parser.add_argument("--count", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        shape, requests, thread_id = args.count
        counted(shape, int(requests), int(thread_id))
        return
    work, env = profiling.fresh_site("profile", args.redis)
    thread_id = servers.soundoff_data(env, action="bulk", threads=[[THREAD.key, THREAD.size]])[
        "threads"
    ][THREAD.key]
    if args.cprofile:
        profile(env, args.cprofile, thread_id, args.requests)
        return
    requests = {"warm": args.requests, "cold": args.cold_requests}
    shapes = ["floor", *args.shapes.split(",")]
    found = per_request(env, thread_id, requests, args.jobs, shapes)
    label = f"{'Redis' if args.redis else 'local caches'} ({work.name})"
    print(profiling.report(found, label))


if __name__ == "__main__":
    main()
