"""The layers hold: cli -> core -> store / io / report -> the shared bottom (errors, ids,
privacy, textsafe, i18n). Nothing imports upward or skips to store from the CLI, and no
module imports itself round in a circle. Walks every import of the package's source,
including the ones inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "epitool"
# Which layers each layer may import (its own included).
ALLOWED = {
    "cli": {"cli", "core", "report", "io", "bottom"},
    "core": {"core", "store", "io", "report", "bottom"},
    "report": {"report", "io", "bottom"},
    "store": {"store", "bottom"},
    "io": {"io", "bottom"},
    "bottom": {"bottom"},
}
LAYERS = {"cli", "core", "store", "io", "report"}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if module == "epitool.__main__":
        return "entry"
    if len(parts) < 2:
        return "bottom"  # the package itself: its version
    return parts[1] if parts[1] in LAYERS else "bottom"


def _imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        targets = found.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("epitool"):
                    targets.add(node.module)
                    targets.update(
                        f"{node.module}.{a.name}"
                        for a in node.names
                        if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/"))
                        .with_suffix(".py")
                        .exists()
                    )
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("epitool"))
    return found


def test_no_import_runs_upward_or_skips_to_the_store() -> None:
    wrong = sorted(
        f"{source} -> {target}"
        for source, targets in _imports().items()
        for target in targets
        if _layer(source) != "entry" and _layer(target) not in ALLOWED[_layer(source)]
    )
    assert wrong == []


def test_no_import_circles() -> None:
    graph = {
        m: {t for t in targets if t in _imports_known()} - {m} for m, targets in _imports().items()
    }
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def _imports_known() -> set[str]:
    return {_module(p) for p in PACKAGE.rglob("*.py")}


def test_the_walk_sees_a_wrong_import(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The checks above are not vacuous: a store module reaching into core is caught."""
    assert _layer("epitool.store.db") == "store" and _layer("epitool.ids") == "bottom"
    assert "core" not in ALLOWED["store"] and "store" not in ALLOWED["cli"]
    assert any(t.startswith("epitool.store") for t in _imports()["epitool.core.visits"])
