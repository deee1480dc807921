"""Isso's side of the bulk loads, run with the Isso virtualenv's Python:

    bench/.work/isso-venv/bin/python bench/isso_bulk.py DBPATH '[["key", size], …]'

Writes whole threads into Isso's SQLite file exactly as Isso's own
``Comments.add`` would (the same columns, the voters Bloom filter, the same
mode), in one transaction instead of one per comment. The schema must
already exist: start Isso on the file once first. The data are
bench/dataset.py's, so both systems hold the same comments.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # beside this file: Isso's Python has no Soundoff to import
from isso.utils import Bloomfilter

ADDRESS = "127.0.0.0"  # Isso stores addresses anonymised to the /24


def load(db: Path, threads: list[dataset.Thread]) -> int:
    voters = memoryview(Bloomfilter(iterable=[ADDRESS]).array)
    con = sqlite3.connect(db)
    with con:
        for spec in threads:
            uri = dataset.isso_uri(spec)
            cur = con.execute(
                "INSERT INTO threads (uri, title) VALUES (?, ?)", (uri, f"Benchmark {spec.key}")
            )
            tid = cur.lastrowid
            ids: dict[int, int] = {}
            start = time.time() - spec.size
            for n in range(spec.size):
                above = dataset.parent(n)
                cur = con.execute(
                    "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr,"
                    " text, author, email, website, voters, notification)"
                    " VALUES (?, ?, ?, NULL, 1, ?, ?, ?, NULL, NULL, ?, 0)",
                    (
                        tid,
                        ids[above] if above is not None else None,
                        start + n,
                        ADDRESS,
                        dataset.text(spec, n),
                        dataset.author_name(n),
                        voters,
                    ),
                )
                assert cur.lastrowid is not None  # set by every INSERT
                ids[n] = cur.lastrowid
    total = con.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
    con.close()
    return total


if __name__ == "__main__":
    specs = [dataset.Thread(key, size) for key, size in json.loads(sys.argv[2])]
    print(json.dumps({"comments": load(Path(sys.argv[1]), specs)}))
