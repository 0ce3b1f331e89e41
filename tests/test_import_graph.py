"""The package's import graph: no cycles, and layers import only downwards
(surfaces -> skills -> core; reports, media and tables are used by skills). Every import that runs counts, lazy
ones inside functions included. Type-only imports (under ``if TYPE_CHECKING:``) never run: they
count for the layers but not for cycles (a model and the module rendering it may name each other
in annotations). A package's ``__init__`` re-exporting its own modules is not an edge back."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "onelegion"


def module_name(path: Path) -> str:
    parts = ["onelegion", *path.relative_to(PKG).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            ids |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return ids


def import_graph(*, type_only: bool = True) -> dict[str, set[str]]:
    files = {module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = set() if type_only else _type_only(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for t in targets:
                while t and t not in files:
                    t = t.rpartition(".")[0]
                if t and t != mod:
                    graph[mod].add(t)
                    break  # the most specific module a name resolves to
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return [*stack[stack.index(n) :], n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_graph_sees_known_edges() -> None:
    g = import_graph()
    assert "onelegion.core.runner" in g["onelegion.core.runtime"]
    assert "onelegion.skills.clean.run" in g["onelegion.skills.clean"]  # a lazy import
    assert "onelegion.surfaces.cli.state" in g["onelegion.surfaces.cli.demo"]
    assert "onelegion.core.context" in g["onelegion.core.skill"]  # under TYPE_CHECKING
    assert "onelegion.core.context" not in import_graph(type_only=False)["onelegion.core.skill"]


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert find_cycle(import_graph(type_only=False)) == []


def test_layers_import_downwards() -> None:
    rank = {"core": 0, "reports": 1, "media": 1, "tables": 1, "skills": 2, "surfaces": 3}
    bad = []
    for mod, deps in import_graph().items():
        layer = mod.split(".")[1] if mod.count(".") else None
        for d in deps:
            dl = d.split(".")[1] if d.count(".") else None
            if layer in rank and dl in rank and rank[dl] > rank[layer]:
                bad.append(f"{mod} -> {d}")
    assert bad == []


def test_skills_never_import_another_skills_modules() -> None:
    """Skills talk to each other through the registry and artifacts; what several need (table
    readers, reports, ffmpeg) lives in a shared layer below them."""
    bad = []
    for mod, deps in import_graph().items():
        parts = mod.split(".")
        if len(parts) < 3 or parts[1] != "skills":
            continue
        for d in deps:
            dparts = d.split(".")
            if len(dparts) >= 3 and dparts[1] == "skills" and dparts[2] != parts[2]:
                bad.append(f"{mod} -> {d}")
    assert bad == []
