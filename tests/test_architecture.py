"""The generator's layout shows its pipeline: stages import only earlier stages, and nothing imports in a cycle.

Levels: 0 the shared tools (diagnostics, naming, settings, cache, the manifest, the project root), 1 ``spec``,
2 ``models``, 3 ``ir``, 4 ``emit``, 5 the orchestration (pipeline, parallel,
api, cli). Imports inside functions count too: a late import is still a
dependency. Unit tests of each stage run on small inputs without
datamodel-code-generator or black; the last test proves it for the fast suite.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "generator"
LEVELS = {"spec": 1, "models": 2, "ir": 3, "emit": 4}
SHARED = {
    "generator._version",
    "generator.diagnostics",
    "generator.naming",
    "generator.settings",
    "generator.cache",
    "generator.fingerprint",
    "generator.inputs",
    "generator.manifest",
    "generator.project",
    "generator.progress",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _level(module: str) -> int:
    if module in SHARED:
        return 0
    parts = module.split(".")
    return LEVELS.get(parts[1], 5) if len(parts) > 1 else 5


def _imports(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: _imports(module) for module in MODULES}


def test_every_module_is_found() -> None:
    assert {
        "generator.spec.load",
        "generator.models.rewrite",
        "generator.ir.build",
        "generator.emit.render",
        "generator.pipeline",
    } <= set(GRAPH)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_a_later_stage(module: str) -> None:
    later = sorted(target for target in GRAPH[module] if _level(target) > _level(module))
    assert not later, f"{module} (level {_level(module)}) imports {later}"


def test_the_import_graph_has_no_cycles() -> None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_modules_stay_small() -> None:
    """A module does one thing; past ~300 lines it is doing several (design notes, convention 15)."""
    large = {module: n for module, path in MODULES.items() if (n := len(path.read_text().splitlines())) > 320}
    assert not large, large
