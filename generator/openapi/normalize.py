"""The bundled document in canonical form: components named as their classes, every body a named
component (bodies.py), inline union branches named, discriminator mappings as refs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .. import naming
from ..diagnostics import pointer
from .bodies import hoist_body_schemas
from .toolkit import SCHEMA_CHILD, SCHEMA_LIST, SCHEMA_MAP, component_ref, unescape_token

_UNION_KEYS = ("oneOf", "anyOf")


def _branch_name(parent: str, branch: dict[str, Any], index: int) -> str:
    """A meaningful class name for an inline union branch (never just a number when avoidable)."""
    if isinstance(branch.get("title"), str) and branch["title"].strip():
        return naming.pascal_case(branch["title"])
    values = branch.get("enum") if isinstance(branch.get("enum"), list) else None
    if "const" in branch:
        values = [branch["const"]]
    if values and len(values) == 1 and isinstance(values[0], (str, int)):
        return parent + naming.pascal_case(str(values[0]), fallback="Value")
    required = branch.get("required")
    props = branch.get("properties")
    if isinstance(props, dict) and isinstance(required, list) and required and isinstance(required[0], str):
        return parent + naming.pascal_case(required[0])
    if isinstance(props, dict) and len(props) == 1:
        return parent + naming.pascal_case(next(iter(props)))
    if branch.get("type") == "object" and not props:
        return parent + "Empty"
    kind = branch.get("type")
    if isinstance(kind, str):
        detail = branch.get("format") or ("pattern" if "pattern" in branch else "")
        return parent + naming.pascal_case(f"{detail} {kind}" if detail else kind)
    return f"{parent}Option{index + 1}"


def _hoist_union_branches(
    node: Any, parent: str, schemas: dict[str, Any], taken: set[str], components: frozenset[str]
) -> Any:
    """Copy of a schema in which inline union branches are named components, and a discriminator's
    mapping values naming one of ``components`` are refs to it."""
    if isinstance(node, list):
        return [_hoist_union_branches(item, parent, schemas, taken, components) for item in node]
    if not isinstance(node, dict) or "$ref" in node:
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in _UNION_KEYS and isinstance(value, list):
            branches = []
            for index, branch in enumerate(value):
                if isinstance(branch, dict) and "$ref" not in branch and branch:
                    name = naming.unique(_branch_name(parent, branch, index), taken)
                    taken.add(name)
                    schemas[name] = _hoist_union_branches(branch, name, schemas, taken, components)
                    branches.append({"$ref": "#" + pointer("components", "schemas", name)})
                else:
                    branches.append(branch)
            result[key] = branches
        elif key == "properties" and isinstance(value, dict):
            result[key] = {
                prop: _hoist_union_branches(sub, parent + naming.pascal_case(prop), schemas, taken, components)
                for prop, sub in value.items()
            }
        elif key in SCHEMA_MAP and isinstance(value, dict):
            result[key] = {
                name: _hoist_union_branches(sub, parent, schemas, taken, components) for name, sub in value.items()
            }
        elif key in SCHEMA_CHILD or key in SCHEMA_LIST:
            result[key] = _hoist_union_branches(value, parent, schemas, taken, components)
        elif key == "discriminator" and isinstance(value, dict) and isinstance(value.get("mapping"), dict):
            mapping = {tag: _mapping_ref(target, components) for tag, target in value["mapping"].items()}
            result[key] = {**value, "mapping": mapping}
        else:
            result[key] = value
    return result


def _mapping_ref(target: Any, components: frozenset[str]) -> Any:
    """A discriminator mapping's value as a ref. OpenAPI allows a bare schema name (``Cat``), which
    the models tool does not read as one: it would tag the class by its name, not the mapping's key."""
    if isinstance(target, str) and "/" not in target and "#" not in target and target in components:
        return component_ref(target)
    return target


def name_union_branches(document: dict[str, Any]) -> dict[str, Any]:
    """A new document whose inline oneOf/anyOf branches are named components (and whose
    discriminator mappings name their schemas by ref, never by bare name).

    Tools name such branches ``Parent1``, ``Parent2``; here a branch is named
    from its title, its single enum/const value, its first required property or
    its type, so the classes say what they are (``BuildShaLatest``).
    """
    components = dict(document.get("components") or {})
    schemas = dict(components.get("schemas") or {})
    if not schemas:
        return document
    taken = {naming.pascal_case(name) for name in schemas}
    originals = list(schemas.items())
    named = frozenset(schemas)
    for name, schema in originals:
        schemas[name] = _hoist_union_branches(schema, naming.pascal_case(name), schemas, taken, named)
    components["schemas"] = schemas
    return {**document, "components": components}


_SCHEMAS_PREFIX = "#/components/schemas/"


def _renamed_ref(ref: str, names: dict[str, str]) -> str:
    """``ref`` after the renames ``names`` (old component name -> new), also into a component or percent-encoded."""
    if not ref.startswith(_SCHEMAS_PREFIX):
        return ref
    head, slash, rest = ref[len(_SCHEMAS_PREFIX) :].partition("/")
    old = unescape_token(unquote(head))
    if old not in names:
        return ref
    return component_ref(names[old]) + slash + rest


def _rewrite_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_rewrite_refs(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            result[key] = _renamed_ref(value, names)
        elif key == "mapping" and isinstance(value, dict):
            # A mapping value is a ref or, as OpenAPI allows, a bare schema name.
            result[key] = {
                k: (names.get(v, v) if "/" not in v and "#" not in v else _renamed_ref(v, names))
                if isinstance(v, str)
                else v
                for k, v in value.items()
            }
        else:
            result[key] = _rewrite_refs(value, names)
    return result


def canonical_schema_names(document: dict[str, Any]) -> dict[str, Any]:
    """Rename components so each is already its own unique class name (`job` → `Job2` beside `Job`).

    Names are given in sorted order of the originals, so the result does not
    depend on the order of the spec's `components.schemas`; refs follow.
    """
    components = dict(document.get("components") or {})
    schemas = components.get("schemas")
    if not isinstance(schemas, dict) or not schemas:
        return document
    taken: set[str] = set()
    new_names: dict[str, str] = {}
    for name in sorted(schemas):
        new_names[name] = naming.unique(naming.pascal_case(name), taken)
        taken.add(new_names[name])
    renames = {old: new for old, new in new_names.items() if old != new}
    components["schemas"] = {new_names[name]: schemas[name] for name in sorted(schemas)}
    result = {**document, "components": components}
    return _rewrite_refs(result, renames) if renames else result


@dataclass(frozen=True, slots=True, kw_only=True)
class NormalisedSpec:
    """The bundled document with every component canonically named and every body a named component."""

    document: dict[str, Any]
    body_wrappers: frozenset[str]  # hoisted body schemas that are not objects: they stay root-model classes


def normalize(document: dict[str, Any]) -> NormalisedSpec:
    """Canonical component names, then body schemas hoisted into components, then union branches named."""
    hoisted, wrappers = hoist_body_schemas(canonical_schema_names(document))
    return NormalisedSpec(document=name_union_branches(hoisted), body_wrappers=wrappers)
