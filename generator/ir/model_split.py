"""Group the generated models by the tags whose operations use them, one lazily imported module per group.

A large API's models take seconds to import (pydantic builds each class), but
a program that calls one part of the API needs only that part's models. So
with more than one tag, ``models`` becomes a package: ``models/<tag>.py``
holds what only that tag's operations reach, ``_shared.py`` what several
tags reach, ``_unreferenced.py`` the schemas no operation reaches (webhook
payloads, say), and ``models/__init__.py`` imports a group on first access.

Reaching is transitive, so a model's dependencies are reached by every tag
that reaches the model: a tag module imports only from ``_shared``, and
``_shared`` imports from no group. Cycles stay inside one group for the same
reason. Definitions keep their order from the single module, which
datamodel-code-generator already made definition-before-use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..models import Definition, ModelsModule
from . import nodes as ir

SHARED = "_shared"
UNREFERENCED = "_unreferenced"


def plan(models: ModelsModule, tags: Sequence[ir.Tag]) -> tuple[ir.ModelGroup, ...]:
    """The groups for these tags (by the model classes each API module imports); ``()`` keeps one ``models.py``.

    One module stays when there is a single tag (nothing to load lazily), when
    everything would land in one group anyway, or when the models hold a
    statement this cannot place (``models.definitions`` is empty then).
    """
    defining = [d for d in models.definitions if d.defines]
    definitions = {d.name: d for d in defining}
    if len(tags) < 2 or not models.splittable or not definitions or len(definitions) != len(defining):
        return ()
    if any(d.name not in definitions for d in models.definitions):
        return ()  # a rebuild of something that is not a model here
    deps: dict[str, set[str]] = {name: set() for name in definitions}
    for d in models.definitions:  # a rebuild's forward references count for its model
        deps[d.name] |= d.uses & definitions.keys()
    for name, found in deps.items():
        found.discard(name)
    users: dict[str, set[str]] = {name: set() for name in definitions}
    for tag in tags:
        for name in _closure((n for n in tag.model_imports if n in definitions), deps):
            users[name].add(tag.module)
    member_of = {name: _group_name(found) for name, found in users.items()}
    order = [SHARED, *(tag.module for tag in tags), UNREFERENCED]
    tag_names = {tag.module: tag.name for tag in tags}
    kinds: dict[str, ir.GroupKind] = {SHARED: "shared", UNREFERENCED: "unreferenced"}
    members: dict[str, list[Definition]] = {module: [] for module in order}
    for definition in models.definitions:
        members[member_of[definition.name]].append(definition)
    if sum(1 for found in members.values() if found) < 2:
        return ()
    return tuple(
        ir.ModelGroup(
            module=module,
            kind=kinds.get(module, "tag"),
            tag=tag_names.get(module, ""),
            names=tuple(d.name for d in members[module] if d.defines),
            imports=_imports(models, members[module], member_of, order),
        )
        for module in order
        if members[module]
    )


def bodies(models: ModelsModule, groups: Sequence[ir.ModelGroup]) -> dict[str, str]:
    """Each group's definitions by module, in their original order."""
    member_of = {name: group.module for group in groups for name in group.names}
    found: dict[str, list[str]] = {group.module: [] for group in groups}
    for d in models.definitions:
        if d.name in member_of:
            found[member_of[d.name]].append(d.text)
    return {module: "\n\n\n".join(parts) for module, parts in found.items()}


def _group_name(users: set[str]) -> str:
    if not users:
        return UNREFERENCED
    return next(iter(users)) if len(users) == 1 else SHARED


def _closure(seeds: Iterable[str], deps: Mapping[str, Iterable[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(seeds)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(deps[name])
    return seen


def _imports(
    models: ModelsModule, definitions: list[Definition], member_of: Mapping[str, str], order: Sequence[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The header's imports this group uses (one package level deeper), then other groups' names."""
    used = set().union(*(d.uses for d in definitions))
    own = {d.name for d in definitions if d.defines}
    result: list[tuple[str, tuple[str, ...]]] = []
    for statement in models.imports:
        keep_all = statement.module == "__future__"  # changes how the module is compiled
        names = tuple(n for n, bound in zip(statement.names, statement.binds, strict=True) if keep_all or bound in used)
        if names:
            module = "." + statement.module if statement.module.startswith(".") else statement.module
            result.append((module, names))
    for group in order:
        names = tuple(sorted(n for n in used - own if member_of.get(n) == group))
        if names:
            result.append((f".{group}", names))
    return tuple(result)
