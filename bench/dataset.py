"""The one data set both systems are seeded with, comment for comment.

Every thread's n-th comment has the same text, the same author name and the
same place in the tree on Soundoff and on Isso: two of every three comments
are top-level, the third replies to the comment two before it.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

# Threads read by the benchmark, by number of comments.
THREAD_SIZES = (10, 200, 2_000, 20_000)
# Pages whose counts are asked for at once; page k has (k % 5) + 1 comments.
COUNT_PAGES = 50
# Counts asked for in one request: issue 10 names 20 pages, earlier runs 50.
COUNTED_AT_ONCE = (20, COUNT_PAGES)
# Comments on the thread the write benchmark posts to, before it starts.
WRITE_THREAD_START = 10
# Readers who write the comments (Soundoff accounts; Isso author names).
READERS = 32
# The 100,000-comments variant adds threads of this size until the database
# holds this many comments.
FILLER_THREAD_SIZE = 500
BIG_DATABASE = 100_000
# Outside pages (Soundoff's embed threads, Isso's URIs) live here.
PAGE_ORIGIN = "http://news.example.org"

_SENTENCE = (
    "the council said the bridge will stay closed while engineers check the cables "
    "residents on the east bank reported water in basements overnight and the mayor "
    "asked everyone to stay off the river road until the morning update"
)
_WORDS = _SENTENCE.split()
_NAMESPACE = uuid.UUID("6f1d3c2e-4b7a-4e0f-9a51-0d6c2b8e7f10")


@dataclass(frozen=True)
class Thread:
    key: str  # a post slug on Soundoff; /posts/<key>/ on Isso
    size: int


def scaled(size: int) -> int:
    """BENCH_SCALE=0.05 shrinks every thread, for a quick smoke test of the
    harness; the threads keep their names (bench-20000 and so on)."""
    return max(1, round(size * float(os.environ.get("BENCH_SCALE") or 1)))


def read_threads() -> list[Thread]:
    return [Thread(f"bench-{size}", scaled(size)) for size in THREAD_SIZES]


def write_thread() -> Thread:
    return Thread("bench-writes", WRITE_THREAD_START)


def count_pages() -> list[Thread]:
    return [Thread(f"page-{k}", (k % 5) + 1) for k in range(COUNT_PAGES)]


def counts_run(size: int) -> str:
    """The name under which counts of ``size`` pages are recorded (the 50
    pages keep the name of the runs before there were two sizes)."""
    return "counts" if size == COUNT_PAGES else f"counts{size}"


def filler_threads(already: int, target: int = BIG_DATABASE) -> list[Thread]:
    """Threads that bring a database holding ``already`` comments to ``target``."""
    missing = max(0, scaled(target) - already)
    count = -(-missing // FILLER_THREAD_SIZE)
    return [Thread(f"filler-{k}", FILLER_THREAD_SIZE) for k in range(count)]


def isso_uri(thread: Thread) -> str:
    if thread.key.startswith("page-"):
        return f"/pages/{thread.key}/"
    return f"/posts/{thread.key}/"


def page_url(thread: Thread) -> str:
    """The outside page a count-page thread belongs to, on Soundoff."""
    return f"{PAGE_ORIGIN}/pages/{thread.key}/"


def text(thread: Thread, n: int) -> str:
    """The n-th comment of a thread: a few sentences, one with emphasis."""
    start = (n * 7 + len(thread.key)) % len(_WORDS)
    words = [_WORDS[(start + i) % len(_WORDS)] for i in range(24 + n % 17)]
    words[3] = f"*{words[3]}*"
    return f"{' '.join(words).capitalize()}. (Comment {n} on {thread.key}.)"


def author(n: int) -> int:
    return n % READERS


def author_name(n: int) -> str:
    return f"Reader {author(n) + 1}"


def parent(n: int) -> int | None:
    """The index of the comment the n-th one replies to, if any."""
    return n - 2 if n % 3 == 2 else None


def submission_key(thread: Thread, n: int) -> str:
    """Soundoff's Idempotency-Key for a seeded comment: a retried seed is a no-op."""
    return str(uuid.uuid5(_NAMESPACE, f"{thread.key}/{n}"))
