"""Reading an export file as a stream, with a progress line.

Exports run to hundreds of megabytes, so nothing here holds a whole file:
XML is read with defusedxml's iterparse, and every record is cleared from
the tree once it has been handled. DTDs are refused outright, which refuses
every entity trick with them (external entities reading /etc/passwd,
"billion laughs" expansion); genuine Disqus and WordPress exports have none.
"""

from __future__ import annotations

import gzip
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, BinaryIO, Protocol
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .errors import ImportFailed


class ByteSource(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class CountingReader:
    """A binary file that counts the bytes read from it, for the progress line."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self.raw.read(size)
        self.bytes_read += len(data)
        return data

    def seek(self, offset: int, whence: int = 0, /) -> int:
        # gzip asks for it, though it never seeks while reading forward.
        return self.raw.seek(offset, whence)


class Progress:
    """One line on stderr, "Reading FILE: 12.0 of 200.0 MB (6%)", redrawn at
    most five times a second so that drawing never slows the import (and
    every five seconds, one line each, when stderr is a log, not a terminal)."""

    def __init__(self, label: str, *, stream: IO[str] | None = None, total: int = 1) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.drawn_at = -1e9
        self.note = ""

    def update(self, done: int, *, note: str = "", force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.drawn_at < (0.2 if self.tty else 5.0):
            return
        self.drawn_at = now
        self.note = note or self.note
        percent = min(100, done * 100 // self.total)
        line = f"{self.label}: {done / 1e6:.1f} of {self.total / 1e6:.1f} MB ({percent}%)"
        if self.note:
            line += f" — {self.note}"
        self.stream.write(f"\r{line}\x1b[K" if self.tty else f"{line}\n")
        self.stream.flush()

    def finish(self, done: int, *, note: str = "") -> None:
        self.update(done, note=note, force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


@contextmanager
def open_export(path: Path) -> Iterator[tuple[CountingReader, ByteSource, int]]:
    """Open ``path`` for reading, un-gzipping FILE.gz (Disqus mails its
    exports gzipped) while counting the compressed bytes against its size."""
    try:
        total = path.stat().st_size
        raw = path.open("rb")
    except OSError as error:
        raise ImportFailed(f"Can't read {path}: {error.strerror or error}.") from None
    with raw:
        counter = CountingReader(raw)
        if path.suffix == ".gz":
            with gzip.GzipFile(fileobj=counter, mode="rb") as unzipped:
                yield counter, unzipped, total
        else:
            yield counter, counter, total


def local_name(tag: str) -> str:
    """``{namespace}name`` → ``name``: exports disagree on namespace versions."""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def child_text(element: Element, name: str, *, strip: bool = True) -> str:
    """The text of the first child called ``name`` (any namespace), or ""."""
    for child in element:
        if local_name(child.tag) == name:
            text = child.text or ""
            return text.strip() if strip else text
    return ""


def attribute(element: Element, name: str) -> str:
    """An attribute by local name, such as Disqus's ``dsq:id``."""
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value.strip()
    return ""


def iter_records(
    source: ByteSource,
    *,
    root: str,
    record_depth: int,
    describe: str,
    on_progress: Callable[[], None] | None = None,
) -> Iterator[tuple[Element, Element]]:
    """Yield ``(record, element)`` as each child of a record ends and as the
    record itself (an element at ``record_depth``) ends, then free the record.

    Children are yielded too so that a WordPress post with a hundred thousand
    comments can be handled comment by comment (the caller removes each one
    from the post) instead of being built whole in memory.
    """
    depth = 0
    container: Element | None = None
    record: Element | None = None
    events = iterparse(
        source,
        events=("start", "end"),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1 and local_name(element.tag) != root:
                    raise ImportFailed(
                        f"This is not {describe}: its root element is "
                        f"<{local_name(element.tag)}>, not <{root}>. Nothing was imported."
                    )
                if depth == record_depth - 1:
                    container = element
                elif depth == record_depth:
                    record = element
                continue
            if record is not None and depth in (record_depth, record_depth + 1):
                yield record, element
            if depth == record_depth:
                element.clear()
                if container is not None:
                    container.clear()
                if on_progress is not None:
                    on_progress()
            depth -= 1
    except ParseError as error:
        raise ImportFailed(
            f"The file is not well-formed XML ({error}); it may be truncated or damaged. "
            "Nothing was imported."
        ) from None
    except DefusedXmlException as error:
        raise ImportFailed(refusal(error)) from None


def refusal(error: DefusedXmlException) -> str:
    return (
        f"The file declares a DTD or entities ({type(error).__name__}), which imports refuse: "
        "that is how XML entity attacks (reading local files, “billion laughs”) work, and "
        "genuine Disqus and WordPress exports have none. Nothing was imported."
    )
