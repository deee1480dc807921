"""Isso 0.14's side of the run: its configuration, its server, its database.

(Not ``bench/isso.py``: bench/isso_bulk.py runs with this folder first on
its path, and would import that instead of Isso itself.)
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

from bench import dataset
from bench.servers import ISSO_VENV, ROOT, Server, free_port, isso_command


def database(run_dir: Path) -> Path:
    return run_dir / "isso" / "comments.db"


def start(run_dir: Path, *, workers: int) -> Server:
    """Isso on an empty database, moderation and guard off, answering."""
    (run_dir / "isso").mkdir()
    port = free_port()
    config = run_dir / "isso" / "isso.cfg"
    config.write_text(
        "[general]\n"
        f"dbpath = {database(run_dir)}\n"
        f"host = http://127.0.0.1:{port}/\n"
        "[moderation]\nenabled = false\n"
        # Isso's guard allows 2 new comments a minute per address; like
        # Soundoff's rate limits, it is off so the write path is measured.
        "[guard]\nenabled = false\n"
        f"[server]\nlisten = http://127.0.0.1:{port}/\n"
    )
    return Server(
        "isso",
        isso_command(workers),
        {**os.environ, "ISSO_SETTINGS": str(config)},
        run_dir / "isso.log",
        probe="/count",
        port=port,
    ).start()


def comment_count(run_dir: Path) -> int:
    with sqlite3.connect(database(run_dir)) as con:
        return int(con.execute("SELECT COUNT(*) FROM comments").fetchone()[0])


def bulk_load(run_dir: Path, threads: list[dataset.Thread]) -> None:
    """Write ``threads`` straight into Isso's database (bench/isso_bulk.py,
    under Isso's own interpreter, for its Bloom filter)."""
    subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [
            str(ISSO_VENV / "bin" / "python"),
            str(ROOT / "bench" / "isso_bulk.py"),
            str(database(run_dir)),
            json.dumps([[t.key, t.size] for t in threads]),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
