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

from .. import naming
from ..openapi.toolkit import as_dict, as_list, ref_name, walk
from .inline import merges
from .order import Split, strongly_connected
from .positions import primary_sources
from .tool import PLACEHOLDER, ToolClass, tool_document

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
        return tool_document(document, {"schemas": dict(sorted(own.items()))})

    def type_overrides(self) -> dict[str, str]:
        return {name: f"{PLACEHOLDER}.models.{name}" for name in self.imported}


def select(groups: tuple[Group, ...], outputs: list[Split], facts: Facts) -> list[tuple[Split, frozenset[str]]]:
    """The classes to take from each group's run: those of its own schemas, and each class of a
    root model (an alias, an array, a union: see ``droppable``) from the first run that wrote it,
    its owner's if that one did."""
    roots = facts.schemas.keys() - facts.classes
    owner = {name: index for index, group in enumerate(groups) for name in group.members}
    first: dict[str, tuple[int, int]] = {}  # pointer of a root model's class -> (run, owner's run first)
    for run, output in enumerate(outputs):
        for source in primary_sources(output.classes).values():
            if component_of(source) in roots:
                rank = (0 if owner.get(component_of(source)) == run else 1, run)
                first[source] = min(first.get(source, rank), rank)
    result = []
    for run, (group, output) in enumerate(zip(groups, outputs, strict=True)):
        members = frozenset(group.members)
        keep = frozenset(
            name
            for name, source in primary_sources(output.classes).items()
            if (first[source][1] == run if component_of(source) in roots else component_of(source) in members)
        )
        result.append((output, keep))
    return result


def droppable(output_classes: Iterable[ToolClass], facts: Facts) -> frozenset[str]:
    """The classes that exist only while another class names them.

    With ``collapse_root_models`` the tool writes a root model (an alias, an
    array, a union) into each field that uses it and drops its class once no
    use names it; a use it cannot fold (a constrained alias in a list, a union
    member, ...) keeps the class. Which uses exist is a fact of the whole
    document, so a group's run may keep a class the whole run drops, or the
    other way round; models/order.py keeps such a class exactly when a class
    it keeps names it. One that nothing in the document refers to always stays.
    """
    return frozenset(
        c.name for c in output_classes if (name := component_of(c.source)) in facts.used and name not in facts.classes
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


def plan(facts: Facts, count: int) -> tuple[Group, ...]:
    """The groups of the prepared schemas in ``count`` buckets (the empty ones left out)."""
    members: list[list[str]] = [[] for _ in range(count)]
    for unit in _units(facts):
        members[_bucket(unit[0], count)].extend(unit)
    owner = {name: index for index, names in enumerate(members) for name in names}
    claimable = {name: _claimable(words) for name, words in facts.properties.items()}
    groups = []
    for index, names in enumerate(members):
        if names:
            forced: frozenset[str] = frozenset()
            while True:
                copied, imported = _outside(names, facts, owner, index, forced)
                claimed = set().union(*(claimable[n] for n in (*names, *copied)))
                if not claimed & set(imported):
                    break
                forced |= claimed & set(imported)
            groups.append(Group(members=tuple(sorted(names)), copied=copied, imported=imported))
    return tuple(groups)


@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """What grouping reads of each prepared schema, read in one walk of each."""

    schemas: dict[str, Any]
    edges: dict[str, list[str]]  # the components each refers to
    # the components an allOf in it reaches, as members or through their properties: the tool
    # reads them when it merges a redeclared property, so a group must see them whole, not as stubs
    parents: dict[str, set[str]]
    properties: dict[str, set[str]]  # every property name inside it
    discriminated: dict[str, set[str]]
    classes: frozenset[str]  # is_class
    merging: frozenset[str]  # those that are allOf merges (inline.merges)
    used: frozenset[str]  # the components another schema refers to, cycles left out


def read(schemas: dict[str, Any]) -> Facts:
    edges: dict[str, list[str]] = {}
    parents: dict[str, set[str]] = {}
    properties: dict[str, set[str]] = {}
    discriminated: dict[str, set[str]] = {}
    for name, schema in schemas.items():
        refs: set[str] = set()
        parents[name], properties[name], discriminated[name] = set(), set(), set()
        for _, node in walk(schema):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                refs.add(ref_name(ref))
            properties[name].update(str(p) for p in as_dict(node.get("properties")))
            if isinstance(node.get("allOf"), list):
                parents[name].update(t for member in node["allOf"] for t in references(member))
            if isinstance(node.get("discriminator"), dict):
                discriminated[name] |= _discriminated(node)
        edges[name] = sorted(refs & schemas.keys())
    # A root model in a cycle of references is never folded away by the tool (it keeps circular ones).
    cyclic = {n for part in strongly_connected(edges) if len(part) > 1 for n in part}
    return Facts(
        schemas=schemas,
        edges=edges,
        parents=parents,
        properties=properties,
        discriminated=discriminated,
        classes=frozenset(name for name, schema in schemas.items() if is_class(schema)),
        merging=frozenset(name for name, schema in schemas.items() if merges(as_dict(schema))),
        # Referred to by another schema: a root model only itself refers to is one the tool keeps.
        used=frozenset(t for name, targets in edges.items() for t in targets if t != name) - cyclic,
    )


def _claimable(words: set[str]) -> set[str]:
    """The names the tool may give a class it makes inside a schema of these property names: each
    property's, and its singular. An imported class of such a name would stand in for that class
    (``type_overrides`` goes by name), so it is copied instead."""
    return {naming.pascal_case(w) for w in words} | {naming.pascal_case(naming.singular(w)) for w in words}


def _units(facts: Facts) -> list[list[str]]:
    """The schemas that must share a run, each part sorted: a cycle, and an ``allOf`` merge with every
    schema that refers to it (the tool names the classes it makes while merging by the place it
    first meets the merge from, so that place must be in the run)."""
    edges = facts.edges
    parent = {name: name for name in edges}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(a: str, b: str) -> None:
        first, second = sorted((root(a), root(b)))
        parent[second] = first

    for cycle in strongly_connected(edges):
        for name in cycle[1:]:
            join(cycle[0], name)
    for name, targets in edges.items():
        for target in targets:
            if target in facts.merging:
                join(name, target)
        for target in facts.discriminated[name] & edges.keys():
            join(name, target)
    found: dict[str, list[str]] = {}
    for name in sorted(edges):
        found.setdefault(root(name), []).append(name)
    return list(found.values())


def _discriminated(node: dict[str, Any]) -> set[str]:
    """The components a ``discriminator`` chooses between: the tool narrows each one's discriminating
    property to its value (``Literal['public']``), in that component's class."""
    found = {t for key in ("oneOf", "anyOf") for member in as_list(node.get(key)) for t in references(member)}
    mapping = as_dict(node["discriminator"].get("mapping"))
    found.update(ref_name(v) for v in mapping.values() if isinstance(v, str) and v.startswith(_PREFIX))
    return found


def _bucket(name: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % count


def _outside(
    names: Iterable[str], facts: Facts, owner: dict[str, int], index: int, forced: frozenset[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The other groups' schemas a group reaches: copied (and followed further) or imported (not).

    An ``allOf`` merge reads its members whole, and their properties' schemas too (a redeclared
    property is merged with the one it redeclares): those are copied whatever they are, two levels
    down from the merge (``depth``), wherever the merge is.
    """
    copied: set[str] = set()
    imported: set[str] = set()
    depth: dict[str, int] = {}
    todo = [(name, 0) for name in names]
    while todo:
        name, level = todo.pop()
        if name in depth and depth[name] >= level:
            continue
        depth[name] = level
        if owner[name] != index:
            if name in facts.classes and level == 0 and name not in forced:
                imported.add(name)
                continue
            imported.discard(name)
            copied.add(name)
        parents = facts.parents[name]
        todo.extend((target, max(level - 1, 2 if target in parents else 0)) for target in facts.edges[name])
    return tuple(sorted(copied)), tuple(sorted(imported))
