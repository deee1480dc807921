"""Starting, probing, measuring and stopping the servers under test, and
running Soundoff's ``manage.py`` in their environment.

Each server runs in a session of its own, so that stopping it reaches every
worker process, and its resident memory is the sum over that session.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The tests' helpers for real servers; the Server below is not theirs: it runs
# any command (Isso's gunicorn too), on a port chosen before (Isso's config
# names it), and accounts for every process of its session.
from testkit.servers import free_port, request, run_python, start_in_session, stop_group

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
SOUNDOFF_PYTHON = ROOT / ".venv" / "bin" / "python"
ISSO_VENV = WORK / "isso-venv"


def manage(env: dict[str, str], *args: str) -> str:
    """``manage.py`` under Soundoff's interpreter; its output, or an error
    carrying the end of what it wrote to stderr."""
    done = run_python(env, "manage.py", *args, timeout=900)
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def soundoff_data(env: dict[str, str], **args: Any) -> dict[str, Any]:
    """One action of bench/soundoff_data.py, run in ``manage.py shell``."""
    code = "from bench import soundoff_data; soundoff_data.main()"
    out = manage({**env, "BENCH_ARGS": json.dumps(args)}, "shell", "--no-imports", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


def answers(port: int, path: str) -> bool:
    try:
        return request(port, "GET", path)[0] < 500
    except OSError:
        return False


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    probe: str = "/"
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, timeout: float = 60.0) -> Server:
        self.port = self.port or free_port()
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = start_in_session(command, self.env, self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log}")
            if answers(self.port, self.probe):
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s; see {self.log}")

    def pids(self) -> list[int]:
        """Every process of the server's session (its workers included)."""
        if self.process is None:
            return []
        sid = self.process.pid
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == sid:  # field 6 of stat: the session id
                    found.append(int(entry.name))
        return found

    def rss_mb(self) -> float:
        """Resident memory of the whole server, in MiB: every process's
        resident set added up (pages shared between them count once each)."""
        return self.memory()["rss"]

    def memory(self) -> dict[str, float]:
        """The server's memory in MiB, from each process's smaps_rollup:
        ``rss`` adds up the resident sets, ``pss`` the proportional sets
        (a page shared by n processes counts 1/n in each, so the interpreter,
        the libraries and anything else shared count once for the whole
        server: what it takes from the machine)."""
        total = {"rss": 0, "pss": 0}
        for pid in self.pids():
            with contextlib.suppress(OSError, ValueError, IndexError):
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    name, _, rest = line.partition(":")
                    if name in ("Rss", "Pss"):
                        total[name.lower()] += int(rest.split()[0])
        return {key: kib / 1024 for key, kib in total.items()}

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self) -> None:
        if self.process is None:
            return
        stop_group(self.process)
        # Workers left behind by a master that exited first.
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def served_like_bin_run() -> tuple[str, str]:
    """(granian interface, application) as bin/run serves Soundoff today:
    ``wsgi`` with soundoff.wsgi, or ``rsgi``/``asgi`` with soundoff.asgi (the
    gateway that serves pages in threads and live streams on one origin)."""
    script = (ROOT / "bin" / "run").read_text()
    interface = re.search(r"(?:granian|soundoff\.serve) --interface\s+(\w+)", script)
    app = re.search(r"(soundoff\.\w+:application)", script)
    return (
        interface.group(1) if interface else "wsgi",
        app.group(1) if app else "soundoff.wsgi:application",
    )


def granian_command(interface: str, app: str, *, workers: int, threads: int) -> list[str]:
    """Granian as bin/run starts it (the interface, the application, the
    flags), with the worker count made explicit. Under the gateway the page
    threads are SOUNDOFF_THREADS, which the caller puts in the environment."""
    command = [
        str(SOUNDOFF_PYTHON),
        # bin/run's launcher: granian, with Django loaded before the fork.
        *("-m", "soundoff.serve", "--interface", interface),
        *("--host", "127.0.0.1", "--port", "{port}"),
        *("--workers", str(workers)),
        *("--backlog", "2048"),
        *("--http", "1", "--no-ws"),
    ]
    if interface == "wsgi":
        command += ["--blocking-threads", str(threads)]
    else:
        # Open streams plus requests in flight, per worker (bin/run's default).
        command += ["--backpressure", "16384"]
    return [*command, app]


def isso_command(workers: int) -> list[str]:
    """Isso as its documentation deploys it: gunicorn with sync workers."""
    return [
        str(ISSO_VENV / "bin" / "gunicorn"),
        *("--workers", str(workers), "--bind", "127.0.0.1:{port}"),
        "--preload",
        "--no-control-socket",
        # gunicorn kills a worker whose request runs past --timeout (30 s by
        # default); Isso's biggest threads take longer than that to render,
        # and the benchmark measures what they cost rather than failing them.
        *("--timeout", "600"),
        "isso.run",
    ]


def unwind_on_sigterm() -> None:
    """Make SIGTERM (a timeout, a kill) unwind like Ctrl-C, so that the
    servers a benchmark started are stopped by its ``finally`` blocks."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
