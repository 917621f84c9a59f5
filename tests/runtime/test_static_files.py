"""The hand-written runtime copied into every client is typed, formatted and self-contained."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.emit.format import format_python
from generator.emit.render import TEMPLATES

STATIC = sorted((TEMPLATES / "static").glob("*.py"))


@pytest.mark.parametrize("path", STATIC, ids=[p.name for p in STATIC])
def test_static_file_is_black_formatted(path: Path) -> None:
    """The pipeline copies these without formatting them, so they must already match black's mode."""
    text = path.read_text(encoding="utf-8")
    assert format_python(text, path=path.name) == text, (
        f"run black on {path} (line length and target: generator/settings.py)"
    )


@pytest.mark.parametrize("path", STATIC, ids=[p.name for p in STATIC])
def test_static_file_imports_only_the_allowed_runtime(path: Path) -> None:
    """Relative imports among themselves; otherwise only the standard library, httpx and pydantic."""
    allowed_third_party = {"httpx", "pydantic", "pydantic_core"}
    import sys

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots = {(node.module or "").split(".")[0]}
        else:
            continue
        for root in roots:
            assert root in allowed_third_party or root in sys.stdlib_module_names, f"{path.name} imports {root}"
