"""The tool's module as we split it: the header's imports, then one definition per top-level name.

A definition is a class, a type alias with the docstring after it, or a
``Thing.model_rebuild()`` (which belongs to ``Thing`` and defines nothing).
The header is rebuilt from the names the definitions use, so it is right
whatever the rewrite removed or added.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from .module import ImportFrom
from .tool import PLACEHOLDER

_OUR_BASES = ("ApiModel", "ApiRootModel", "ExactLiteral", "OpenEnum", "OpenLiteral", "UniqueList")


def structure(tree: ast.Module) -> tuple[list[ast.ImportFrom], list[tuple[str, bool, list[ast.stmt]]], bool]:
    """The header's imports and the definitions as (name, defines, statements)."""
    imports: list[ast.ImportFrom] = []
    groups: list[tuple[str, bool, list[ast.stmt]]] = []
    splittable = True
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and not groups:
            imports.append(node)
        elif isinstance(node, ast.ClassDef):
            groups.append((node.name, True, [node]))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            groups.append((node.targets[0].id, True, [node]))
        elif (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and groups
            and isinstance(groups[-1][2][-1], ast.Assign)
        ):
            groups[-1][2].append(node)  # an alias's docstring
        elif (rebuilt := rebuilt_model(node)) is not None:
            groups.append((rebuilt, False, [node]))
        elif groups:
            groups[-1][2].append(node)  # something the split cannot place: it stays with its neighbour
            splittable = False
        else:
            raise ValueError(f"unexpected statement before the first definition: {ast.dump(node)[:80]}")
    return imports, groups, splittable


def rebuilt_model(node: ast.stmt) -> str | None:
    """``Thing`` for the statement ``Thing.model_rebuild()``."""
    if not (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and not node.value.args
        and not node.value.keywords
    ):
        return None
    func = node.value.func
    if isinstance(func, ast.Attribute) and func.attr == "model_rebuild" and isinstance(func.value, ast.Name):
        return func.value.id
    return None


def first_line(node: ast.stmt) -> int:
    decorators = node.decorator_list if isinstance(node, ast.ClassDef) else []
    return min([node.lineno, *(d.lineno for d in decorators)]) - 1


def mentioned_by_definitions(tree: ast.Module) -> frozenset[str]:
    """The names the module's definitions (not its rebuilds) mention, read from the parse."""
    _, groups, _ = structure(tree)
    return frozenset(name for _, defines, nodes in groups if defines for name in mentions(nodes))


def descendants(node: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(node))``, same nodes and order, at about half its cost.

    On GitHub's models (80,000 lines) one walk of the module takes a third of a second; the
    rewrite reads each statement's nodes several ways, from one of these lists.
    """
    found = [node]
    base = ast.AST
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, list):
                found.extend(item for item in value if isinstance(item, base))
            elif isinstance(value, base):
                found.append(value)
    return found


def mentions(nodes: Iterable[ast.stmt]) -> set[str]:
    return names_in(sub for node in nodes for sub in descendants(node))


def names_in(nodes: Iterable[ast.AST]) -> set[str]:
    """The names these (already walked) nodes mention."""
    found: set[str] = set()
    for sub in nodes:
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.isidentifier():
            found.add(sub.value)  # a forward reference, or text that only looks like one (harmless)
    return found


def header(imports: list[ast.ImportFrom], used: set[str]) -> tuple[ImportFrom, ...]:
    """The tool's imports of names still used, then one relative import of our bases."""
    result: list[ImportFrom] = []
    for node in imports:
        module = "." * node.level + (node.module or "")
        if module.startswith(PLACEHOLDER):
            continue
        kept = [a for a in node.names if (a.asname or a.name) in used]
        if kept:
            result.append(
                ImportFrom(
                    module=module,
                    names=tuple(a.name + (f" as {a.asname}" if a.asname else "") for a in kept),
                    binds=tuple(a.asname or a.name for a in kept),
                )
            )
    if "ConfigDict" in used and not any("ConfigDict" in i.binds for i in result):
        pydantic = next((i for i in result if i.module == "pydantic"), None)
        if pydantic is None:
            result.append(ImportFrom(module="pydantic", names=("ConfigDict",), binds=("ConfigDict",)))
        else:
            result[result.index(pydantic)] = ImportFrom(
                module="pydantic", names=("ConfigDict", *pydantic.names), binds=("ConfigDict", *pydantic.binds)
            )
    missing = tuple(n for n in ("Annotated", "Literal") if n in used and not any(n in i.binds for i in result))
    if missing:
        typing = next((i for i in result if i.module == "typing"), None)
        if typing is None:
            result.insert(0, ImportFrom(module="typing", names=missing, binds=missing))
        else:
            names = tuple(sorted({*typing.names, *missing}))
            result[result.index(typing)] = ImportFrom(
                module="typing", names=names, binds=tuple(sorted({*typing.binds, *missing}))
            )
    ours = tuple(name for name in _OUR_BASES if name in used)
    if ours:
        result.append(ImportFrom(module="._models", names=ours, binds=ours))
    return tuple(result)
