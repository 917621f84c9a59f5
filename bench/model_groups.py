"""Experiment: can datamodel-code-generator run on groups of schemas and give what one run gives?

Issue 15 asked for model generation as independently cached groups, so that an
edit reruns one group and groups run on both cores. This script builds the
most promising grouping and compares its merged output, class by class, with
one run over the whole document:

    .venv/bin/python bench/model_groups.py bench/.work/bench/inputs/github/api.github.com.json

The grouping:

A group's run must not depend on the other groups, so that an edit reruns only
the group it touches and groups can run on separate cores:

* schemas that reach each other (a cycle) stay in one group, and a schema's
  group is a hash of its cycle's first name, so it does not move when others
  are added or removed;
* a schema the group uses but another group owns is either *imported* (a
  model or an enum, which the tool always emits as a class of its own name:
  ``type_overrides`` makes the tool import it instead) or *copied* (anything
  else: the tool may fold it into the field that uses it, so the group sees the
  real schema, as a run over the whole document would).

What it found on GitHub's spec is in docs/benchmarks.md ("Incremental regeneration:
the bound", issue 25): with every inline name fixed beforehand and stubs that carry each
imported schema's facts, 23 of 3,554 classes still differ, and the tool still names and
drops classes by what the whole document holds (``Issue1``..``Issue6``, unreferenced
aliases it folds away).
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.diagnostics import Diagnostics
from generator.models.prepare import prepare
from generator.models.tool import PLACEHOLDER, options
from generator.openapi.bundle import bundle
from generator.openapi.load import load_spec
from generator.openapi.normalize import normalize
from generator.openapi.toolkit import as_dict, ref_name, walk

# Below this many schemas one run is fast enough (Northflank: 0.5 s) and its output stays exactly
# what it always was; GitHub's 2,446 make 2,446 // 150 = 16 groups.
GROUPED_FROM = 400
SCHEMAS_PER_GROUP = 150
MAX_GROUPS = 32
_SCHEMA_PREFIX = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class Group:
    index: int
    members: tuple[str, ...]  # the schemas this group owns, sorted
    copied: tuple[str, ...]  # others' schemas it includes as they are, sorted
    imported: tuple[str, ...]  # others' schemas it imports by name, sorted

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        """The document the tool runs on for this group: its own schemas and the copied ones."""
        schemas = as_dict(as_dict(document.get("components")).get("schemas"))
        own = {name: schemas[name] for name in (*self.members, *self.copied)}
        # An imported schema still needs an entry for `$ref`s to resolve; the tool drops its class.
        # The stub keeps the schema's own facts (`nullable`, `default`, `enum`, `type`, ...) that
        # the tool reads through a `$ref` into the field that uses it, and none of its structure.
        own.update({name: _stub(schemas[name]) for name in self.imported})
        return {**document, "paths": {}, "components": {"schemas": dict(sorted(own.items()))}}

    def type_overrides(self) -> dict[str, str]:
        return {name: f"{PLACEHOLDER}.models.{name}" for name in self.imported}


_STRUCTURE = frozenset(
    {"properties", "allOf", "anyOf", "oneOf", "items", "additionalProperties", "not", "patternProperties", "required"}
)


def _stub(schema: Any) -> dict[str, Any]:
    """An imported schema as its group sees it: its keywords without the subschemas and `required`."""
    stub = {key: value for key, value in as_dict(schema).items() if key not in _STRUCTURE}
    stub.setdefault("type", "object")
    return stub


def references(schema: Any) -> set[str]:
    """The component schemas ``schema`` refers to directly."""
    found: set[str] = set()
    for _, node in walk(schema):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMA_PREFIX):
            found.add(ref_name(ref))
    return found


def is_class(schema: Any) -> bool:
    """Whether the tool always emits this component as a class of its own name (a model or an enum)."""
    node = as_dict(schema)
    return "enum" in node or "properties" in node or "allOf" in node


def plan(schemas: dict[str, Any]) -> tuple[Group, ...]:
    """The groups of a document with at least GROUPED_FROM schemas; () for a smaller one (one run)."""
    if len(schemas) < GROUPED_FROM:
        return ()
    edges = {name: sorted(references(schema) & schemas.keys()) for name, schema in schemas.items()}
    count = min(MAX_GROUPS, max(2, len(schemas) // SCHEMAS_PER_GROUP))
    members: list[list[str]] = [[] for _ in range(count)]
    for cycle in _strongly_connected(edges):
        members[_bucket(min(cycle), count)].extend(cycle)
    owner = {name: index for index, names in enumerate(members) for name in names}
    groups = []
    for index, names in enumerate(members):
        copied, imported = _outside(names, edges, schemas, owner, index)
        groups.append(Group(index, tuple(sorted(names)), copied, imported))
    return tuple(group for group in groups if group.members)


def _bucket(name: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % count


def _outside(
    names: Iterable[str], edges: dict[str, list[str]], schemas: dict[str, Any], owner: dict[str, int], index: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The other groups' schemas a group reaches: copied (followed further) and imported (not)."""
    copied: set[str] = set()
    imported: set[str] = set()
    todo = [target for name in names for target in edges[name]]
    while todo:
        name = todo.pop()
        if owner[name] == index or name in copied or name in imported:
            continue
        if is_class(schemas[name]):
            imported.add(name)
        else:
            copied.add(name)
            todo.extend(edges[name])
    return tuple(sorted(copied)), tuple(sorted(imported))


def _strongly_connected(edges: dict[str, list[str]]) -> Iterator[list[str]]:
    """Tarjan's algorithm, iterative (a long chain of `$ref`s must not exhaust the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                yield sorted(component)


def _classes(source: str) -> dict[str, str]:
    lines = source.splitlines()
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef)
    }


def _run(document: dict[str, Any], aliases: dict[str, str], overrides: dict[str, str]) -> tuple[str, list[Any], float]:
    from datamodel_code_generator import generate

    report = Path("/tmp/model-groups-report.json")
    started = time.perf_counter()
    source = generate(
        document,
        **options("# h"),
        aliases=aliases or None,
        type_overrides=overrides or None,
        emit_model_metadata=report,
    )
    elapsed = time.perf_counter() - started
    assert isinstance(source, str)
    return source, json.loads(report.read_text())["models"], elapsed


def main(spec: Path) -> None:
    diags = Diagnostics()
    loaded = load_spec(spec, spec.name, diags)
    assert loaded is not None, diags.render()
    prepared = prepare(normalize(bundle(loaded.path, spec.name, loaded.document, diags).document).document)
    schemas = prepared.document["components"]["schemas"]
    whole_source, _, whole_s = _run(prepared.document, prepared.aliases, {})
    whole = _classes(whole_source)
    groups = plan(schemas)
    owner = {name: group.index for group in groups for name in group.members}
    merged: dict[str, str] = {}
    names_of: dict[str, set[str]] = {}
    duplicates: set[str] = set()
    total_s = 0.0
    for group in groups:
        source, report, elapsed = _run(group.document(prepared.document), prepared.aliases, group.type_overrides())
        total_s += elapsed
        blocks = _classes(source)
        for model in report:
            ref = str(model["source_ref"])
            names_of.setdefault(ref, set()).add(str(model["class_name"]))
            if owner.get(ref[len(_SCHEMA_PREFIX) :].split("/")[0]) == group.index:
                if model["class_name"] in merged:
                    duplicates.add(str(model["class_name"]))
                merged[str(model["class_name"])] = blocks[str(model["class_name"])]
    print(f"{len(schemas)} schemas; one run: {whole_s:.1f} s, {len(whole)} classes")
    print(f"{len(groups)} groups, run one after another: {total_s:.1f} s, {len(merged)} classes merged")
    print(f"classes only one run has: {len(set(whole) - set(merged))}")
    print(f"classes only the groups have: {len(set(merged) - set(whole))}")
    print(f"same name, different code: {sum(1 for n in whole if n in merged and whole[n] != merged[n])}")
    print(f"classes two groups both own: {len(duplicates)}")
    print(f"schemas named differently by different groups: {sum(1 for names in names_of.values() if len(names) > 1)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
