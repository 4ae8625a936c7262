"""The lab's packages are layers: a module imports only its own package or lower ones.

hardware (data) < grammar (the one engine) < config (store, tree) < model (control plane)
< show (formatters) < cli (session, exec rows) < ssh (transport) < serve (runtime files)
< api; a cycle between modules fails too.
"""

from __future__ import annotations

import ast
from pathlib import Path

LAB = Path(__file__).resolve().parents[2] / "lab"
LAYERS = ["hardware", "grammar", "config", "model", "show", "cli", "ssh", "serve", "api"]


def _module(path: Path) -> str:
    parts = path.relative_to(LAB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every lab module -> the lab modules it imports (at any depth in the file)."""
    modules = {_module(p): p for p in LAB.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found |= {t for t in targets if t in modules and t.startswith("lab.")}
        graph[name] = found - {name}
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # the lab package itself
        return -1
    if parts[1] == "__main__":
        return len(LAYERS)
    return LAYERS.index(parts[1])


def test_every_module_belongs_to_a_layer() -> None:
    strays = [
        m
        for m in _imports()
        if len(m.split(".")) > 1 and m.split(".")[1] not in [*LAYERS, "__main__"]
    ]
    assert strays == []


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) > _layer(module)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle found by a depth-first walk, as the list of modules around it."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_no_module_imports_a_higher_layer() -> None:
    assert upward_imports(_imports()) == []


def test_there_is_no_import_cycle() -> None:
    assert cycles(_imports()) == []


def test_the_checks_see_an_upward_import_and_a_cycle() -> None:
    graph = {
        "lab.config.store": {"lab.config.factory"},
        "lab.config.factory": {"lab.config.store"},
        "lab.model.world": {"lab.show.dmvpn"},
        "lab.show.dmvpn": set(),
    }
    assert upward_imports(graph) == ["lab.model.world -> lab.show.dmvpn"]
    assert cycles(graph) == [["lab.config.factory", "lab.config.store", "lab.config.factory"]]
