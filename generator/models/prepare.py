"""Shape the component schemas into what datamodel-code-generator turns into the client's types.

The tool is driven by its input as much as by its options; each rewrite here
keeps the schema's meaning and decides one thing about the Python type:

* string formats are dropped, so a value stays the string the caller wrote
  (no ``AnyUrl`` respelling a URL, no ``datetime`` dropping digits, no
  ``SecretStr`` masking a password on the wire, no ``EmailStr`` needing a package
  the client does not declare); the formats the client can check exactly by
  their shape become a ``pattern`` (date-time, date, time, uuid, byte);
* a schema with readOnly/writeOnly properties gets a request and a response
  shape (``directions``);
* ``number`` becomes ``integer | number``, so ``16384`` stays an int and ``1.5`` a float;
* identical inline enums (same type, values and description) become one
  shared component, so a value read from one model can be passed to another;
* patterns get their JavaScript meaning in pydantic's engines (``patterns``),
  and an impossible ``default: null`` is dropped.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
from dataclasses import dataclass
from typing import Any

from .. import naming
from ..openapi.formats import FORMAT_PATTERNS
from ..openapi.toolkit import as_dict, component_ref, map_schema, walk
from . import patterns
from .directions import Contradiction, Variants, split
from .inline import hoist_inline, unmerged

# `binary` is the one format kept: it is how a multipart file part or a raw body is declared.
KEPT_FORMATS = frozenset({"binary"})
_SHAREABLE_ENUM_KEYS = frozenset({"type", "enum", "description"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Prepared:
    document: dict[str, Any]
    python_patterns: frozenset[str]  # translated patterns only Python's `re` can run (see patterns.py)
    aliases: dict[str, str]  # wire name -> field name, for names the tool would keep non-ASCII
    variants: Variants  # the request and response shapes of readOnly/writeOnly schemas
    contradictions: tuple[Contradiction, ...] = ()  # required and readOnly/writeOnly at once


def prepare(document: dict[str, Any]) -> Prepared:
    components = dict(as_dict(document.get("components")))
    schemas = as_dict(components.get("schemas"))
    if not schemas:
        return Prepared(
            document=document, python_patterns=frozenset(), aliases={}, variants=Variants(request={}, response={})
        )
    python_only: set[str] = set()
    schemas = {name: _narrowed_to_const(schema) for name, schema in schemas.items()}
    schemas, variants, found = split(document, schemas)
    schemas = hoist_inline(share_enums(schemas))
    schemas = {name: map_schema(schema, lambda node: _adapt(node, python_only)) for name, schema in schemas.items()}
    components["schemas"] = schemas
    return Prepared(
        document={**document, "components": components},
        python_patterns=frozenset(python_only),
        aliases={**field_aliases(schemas), **prefixed_aliases(schemas)},
        variants=variants,
        contradictions=found,
    )


def _narrowed_to_const(schema: Any) -> Any:
    """In an ``allOf`` member, a property narrowed to one enum value becomes that ``const``.

    datamodel-code-generator merges such a property with the inherited one into a new enum
    holding both lists (the parent's values and the child's again), so the subtype would
    accept every value of the parent; a ``const`` it keeps as the one value.
    """
    if not isinstance(schema, dict) or not isinstance(schema.get("allOf"), list):
        return schema
    members = []
    for member in schema["allOf"]:
        properties = member.get("properties") if isinstance(member, dict) else None
        if isinstance(properties, dict) and "$ref" not in member:
            properties = {
                name: (
                    {**{k: v for k, v in sub.items() if k != "enum"}, "const": sub["enum"][0]}
                    if isinstance(sub, dict)
                    and isinstance(sub.get("enum"), list)
                    and len(sub["enum"]) == 1
                    and "const" not in sub
                    else sub
                )
                for name, sub in properties.items()
            }
            member = {**member, "properties": properties}
        members.append(member)
    return {**schema, "allOf": members}


def _nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    branches = [*(schema.get("oneOf") or []), *(schema.get("anyOf") or [])]
    return (
        schema.get("nullable") is True
        or kind == "null"
        or (isinstance(kind, list) and "null" in kind)
        or any(isinstance(b, dict) and b.get("type") == "null" for b in branches)
    )


def _adapt(node: dict[str, Any], python_only: set[str]) -> dict[str, Any]:
    members = node.get("enum")
    if isinstance(members, list) and len(members) > 1:
        # A value listed twice says nothing more; listed three times, the tool names two members
        # alike and the module cannot be imported (vercel.com's `target`).
        unique = list({json.dumps(member, sort_keys=True): member for member in members}.values())
        if len(unique) != len(members):
            node["enum"] = unique
    if "default" in node and node["default"] is None and not _nullable(node):
        # `default: null` on a schema that does not allow null: the value is simply
        # absent (the tool would write `x: list[str] = None`).
        del node["default"]
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    fmt = node.get("format")
    if isinstance(fmt, str) and fmt not in KEPT_FORMATS:
        del node["format"]
        if fmt in FORMAT_PATTERNS and "pattern" not in node and (kind is None or "string" in kinds):
            node["pattern"] = FORMAT_PATTERNS[fmt]
    if "number" in kinds and "integer" not in kinds and "enum" not in node and "const" not in node:
        node["type"] = (
            ["integer", "number"]
            if kind == "number"
            else [k for t in kinds for k in (("integer", "number") if t == "number" else (t,))]
        )
    if isinstance(node.get("pattern"), str):
        rust = patterns.rust_compatible(node["pattern"])
        if rust is None:
            rust = patterns.python_compatible(node["pattern"])
            python_only.add(rust)
        node["pattern"] = rust
    return node


def _enum_key(schema: dict[str, Any]) -> str | None:
    """What makes two enums the same: type, values in order and description; None if not shareable."""
    if not isinstance(schema.get("enum"), list) or not set(schema) <= _SHAREABLE_ENUM_KEYS:
        return None
    return json.dumps([schema.get("type"), schema["enum"], schema.get("description")], sort_keys=True)


def _path_words(component: str, tokens: tuple[str | int, ...]) -> list[str]:
    """The words of the name the tool would give the enum at ``tokens`` (parent-prefixed)."""
    words = [component]
    for index, token in enumerate(tokens):
        if index and tokens[index - 1] == "properties" and isinstance(token, str):
            words.append(naming.pascal_case(token))
        elif token == "items" and (index == 0 or tokens[index - 1] != "properties"):
            words.append("Item")
    return [w for part in words for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[0-9]+", part)]


def _shared_name(places: list[tuple[str, tuple[str | int, ...]]]) -> str:
    """The longest run of words that ends every occurrence's own name: ``HealthCheckType`` for
    ``HealthCheckType`` and ``PutManualJobHealthCheckType``; the first name when they share none."""
    names = [_path_words(component, tokens) for component, tokens in places]
    common: list[str] = []
    for words in zip(*(reversed(n) for n in names), strict=False):
        if len(set(words)) != 1:
            break
        common.insert(0, words[0])
    return "".join(common or names[0])


def share_enums(schemas: dict[str, Any]) -> dict[str, Any]:
    """Identical inline enums become one component (a component enum they equal, or a new one).

    A new component is named by the words that end every occurrence's own
    name (``RunOnSourceChange`` for ``CreateManualJobRequestRunOnSourceChange``
    and ``CronJobRunOnSourceChange``; ``JobRunOnSourceChange`` for
    ``CronJobRunOnSourceChange`` and ``ManualJobRunOnSourceChange``, which
    share ``Job`` too); occurrences are visited in sorted pointer order, so the
    result does not depend on the order of the spec.
    """
    targets: dict[str, str] = {}  # enum key -> component name
    for name in sorted(schemas):
        key = _enum_key(as_dict(schemas[name]))
        if key is not None and key not in targets:
            targets[key] = name
    found: dict[str, list[tuple[str, tuple[str | int, ...]]]] = {}
    for name in sorted(schemas):
        for tokens, node in unmerged(schemas[name], schemas):
            key = _enum_key(node) if tokens else None
            if key is not None:
                found.setdefault(key, []).append((name, tokens))
    for places in found.values():  # sorted pointer order, whatever the order of properties in the spec
        places.sort(key=lambda place: (place[0], [str(t) for t in place[1]]))
    taken = {naming.pascal_case(n) for n in schemas}
    result = dict(schemas)
    for key, places in sorted(found.items(), key=lambda kv: (kv[1][0][0], [str(t) for t in kv[1][0][1]])):
        if key not in targets and len(places) < 2:
            continue
        if key not in targets:
            new = naming.unique(naming.pascal_case(_shared_name(places)), taken)
            taken.add(new)
            component, component_tokens = places[0]
            result[new] = _at(result[component], component_tokens)
            targets[key] = new
        for component, tokens in places:
            result[component] = _replace(result[component], tokens, {"$ref": component_ref(targets[key])})
    return result


def _at(schema: Any, tokens: tuple[str | int, ...]) -> Any:
    for token in tokens:
        schema = schema[token]
    return schema


def _replace(schema: Any, tokens: tuple[str | int, ...], value: Any) -> Any:
    """A copy of ``schema`` with the node at ``tokens`` replaced (copies only along the path)."""
    if not tokens:
        return value
    head, rest = tokens[0], tokens[1:]
    if isinstance(schema, list):
        copy_list = list(schema)
        copy_list[int(head)] = _replace(schema[int(head)], rest, value)
        return copy_list
    copy = dict(schema)
    copy[str(head)] = _replace(schema[head], rest, value)
    return copy


def _property_names(schemas: dict[str, Any]) -> set[str]:
    return {
        str(name) for schema in schemas.values() for _, node in walk(schema) for name in as_dict(node.get("properties"))
    }


def field_aliases(schemas: dict[str, Any]) -> dict[str, str]:
    """Field names for non-ASCII and soft-keyword property names (the tool keeps ``名前`` and ``match``).

    The tool applies this map to every model, so each name must be unique in
    the whole document: a folded name that could meet another gets a hash.
    """
    names = _property_names(schemas)
    ascii_fields = {naming.field_name(n) for n in names if n.isascii() and not keyword.issoftkeyword(n)}
    result: dict[str, str] = {}
    for name in sorted(n for n in names if not n.isascii() or keyword.issoftkeyword(n)):
        folded = naming.field_name(name)
        if folded in ascii_fields or folded in result.values() or folded == "field":
            folded = f"{folded}_{hashlib.sha256(name.encode()).hexdigest()[:6]}"
        result[name] = folded
    return result


def _class_properties(schemas: dict[str, Any], name: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """The property names of the class of component ``name``, inherited (``allOf``) ones too."""
    schema = as_dict(schemas.get(name))
    found = list(as_dict(schema.get("properties")))
    for member in schema.get("allOf") or []:
        ref = as_dict(member).get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            parent = ref.rsplit("/", 1)[1]
            if parent not in seen:
                found += _class_properties(schemas, parent, seen | {name})
        found += list(as_dict(as_dict(member).get("properties")))
    return found


def prefixed_aliases(schemas: dict[str, Any]) -> dict[str, str]:
    """``$id`` and ``_id`` become the field ``id`` (the wire name kept as the alias) where no other field is ``id``.

    The tool would write ``field_id``. The alias is scoped to the class (``Doc.$id``),
    the class being its component's name (every object schema is a component by now).
    """
    result: dict[str, str] = {}
    for name in sorted(schemas):
        properties = _class_properties(schemas, name)
        plain = {naming.field_name(p) for p in properties if not p.startswith(("$", "_"))}
        for prop in properties:
            stripped = prop.lstrip("$_")
            if prop != stripped and stripped and prop.isascii():
                natural = naming.field_name(stripped)
                if natural not in plain and natural != "field":
                    plain.add(natural)
                    result[f"{naming.pascal_case(name)}.{prop}"] = natural
    return result
