"""Fail when a lock pins a version that a recorded advisory names.

    python requirements/audit.py requirements/site.txt requirements/test.txt

pip-audit cannot work where Soundoff is built and tested: the only services
reachable there are the package registries, and neither of pip-audit's
vulnerability databases answers (OSV's host does not resolve; the package
index serves no per-release JSON, which pip-audit then reports as "could not
be audited" while exiting 0). So the advisories are recorded beside the
locks, in advisories.txt, and checked here with no network at all: a lock
that pins a known-vulnerable version fails bin/test. It knows what was
recorded, nothing more; advisories.txt says how to add to it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ADVISORIES = Path(__file__).with_name("advisories.txt")


@dataclass(frozen=True)
class Advisory:
    identifier: str
    affected: Requirement


def pins(lock: str) -> dict[str, Version]:
    """The ``name==version`` lines of a requirements file, by canonical name."""
    pinned: dict[str, Version] = {}
    for line in lock.splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip().rstrip("\\").strip()
        if "==" in line and not line.startswith("-"):
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            pinned[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pinned


def advisories(text: str) -> list[Advisory]:
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            identifier, affected = line.split(maxsplit=1)
            found.append(Advisory(identifier, Requirement(affected)))
    return found


def findings(pinned: dict[str, Version], known: list[Advisory]) -> list[str]:
    """One line for each pinned version that an advisory affects."""
    return [
        f"{name}=={version} is affected by {advisory.identifier} ({advisory.affected})"
        for name, version in sorted(pinned.items())
        for advisory in known
        if canonicalize_name(advisory.affected.name) == name
        and advisory.affected.specifier.contains(version, prereleases=True)
    ]


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    known = advisories(ADVISORIES.read_text())
    problems = [
        f"{path}: {finding}"
        for path in paths
        for finding in findings(pins(Path(path).read_text()), known)
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            "Raise the package's floor in pyproject.toml past the fixed version and run bin/lock.",
            file=sys.stderr,
        )
        return 1
    print(f"No recorded advisory ({len(known)} known) affects {', '.join(paths)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
