"""The house: which module may import which (README, "Architecture").

Layers, lowest first: the plan (actionplan) ← its evidence (evidence) ← progress
(actionplan.progress) ← LKE (actionplan.lke) ← documents (actionplan.documents) ←
notifications (actionplan.notifications) ← operations (zi_tracker.ops) ←
development tools (zi_tracker.devtools). A module imports only its own layer or lower
ones, production code never imports the development tools, and no modules import each
other in a circle. Imports inside functions count: they are dependencies all the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("actionplan", "evidence", "zi_tracker")

# (module prefix, layer); the longest matching prefix wins.
LAYERS = [
    ("actionplan", 0),
    ("evidence", 1),
    ("actionplan.progress", 2),
    ("actionplan.lke", 3),
    ("actionplan.portalrb", 4),  # beside documents: neither imports the other
    ("actionplan.documents", 4),
    ("actionplan.notifications", 5),
    ("actionplan.pengaturan", 5),  # beside notifications: unit set-up pages
    ("zi_tracker", 0),  # settings, env, middleware, login form: no domain code
    ("zi_tracker.ops", 6),
    ("zi_tracker.devtools", 7),
    ("zi_tracker.urls", 8),  # mounts every app's URLs
    ("zi_tracker.wsgi", 8),  # the server's entry point: loads the URLs, warms up the store
]
NAMES = {
    0: "plan",
    1: "evidence",
    2: "progress",
    3: "lke",
    4: "documents",
    5: "notifications",
    6: "ops",
    7: "devtools",
}


def layer(module: str) -> int:
    best = max(
        (p for p in LAYERS if module == p[0] or module.startswith(p[0] + ".")),
        key=lambda p: len(p[0]),
    )
    return best[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


MODULES = _modules()


def imports_of(path: Path) -> set[str]:
    """The project modules a file imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from a.b import c`` imports the module a.b.c when there is one.
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found |= {name for name in names if name.split(".")[0] in PACKAGES}
    return found


GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def test_the_layers_are_known() -> None:
    assert "actionplan.progress.dashboard" in MODULES
    assert layer("actionplan.progress.dashboard") == 2
    assert layer("actionplan.lke.scoring") == 3
    assert layer("actionplan.documents.pdf") == 4
    assert layer("actionplan.access") == 0
    assert layer("actionplan.notifications.pengingat") == 5
    assert layer("zi_tracker.ops.backup") == 6
    assert layer("zi_tracker.devtools.bench") == 7


def test_no_module_imports_a_higher_layer() -> None:
    upward = sorted(
        f"{module} ({NAMES.get(layer(module), 'project')}) imports {target} "
        f"({NAMES.get(layer(target), 'project')})"
        for module, targets in GRAPH.items()
        for target in targets
        if layer(target) > layer(module)
    )
    assert upward == []


def test_production_code_never_imports_devtools() -> None:
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if not module.startswith("zi_tracker.devtools")
        for target in targets
        if target.startswith("zi_tracker.devtools")
    )
    assert offenders == []


def test_the_checker_sees_an_import_of_devtools(tmp_path: Path) -> None:
    """The check above reads imports inside functions too."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from zi_tracker.devtools.scale import PREFIX\n")
    assert imports_of(source) == {"zi_tracker.devtools.scale"}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, ()):
            if target not in GRAPH:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles() == []


@pytest.mark.parametrize(
    "module",
    ["actionplan.models", "actionplan.access", "evidence.services", "actionplan.progress.views"],
)
def test_the_graph_holds_the_main_modules(module: str) -> None:
    assert GRAPH[module], f"{module} imports nothing of the project?"
