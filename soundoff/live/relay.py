"""Wake-ups that tell every worker serving streams to read the journal.

Without Redis, events travel through the journal (journal.py), which every
serving worker follows. So that a comment reaches readers at once rather
than at the next look, whoever journals an event (a web worker, the task
worker, a management command) then sends an empty datagram to each
serving worker's Unix socket in one directory. The datagram carries
nothing: what is delivered is only ever read from the journal, so a
process able to write to a socket can make a worker look early, never
make it send something. Sockets left by a killed worker refuse the
datagram and are removed by the next sender; a wake-up lost to a full
socket buffer is covered, because that worker has others waiting to be
read, and each worker also looks every FOLLOW_INTERVAL seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable
from typing import Any

from .journal import sockets_directory

logger = logging.getLogger(__name__)


def wake_all() -> int:
    """Wake every serving worker; returns how many were reached."""
    try:
        entries = list(os.scandir(sockets_directory()))
    except FileNotFoundError:
        return 0
    reached = 0
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        for entry in entries:
            try:
                sock.sendto(b"", entry.path)
                reached += 1
            except BlockingIOError:
                reached += 1  # Its buffer is full of wake-ups it has yet to read.
            except (ConnectionRefusedError, FileNotFoundError):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)  # A worker that died without cleaning up.
            except OSError as error:
                logger.warning("Could not wake a live worker: %s", error)
    return reached


class _Receiver(asyncio.DatagramProtocol):
    def __init__(self, wake: Callable[[], None]) -> None:
        self.wake = wake

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.wake()


class Listener:
    """This worker's socket, bound until ``close``."""

    def __init__(self, path: str, transport: asyncio.BaseTransport) -> None:
        self.path = path
        self.transport = transport

    def close(self) -> None:
        self.transport.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


async def listen(wake: Callable[[], None]) -> Listener:
    """Call ``wake`` on this loop whenever someone journals an event."""
    folder = sockets_directory()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = str(folder / f"{os.getpid()}-{secrets.token_hex(4)}.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    old_umask = os.umask(0o177)
    try:
        sock.bind(path)
    except OSError:
        sock.close()
        raise
    finally:
        os.umask(old_umask)
    transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
        lambda: _Receiver(wake), sock=sock
    )
    return Listener(path, transport)
