"""What bench/profile_read.py and bench/profile_write.py share: the
environment of a counted process, one request through the WSGI handler
that soundoff.asgi's gateway calls, and callgrind's count of a process.

Timing on a machine other work shares says little; an instruction count
does not change with the load.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

from bench import instances, servers


def environment(work: Path, redis_url: str) -> dict[str, str]:
    """bench/instances.py's environment (rate limits out of the way, as
    bench/run raises them), with the floor's route (bench.settings)."""
    env = instances.base_env(work, work.name)
    # The same dict and set layouts in every counted process.
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", PYTHONHASHSEED="0")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def fresh_site(name: str, redis_url: str) -> tuple[Path, dict[str, str]]:
    """A run directory of its own under bench/.work, and the environment of
    a site there, migrated and with its static files collected."""
    work = servers.WORK / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    work.mkdir(parents=True)
    env = environment(work, redis_url)
    servers.manage(env, "migrate", "--noinput", "-v0")
    servers.manage(env, "collectstatic", "--noinput", "-v0")
    return work, env


def wsgi_environ(
    path_and_query: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> dict[str, Any]:
    """What the gateway hands Django for one request from the load client."""
    path, _, query = path_and_query.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body or method in {"POST", "PUT", "PATCH"}:
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ[key] = value
        else:
            environ[f"HTTP_{key}"] = value
    return environ


def serve(application: Any, environ: dict[str, Any], *, ok: Collection[int] = (200,)) -> int:
    """Answer one request; stop the run when its status is not one of ``ok``
    (a profile of error pages would mean nothing)."""
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        status.append(line)
        return lambda data: None

    result = application(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    code = int(status[0][:3])
    if code not in ok or (code == 200 and not body):
        raise SystemExit(
            f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} answered {status[0]}: "
            f"{body[:300]!r}; the profile would mean nothing."
        )
    return code


def instructions(env: dict[str, str], module: str, *args: str) -> int:
    """Instructions callgrind counts in ``python -m module args``."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        module,
        *args,
    ]
    done = subprocess.run(  # noqa: S603  (valgrind and our own interpreter)
        command, cwd=servers.ROOT, env=env, capture_output=True, text=True, check=False
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None:
        raise RuntimeError(f"{module} {args}: valgrind failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def report(found: dict[str, float], label: str) -> str:
    """Instructions per request of each shape, and the floor's over each."""
    floor = found["floor"]
    lines = [f"{label}: instructions per request (callgrind), and the floor's over the shape's"]
    for shape, count in found.items():
        lines.append(f"  {shape:<10} {count / 1e6:8.2f} M   {floor / count:6.3f}x floor")
    return "\n".join(lines)
