"""The hash locks in requirements/ match pyproject.toml, keep the site lean,
and pass the advisory audit, which refuses a known-vulnerable pin."""

import ast
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
REQUIREMENTS = REPO / "requirements"
AUDIT = REQUIREMENTS / "audit.py"

# requirements/ is not a package: load the audit script as a module.
_spec = importlib.util.spec_from_file_location("audit", AUDIT)
assert _spec and _spec.loader
audit = sys.modules["audit"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
SITE = audit.pins((REQUIREMENTS / "site.txt").read_text())
TEST = audit.pins((REQUIREMENTS / "test.txt").read_text())
DECLARED = [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]
TEST_TOOLS = [Requirement(line) for line in PYPROJECT["project"]["optional-dependencies"]["test"]]
BUILD = [Requirement(line) for line in PYPROJECT["build-system"]["requires"]]


def pinned_within(requirement: Requirement, lock: dict[str, Version]) -> bool:
    version = lock.get(canonicalize_name(requirement.name))
    return version is not None and requirement.specifier.contains(version, prereleases=True)


@pytest.mark.parametrize("requirement", DECLARED + BUILD, ids=str)
def test_the_site_lock_pins_each_dependency_within_its_range(requirement):
    assert pinned_within(requirement, SITE), f"run bin/lock: {requirement} is not in site.txt"


@pytest.mark.parametrize("requirement", DECLARED + BUILD + TEST_TOOLS, ids=str)
def test_the_test_lock_pins_each_dependency_and_tool_within_its_range(requirement):
    assert pinned_within(requirement, TEST), f"run bin/lock: {requirement} is not in test.txt"


def test_the_test_lock_pins_the_site_packages_where_the_site_lock_does():
    assert {name: TEST[name] for name in SITE} == SITE


def test_the_site_lock_has_no_test_tools_and_no_tensorflow():
    unwanted = {canonicalize_name(r.name) for r in TEST_TOOLS} | {
        "tensorflow",
        "pandas",
        "keras",
    }
    assert unwanted & set(SITE) == set()
    assert {"tensorflow", "pandas", "keras"} & set(TEST) == set()


def test_pillow_is_past_cve_2026_40192():
    assert SITE["pillow"] >= Version("12.2")


@pytest.mark.parametrize("lock", ["site.txt", "test.txt"])
def test_every_locked_package_carries_its_hashes(lock):
    entries = (REQUIREMENTS / lock).read_text().split("\n")
    pinned = [i for i, line in enumerate(entries) if "==" in line and not line.startswith(" ")]
    assert pinned
    for i in pinned:
        assert entries[i].endswith("\\") and "--hash=sha256:" in entries[i + 1], entries[i]


def run_audit(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(AUDIT), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_locks_pass_the_audit():
    result = run_audit(REQUIREMENTS / "site.txt", REQUIREMENTS / "test.txt")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("lock", "finding"),
    [
        (
            "django==4.2.0 \\\n    --hash=sha256:00\nnh3==0.3.8\n",
            "django==4.2.0 is affected by CVE-2023-36053",
        ),
        (
            "Pillow==12.1.1 ; python_version >= '3.12'\n",
            "pillow==12.1.1 is affected by CVE-2026-40192",
        ),
    ],
    ids=["old-django", "pillow-before-the-fix"],
)
def test_the_audit_fails_on_a_known_vulnerable_pin(tmp_path, lock, finding):
    path = tmp_path / "old.txt"
    path.write_text(lock)
    result = run_audit(path)
    assert result.returncode == 1
    assert finding in result.stderr
    assert "nh3" not in result.stderr


def test_the_audit_passes_the_first_fixed_versions():
    known = audit.advisories(audit.ADVISORIES.read_text())
    fixed = {"django": Version("4.2.3"), "pillow": Version("12.2")}
    assert audit.findings(fixed, known) == []
    assert audit.findings({"django": Version("4.1.10")}, known) == []
    assert audit.findings({"django": Version("4.1.9")}, known) != []


# --- every import is declared ----------------------------------------------

# Imported by bench/isso_bulk.py inside Isso's own virtualenv (bench/run makes it).
OUTSIDE_SOUNDOFF = {"isso"}
# Installed, not written here: .venv (bin/test makes it inside the checkout),
# the test tools' npm packages and bench's work directory (Isso's venv).
NOT_OURS = {".venv", "node_modules", ".work"}


def third_party_imports(folder: Path) -> set[str]:
    """Top-level modules imported under ``folder`` that are neither the
    standard library nor a module of this repository (bench's scripts import
    their neighbours by file name)."""
    ours = [path for path in REPO.rglob("*.py") if not NOT_OURS & set(path.parts)]
    local = {path.stem for path in ours}
    local |= {path.parent.name for path in ours if path.name == "__init__.py"}
    local |= {path.name for path in REPO.iterdir() if path.is_dir()}  # bench, a namespace
    found = set()
    for path in folder.rglob("*.py"):
        if NOT_OURS & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - local - {"__future__"}


def declared_names(requirements: list[Requirement]) -> set[str]:
    return {canonicalize_name(requirement.name) for requirement in requirements}


def undeclared(folder: str, declared: set[str]) -> dict[str, list[str]]:
    providers = importlib.metadata.packages_distributions()
    imports = third_party_imports(REPO / folder) - OUTSIDE_SOUNDOFF
    assert imports, folder
    return {
        module: providers.get(module, [])
        for module in sorted(imports)
        if not declared & {canonicalize_name(name) for name in providers.get(module, [])}
    }


def test_everything_the_site_imports_is_a_declared_dependency():
    assert undeclared("soundoff", declared_names(DECLARED)) == {}


@pytest.mark.parametrize("folder", ["tests", "bench", "requirements"])
def test_everything_the_tests_and_benchmarks_import_is_declared(folder):
    assert undeclared(folder, declared_names(DECLARED + TEST_TOOLS)) == {}


def test_the_scorers_model_packages_are_declared():
    # Found by distribution name, not imported: toxicity.py reads the weights
    # out of its package's files.
    scorers = REPO / "soundoff" / "moderation" / "scoring"
    named = set()
    for path in scorers.glob("*.py"):
        named |= set(re.findall(r'^DISTRIBUTION = "([^"]+)"$', path.read_text(), re.M))
    assert named == {"toxic-comment-classifier", "alt-profanity-check"}
    assert {canonicalize_name(name) for name in named} <= declared_names(DECLARED)
