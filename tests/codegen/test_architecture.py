"""The generator's layout shows its pipeline: stages import only earlier stages, and nothing imports in a cycle.

Levels: 0 the shared tools (diagnostics, naming, settings, the project root, progress) and ``provenance``
(inputs, digests, the manifest, the cache), 1 ``openapi`` (the document), 2 ``models``, 3 ``ir``, 4 the
IR's consumers ``emit`` and ``breaking`` (peers: neither imports the other), 5 the orchestration
(pipeline, stages, result, parallel, worker, api), 6 ``cli`` (one module per command). Imports inside
functions count too: a late import is still a dependency. Unit tests of each stage run on small inputs without
datamodel-code-generator or black; the last test proves it for the fast suite.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.repo import REPO

PACKAGE = REPO / "generator"
LEVELS = {"provenance": 0, "openapi": 1, "models": 2, "ir": 3, "emit": 4, "breaking": 4, "cli": 6}
SHARED = {
    "generator._version",
    "generator.diagnostics",
    "generator.naming",
    "generator.settings",
    "generator.project",
    "generator.progress",
    "generator.pyast",
    "generator.memo",
}
ROOT = {
    "generator",
    "generator.__main__",
    "generator.api",
    "generator.pipeline",
    "generator.stages",
    "generator.result",
    "generator.parallel",
    "generator.worker",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _level(module: str) -> int:
    if module in SHARED:
        return 0
    if module == "generator.__main__":
        return 6
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
        "generator.openapi.load",
        "generator.models.rewrite",
        "generator.ir.build",
        "generator.emit.render",
        "generator.pipeline",
    } <= set(GRAPH)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_a_later_stage(module: str) -> None:
    later = sorted(target for target in GRAPH[module] if _level(target) > _level(module))
    assert not later, f"{module} (level {_level(module)}) imports {later}"


def test_the_root_holds_only_the_shared_tools_and_the_orchestration() -> None:
    """Everything else lives in the package that says what it is (a stage, ``provenance``, ``breaking``, ``cli``)."""
    root = {module for module in MODULES if module.count(".") <= 1 and module.split(".")[-1] not in LEVELS}
    assert root <= SHARED | ROOT, sorted(root - SHARED - ROOT)


@pytest.mark.parametrize(("one", "other"), [("emit", "breaking"), ("breaking", "emit")])
def test_the_consumers_of_the_ir_do_not_import_each_other(one: str, other: str) -> None:
    crossing = {
        module: sorted(t for t in targets if t.startswith(f"generator.{other}"))
        for module, targets in GRAPH.items()
        if module.startswith(f"generator.{one}")
    }
    assert not any(crossing.values()), crossing


def test_every_command_is_its_own_module() -> None:
    from generator.cli.app import COMMANDS

    for command in COMMANDS:
        assert f"generator.cli.{command.replace('-', '_')}" in MODULES, command


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
