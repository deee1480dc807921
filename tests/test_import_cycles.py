"""No module of soundoff imports one that imports it back, not even inside a
function: every dependency goes one way (README, "How it fits together").

Imports are read from the source, function-level ones included; those
under ``if TYPE_CHECKING:`` are left out, as they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "soundoff"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts
    }


def _runs(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node`` but those of ``if TYPE_CHECKING:`` blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            yield from (grand for branch in child.orelse for grand in [branch, *_runs(branch)])
            continue
        yield child
        yield from _runs(child)


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of soundoff that module ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runs(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def test_no_module_imports_one_that_imports_it_back():
    found = modules()
    graph = {name: imported(name, path, set(found)) for name, path in found.items()}
    assert cycles(graph) == []


def test_the_check_finds_a_cycle_hidden_in_a_function(tmp_path):
    # The same reading on two modules made for it: one imports the other at
    # the top, the other imports it back inside a function.
    first = tmp_path / "first.py"
    second = tmp_path / "second.py"
    first.write_text("from soundoff.second import helper\n")
    second.write_text("def helper():\n    from soundoff.first import x\n    return x\n")
    known = {"soundoff.first", "soundoff.second"}
    graph = {
        "soundoff.first": imported("soundoff.first", first, known),
        "soundoff.second": imported("soundoff.second", second, known),
    }
    assert cycles(graph) == [["soundoff.first", "soundoff.second"]]
