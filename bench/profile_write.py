"""CPU work per comment posted, counted in instructions, against the floor.

    .venv/bin/python -m bench.profile_write                     # bin/run's caches
    .venv/bin/python -m bench.profile_write --redis redis://127.0.0.1:6379/6
    .venv/bin/python -m bench.profile_write --cprofile api      # where it goes
    .venv/bin/python -m bench.profile_write --comments 100000   # bench/scale's big database

A comment as bench/run's writes post it: ``POST /api/v1/comments`` by a
signed-in reader with an API token and an Idempotency-Key, 32 readers in
turn, rate limits raised out of the way as bench/run raises them; and the
same comment from the post page's form (``form``: a reader's session and
CSRF token, answered by a redirect). Each shape is counted by valgrind's
callgrind in a process of its own, set up as ``bin/run`` serves
(``soundoff.asgi``: the WSGI handler the gateway calls, every middleware,
the real caches and database). It answers every shape a few times to warm
up and then its shape N times; one more process only warms up. The
difference over N is the shape's instructions per request, all of the
process's threads counted (the live event is built on a thread of its own,
and waited for at exit), and the floor's (``/bench/floor/``) is measured in
the same run. The task worker is not started: scoring is not part of a
request, only enqueueing it is.

``--cprofile`` profiles the request alone: the live events are built
after each request, outside the profile.

``--comments N`` first bulk-loads the database as bench/scale does (the
write thread and the 10-, 200- and 2,000-comment threads, ≈2,220
comments, then 500-comment threads up to N), after ``migrate`` gathered
the planner's statistics on the empty one: ``--comments 2220`` and
``--comments 100000`` are its small and big databases, to see what a
comment costs more in the big one.

Nothing here leaves ``bench/.work/profile-write-*``; Redis keys carry the
run's prefix and are left to expire.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import dataset, profiling, servers, shapes

SHAPES = ("floor", "api", "form")
WARM_UP = 3  # rounds of every shape before the counted ones
CSRF_SECRET = "b" * 32  # the form's token and the cookie's: Django takes a bare secret


# --- inside the counted process -----------------------------------------------------


def _requests(setup: dict[str, Any]) -> dict[str, Callable[[int], dict[str, Any]]]:
    """Each shape's n-th request, as a WSGI environ."""
    from django.conf import settings
    from django.test import Client

    from soundoff.api.tokens import reader_for_token

    api = shapes.soundoff_write(setup["thread"], setup["tokens"])
    spec = dataset.write_thread()
    marker = uuid.uuid4().hex[:8]
    sessions = []
    for token in setup["tokens"]:
        reader = reader_for_token(token)
        if reader is None:
            raise SystemExit("A bench reader's token no longer names them; set the site up again.")
        client = Client()
        client.force_login(reader)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)

    def api_request(n: int) -> dict[str, Any]:
        request = api(n)
        return profiling.wsgi_environ(
            request.path, method=request.method, headers=request.headers, body=request.body
        )

    def form_request(n: int) -> dict[str, Any]:
        body = urlencode(
            {
                "csrfmiddlewaretoken": CSRF_SECRET,
                "body": f"{dataset.text(spec, n)} [form-{marker}-{n}]",
                "submission_key": str(uuid.uuid4()),
            }
        ).encode()
        cookies = (
            f"{settings.SESSION_COOKIE_NAME}={sessions[dataset.author(n)]}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies}
        return profiling.wsgi_environ(
            f"/posts/{spec.key}/comments/", method="POST", headers=headers, body=body
        )

    return {
        "floor": lambda n: profiling.wsgi_environ("/bench/floor/"),
        "api": api_request,
        "form": form_request,
    }


OK = {"floor": (200,), "api": (201,), "form": (303,)}


def counted(shape: str, requests: int, setup: dict[str, Any]) -> None:
    """The process valgrind counts: warm up on every shape, then ``shape``."""
    # Only the counted process sets Django up, and after its environment is set.
    from soundoff.asgi import pages
    from soundoff.live.receivers import publisher

    make = _requests(setup)
    n = 0
    for _ in range(WARM_UP):
        for each in SHAPES:
            profiling.serve(pages, make[each](n), ok=OK[each])
            n += 1
    for _ in range(requests):
        profiling.serve(pages, make[shape](n), ok=OK[shape])
        n += 1
    # The live events of every comment, built on the publisher's thread.
    publisher.flush()


# --- the run -------------------------------------------------------------------------


def per_request(env: dict[str, str], requests: int, shapes_wanted: list[str]) -> dict[str, float]:
    """Instructions per request of the floor and ``shapes_wanted``, one
    process at a time (they write to the same database)."""
    base = profiling.instructions(env, "bench.profile_write", "--count", "floor", "0")
    return {
        shape: (
            profiling.instructions(env, "bench.profile_write", "--count", shape, str(requests))
            - base
        )
        / requests
        for shape in shapes_wanted
    }


def profile(env: dict[str, str], shape: str, requests: int, out: Path) -> None:
    """cProfile of ``shape`` in this process: what its requests call, by own
    time and by cumulative time; the whole profile is written to ``out``."""
    os.environ.update(env)
    from soundoff.asgi import pages  # after the environment is set
    from soundoff.live import receivers

    # The live events are built after each request, outside the profile: on
    # their own thread they would run in the middle of the request's and
    # wall time would charge their work to whatever the request was doing.
    submitted: list[tuple[int, str]] = []
    receivers.publisher.submit = lambda comment_id, change: submitted.append((comment_id, change))  # type: ignore[method-assign]

    def publish() -> None:
        while submitted:
            receivers.publish_now(*submitted.pop(0))

    make = _requests(json.loads(env["BENCH_WRITE"]))
    for n in range(WARM_UP):
        profiling.serve(pages, make[shape](n), ok=OK[shape])
        publish()
    profiler = cProfile.Profile()
    for n in range(WARM_UP, WARM_UP + requests):
        profiler.enable()
        profiling.serve(pages, make[shape](n), ok=OK[shape])
        profiler.disable()
        publish()
    profiler.dump_stats(out)
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)
    print(f"The whole profile: {out} (python -m pstats {out})")


def seed(env: dict[str, str], comments: int) -> None:
    """bench/scale's bulk load, up to ``comments`` comments in the database."""
    small = [dataset.write_thread(), *dataset.read_threads()[:3]]
    already = servers.soundoff_data(env, action="bulk", threads=[[s.key, s.size] for s in small])
    filler = dataset.filler_threads(already["comments"], comments)
    # 20,000 comments per shell, each well within manage's time limit on a loaded machine.
    for first in range(0, len(filler), 40):
        batch = filler[first : first + 40]
        servers.soundoff_data(env, action="bulk", threads=[[s.key, s.size] for s in batch])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default="", help="a redis:// URL: the caches there")
    parser.add_argument("--requests", type=int, default=100, help="counted requests per shape")
    parser.add_argument("--cprofile", choices=SHAPES, default="")
    parser.add_argument("--shapes", default="api,form", help="shapes besides the floor")
    parser.add_argument(
        "--comments", type=int, default=0, help="bulk-load to this many comments first"
    )
    parser.add_argument("--count", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        shape, requests = args.count
        counted(shape, int(requests), json.loads(os.environ["BENCH_WRITE"]))
        return
    work, env = profiling.fresh_site("profile-write", args.redis)
    prepared = servers.soundoff_data(env, action="prepare")
    if args.comments:
        seed(env, args.comments)
    setup = {
        "thread": prepared["threads"][dataset.write_thread().key],
        "tokens": prepared["tokens"],
    }
    env["BENCH_WRITE"] = json.dumps(setup)
    if args.cprofile:
        profile(env, args.cprofile, args.requests, work / f"{args.cprofile}.prof")
        return
    found = per_request(env, args.requests, ["floor", *args.shapes.split(",")])
    label = f"{'Redis' if args.redis else 'local caches'} ({work.name})"
    if args.comments:
        label += f", {args.comments:,} comments bulk-loaded"
    print(profiling.report(found, label))


if __name__ == "__main__":
    main()
