"""Model generation per group of schemas, so that an edit reruns only the groups it touches.

A group's run must give, for each of its classes, exactly what one run over
the whole document gives (tests/unit/test_models_groups.py, and
bench/model_groups.py on GitHub's spec):

* every name the tool would invent is fixed before it runs (inline.py), so a
  class is named the same whatever else is in the run;
* schemas that reach each other (a cycle) are one group; a cycle's group is a
  hash of its first name, so it does not move when other schemas come or go;
* a schema of another group that the tool makes a class of (a model or an
  enum) is imported (``type_overrides``), given as a stub that keeps its own
  keywords (``nullable``, ``default``, ``enum``, ...), which the tool reads
  through a ``$ref`` into the field that uses it; anything else (an alias, an
  array, a union, which the tool may fold into the field) is copied whole;
* classes are kept from the run of the group owning their schema, in the
  module's order of models/order.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..openapi.toolkit import as_dict, ref_name, walk
from .order import strongly_connected
from .tool import PLACEHOLDER, ToolClass, ToolOutput

# Below this many schemas one run is as fast as any grouping (Northflank's 75: 0.5 s of the tool).
GROUPED_FROM = 400
SCHEMAS_PER_GROUP = 150
MAX_GROUPS = 32
_PREFIX = "#/components/schemas/"
# The keywords a stub leaves out: its structure (the importing group does not need it to type a field).
_STRUCTURE = frozenset(
    {"properties", "allOf", "anyOf", "oneOf", "items", "additionalProperties", "not", "patternProperties", "required"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    members: tuple[str, ...]  # the schemas this group owns, sorted
    copied: tuple[str, ...]  # other groups' schemas it includes whole, sorted
    imported: tuple[str, ...]  # other groups' classes it imports, sorted

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        """What the tool is given for this group: its schemas, the copied ones and the stubs."""
        schemas = as_dict(as_dict(document.get("components")).get("schemas"))
        own = {name: schemas[name] for name in (*self.members, *self.copied)}
        own.update({name: stub(schemas[name]) for name in self.imported})
        return {**document, "paths": {}, "components": {"schemas": dict(sorted(own.items()))}}

    def type_overrides(self) -> dict[str, str]:
        return {name: f"{PLACEHOLDER}.models.{name}" for name in self.imported}


def select(
    groups: tuple[Group, ...], outputs: list[ToolOutput], schemas: dict[str, Any]
) -> list[tuple[ToolOutput, frozenset[str]]]:
    """The classes to take from each group's run: those of its own schemas, and each class of a
    root model (an alias, an array, a union: see ``droppable``) from the first run that wrote it,
    its owner's if that one did."""
    roots = {name for name in schemas if not is_class(schemas[name])}
    owner = {name: index for index, group in enumerate(groups) for name in group.members}
    first: dict[str, tuple[int, int]] = {}  # pointer of a root model's class -> (run, owner's run first)
    for run, output in enumerate(outputs):
        for c in output.classes:
            if component_of(c.source) in roots:
                rank = (0 if owner.get(component_of(c.source)) == run else 1, run)
                first[c.source] = min(first.get(c.source, rank), rank)
    result = []
    for run, (group, output) in enumerate(zip(groups, outputs, strict=True)):
        members = frozenset(group.members)
        keep = frozenset(
            c.name
            for c in output.classes
            if (first[c.source][1] == run if component_of(c.source) in roots else component_of(c.source) in members)
        )
        result.append((output, keep))
    return result


def droppable(output_classes: Iterable[ToolClass], schemas: dict[str, Any]) -> frozenset[str]:
    """The classes that exist only while another class names them.

    With ``collapse_root_models`` the tool writes a root model (an alias, an
    array, a union) into each field that uses it and drops its class once no
    use names it; a use it cannot fold (a constrained alias in a list, a union
    member, ...) keeps the class. Which uses exist is a fact of the whole
    document, so a group's run may keep a class the whole run drops, or the
    other way round; models/order.py keeps such a class exactly when a class
    it keeps names it. One that nothing in the document refers to always stays.
    """
    used = {target for schema in schemas.values() for target in references(schema)}
    return frozenset(
        c.name
        for c in output_classes
        if (name := component_of(c.source)) in used and name in schemas and not is_class(schemas[name])
    )


def stub(schema: Any) -> dict[str, Any]:
    """An imported schema as its importers see it: its own keywords without its subschemas."""
    found = {key: value for key, value in as_dict(schema).items() if key not in _STRUCTURE}
    found.setdefault("type", "object")
    return found


def component_of(source: str) -> str:
    """``Job`` for ``#/components/schemas/Job/properties/tags/items``."""
    return source[len(_PREFIX) :].split("/")[0] if source.startswith(_PREFIX) else ""


def references(schema: Any) -> set[str]:
    """The component schemas ``schema`` refers to directly."""
    found: set[str] = set()
    for _, node in walk(schema):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX):
            found.add(ref_name(ref))
    return found


def is_class(schema: Any) -> bool:
    """Whether the tool always makes a class of this component, of its own name (a model or an enum).

    Not one with ``oneOf``/``anyOf`` beside its properties: the tool writes a class per variant
    (each with the properties merged in) and a union of them where the schema is used.
    """
    node = as_dict(schema)
    if "oneOf" in node or "anyOf" in node:
        return False
    return "enum" in node or "properties" in node or "allOf" in node


def merged_parents(schema: Any) -> set[str]:
    """The components an ``allOf`` in ``schema`` reaches directly, as members or through their
    properties: the tool reads them when it merges a redeclared property, so a group must see
    them whole, not as stubs."""
    return {
        name
        for _, node in walk(schema)
        if isinstance(node.get("allOf"), list)
        for member in node["allOf"]
        for name in references(member)
    }


def group_count(schemas: int) -> int:
    """How many groups a document of ``schemas`` schemas is cut into: a power of two, so that the
    count (and with it every group) changes only when the document doubles or halves."""
    if schemas < GROUPED_FROM:
        return 1
    wanted = schemas / SCHEMAS_PER_GROUP
    count = 2
    while count * 2 <= min(wanted * 1.5, MAX_GROUPS):
        count *= 2
    return count


def plan(schemas: dict[str, Any], count: int) -> tuple[Group, ...]:
    """The groups of the prepared ``schemas`` in ``count`` buckets (the empty ones left out)."""
    edges = {name: sorted(references(schema) & schemas.keys()) for name, schema in schemas.items()}
    members: list[list[str]] = [[] for _ in range(count)]
    for cycle in strongly_connected(edges):
        members[_bucket(cycle[0], count)].extend(cycle)
    owner = {name: index for index, names in enumerate(members) for name in names}
    groups = []
    for index, names in enumerate(members):
        if names:
            copied, imported = _outside(names, edges, schemas, owner, index)
            groups.append(Group(members=tuple(sorted(names)), copied=copied, imported=imported))
    return tuple(groups)


def _bucket(name: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % count


def _outside(
    names: Iterable[str], edges: dict[str, list[str]], schemas: dict[str, Any], owner: dict[str, int], index: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The other groups' schemas a group reaches: copied (and followed further) or imported (not)."""
    copied: set[str] = set()
    imported: set[str] = set()
    todo = [(target, target in merged_parents(schemas[name])) for name in names for target in edges[name]]
    while todo:
        name, whole = todo.pop()
        if owner[name] == index or name in copied or (name in imported and not whole):
            continue
        if is_class(schemas[name]) and not whole:
            imported.add(name)
        else:
            imported.discard(name)
            copied.add(name)
            parents = merged_parents(schemas[name])
            todo.extend((target, target in parents) for target in edges[name])
    return tuple(sorted(copied)), tuple(sorted(imported))
