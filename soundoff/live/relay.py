"""Events from processes that serve no streams, relayed to the one that does.

Without Redis, the web process serves every stream (see gateway.py), and a
comment posted through a page reaches them through memory. The task worker
changes comments too (it holds one its scorer flagged), so it sends its
events as datagrams on a Unix socket that the serving process listens on:
no database write on anyone's path, delivery within a millisecond, and
nothing to clean up. If no process is listening the event is dropped, as it
would be with no stream open.

The socket's name is derived from the database, so a test run and a
development server on one machine never hear each other; it sits in the
data directory with mode 0600, since whoever can write to it can put HTML
in front of readers.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from .events import LiveEvent

logger = logging.getLogger(__name__)

# AF_UNIX paths are limited to 108 bytes; past this, the temporary directory.
_MAX_PATH = 100


def socket_path() -> str:
    database = settings.DATABASES["default"]
    identity = "|".join(str(database.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME"))
    name = f"live-{hashlib.sha256(identity.encode()).hexdigest()[:16]}.sock"
    path = Path(settings.DATA_DIR) / name
    if len(str(path)) > _MAX_PATH:
        path = Path(tempfile.gettempdir()) / f"soundoff-{name}"
    return str(path)


def send(event: LiveEvent) -> bool:
    """Hand ``event`` to the serving process; False if none is listening."""
    data = json.dumps(event, separators=(",", ":")).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        try:
            sock.sendto(data, socket_path())
        except (FileNotFoundError, ConnectionRefusedError):
            return False
        except OSError as error:
            logger.warning("Could not relay a live event to the web process: %s", error)
            return False
    return True


class _Receiver(asyncio.DatagramProtocol):
    def __init__(self, deliver: Callable[[LiveEvent], None]) -> None:
        self.deliver = deliver

    def datagram_received(self, data: bytes, addr: Any) -> None:
        if not data:
            return  # A probe from another process starting up.
        try:
            event = json.loads(data)
        except ValueError:
            logger.warning("Ignored a malformed relayed live event.")
            return
        self.deliver(event)


def _someone_listens(path: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        try:
            sock.sendto(b"", path)
        except OSError:
            return False
    return True


async def listen(deliver: Callable[[LiveEvent], None]) -> asyncio.BaseTransport | None:
    """Receive relayed events on this loop; None if another process
    already does (two processes serving streams need REDIS_URL)."""
    path = socket_path()
    if os.path.exists(path):
        if _someone_listens(path):
            logger.warning(
                "Another process already serves live streams for this database, so this one "
                "won't receive the task worker's events. To run several web processes, set "
                "REDIS_URL."
            )
            return None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    old_umask = os.umask(0o177)
    try:
        sock.bind(path)
    finally:
        os.umask(old_umask)
    transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
        lambda: _Receiver(deliver), sock=sock
    )
    return transport


def stop_listening(transport: asyncio.BaseTransport | None) -> None:
    if transport is None:
        return
    transport.close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(socket_path())
