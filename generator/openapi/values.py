"""Check every ``default``, ``const`` and ``example`` against the schema it belongs to, with its pointer.

openapi-spec-validator notices such values but loses where they are; this pass
names each one and takes it out of the document the later stages see, so no
default the type checker would reject is written into a model, and the testing
fake never serves an example that breaks its own schema. The values are
checked by an independent JSON Schema validator (``jsonschema``), draft 4 for
OpenAPI 3.0 (whose ``nullable`` is honoured) and 2020-12 for 3.1; the formats
the client checks by shape (``formats.py``) are asserted, others are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics, pointer
from .formats import format_checker
from .toolkit import as_dict, is_openapi30, walk

# A `const` is the schema itself; a default beside it that disagrees fails as a default.
_VALUE_KEYS = ("default", "example")
_URI = "urn:openapi-client-gen:document"


def _schema_locations(document: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every schema object the document holds, where the later stages read them."""
    components = as_dict(document.get("components"))
    for name, schema in sorted(as_dict(components.get("schemas")).items()):
        yield from walk(schema, ("components", "schemas", name))
    for name, param in sorted(as_dict(components.get("parameters")).items()):
        yield from walk(as_dict(param).get("schema"), ("components", "parameters", name, "schema"))
    for path, item in sorted(as_dict(document.get("paths")).items()):
        for method, op in as_dict(item).items():
            if method == "parameters":
                for index, param in enumerate(op if isinstance(op, list) else []):
                    yield from walk(as_dict(param).get("schema"), ("paths", path, "parameters", index, "schema"))
                continue
            op = as_dict(op)
            params: list[Any] = op["parameters"] if isinstance(op.get("parameters"), list) else []
            for index, param in enumerate(params):
                yield from walk(as_dict(param).get("schema"), ("paths", path, method, "parameters", index, "schema"))
            body = as_dict(op.get("requestBody"))
            for media_type, media in sorted(as_dict(body.get("content")).items()):
                at: tuple[str | int, ...] = ("paths", path, method, "requestBody", "content", media_type, "schema")
                yield from walk(as_dict(media).get("schema"), at)
            for status, response in sorted(as_dict(op.get("responses")).items(), key=lambda kv: str(kv[0])):
                for media_type, media in sorted(as_dict(as_dict(response).get("content")).items()):
                    at = ("paths", path, method, "responses", str(status), "content", media_type, "schema")
                    yield from walk(as_dict(media).get("schema"), at)


def _media_examples(document: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], tuple[str | int, ...]]]:
    """(where the example value is, where its schema is) for every media-type example of an operation."""
    for path, item in sorted(as_dict(document.get("paths")).items()):
        for method, op in as_dict(item).items():
            op = as_dict(op)
            containers: list[tuple[tuple[str | int, ...], Any]] = [
                (("paths", path, method, "requestBody"), op.get("requestBody"))
            ]
            containers += [
                (("paths", path, method, "responses", str(status)), response)
                for status, response in as_dict(op.get("responses")).items()
            ]
            for at, container in containers:
                for media_type, media in sorted(as_dict(as_dict(container).get("content")).items()):
                    media = as_dict(media)
                    if "schema" not in media:
                        continue
                    where = (*at, "content", media_type)
                    if "example" in media:
                        yield (*where, "example"), (*where, "schema")
                    for name, example in sorted(as_dict(media.get("examples")).items()):
                        if isinstance(example, dict) and "value" in example:
                            yield (*where, "examples", name, "value"), (*where, "schema")


def _get(document: Any, tokens: tuple[str | int, ...]) -> Any:
    node = document
    for token in tokens:
        node = node[token] if isinstance(node, dict) else node[int(token)]
    return node


class _Checker:
    def __init__(self, document: dict[str, Any]) -> None:
        import jsonschema  # type: ignore[import-untyped, unused-ignore]
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4, DRAFT202012

        self.openapi30 = is_openapi30(document)
        spec = DRAFT4 if self.openapi30 else DRAFT202012
        registry: Registry[Any] = Registry().with_resource(_URI, Resource.from_contents(document, spec))
        base = jsonschema.Draft4Validator if self.openapi30 else jsonschema.Draft202012Validator
        cls = jsonschema.validators.extend(base, {"properties": _object_properties(base.VALIDATORS["properties"])})
        self.validator = cls({}, registry=registry, format_checker=format_checker())

    def problem(self, value: Any, schema_at: tuple[str | int, ...]) -> str | None:
        """Why ``value`` breaks the schema at ``schema_at``, or None when it holds."""
        schema = {"$ref": _URI + "#" + pointer(*schema_at)}
        try:
            errors = list(self.validator.evolve(schema=schema).iter_errors(value))
        except Exception:  # an unresolvable or malformed schema: the validator reports it
            return None
        for error in errors:
            if self.openapi30 and error.instance is None and as_dict(error.schema).get("nullable") is True:
                continue
            where = "/".join(str(p) for p in error.absolute_path)
            return f"{error.message}" + (f" (at {where})" if where else "")
        return None


def _object_properties(properties: Any) -> Any:
    """JSON Schema's ``properties``, read as the models read it: a schema with ``properties`` and
    no ``type`` (nor a union, enum or const) is an object, so a value that is not one breaks it.
    Plain JSON Schema lets a string through, and the testing fake would serve an example its own
    client refuses (mailscript.com's type-less ``AddActionResponse``)."""
    import jsonschema

    def keyword(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        reads_as_object = not any(key in schema for key in ("type", "oneOf", "anyOf", "enum", "const"))
        if reads_as_object and not validator.is_type(instance, "object"):
            yield jsonschema.ValidationError(
                f"{instance!r} is not an object, which the client reads this schema as (it has `properties` "
                "and no `type`)"
            )
            return
        yield from properties(validator, value, instance, schema)

    return keyword


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _fits(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if isinstance(value, bool) and kind != "boolean":
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _JSON_TYPES.get(kind, (object,)))


def _kinds(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    kinds = (
        [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []
    )
    return [*kinds, "null"] if kinds and schema.get("nullable") is True else kinds


def _check_const(schema: dict[str, Any], at: tuple[str | int, ...], file: str, diags: Diagnostics) -> bool:
    """A `const` its own `type` excludes: no value can match; True when it was reported."""
    kinds = _kinds(schema)
    if "const" not in schema or not kinds or any(_fits(schema["const"], k) for k in kinds):
        return False
    diags.warning(
        file,
        pointer(*at, "const"),
        "const-type-mismatch",
        f"const {schema['const']!r} is not of the schema's type {'/'.join(kinds)}, so no value can match it; "
        "the model accepts the const as written. Fix the type or the const",
    )
    return True


def _check_enum(schema: dict[str, Any], at: tuple[str | int, ...], file: str, diags: Diagnostics) -> bool:
    """An enum member its own `type` excludes: no value can match it; True when it was reported."""
    members, kinds = schema.get("enum"), _kinds(schema)
    if not isinstance(members, list) or not kinds:
        return False
    odd = [m for m in members if not any(_fits(m, k) for k in kinds)]
    if odd:
        shown = ", ".join(repr(m) for m in odd[:5]) + (" ..." if len(odd) > 5 else "")
        diags.warning(
            file,
            pointer(*at, "enum"),
            "enum-type-mismatch",
            f"enum members {shown} are not of the schema's type {'/'.join(kinds)}, so no value can match "
            "them; the model converts them to that type (the string '2' for 2). Fix the type or the members",
        )
    return bool(odd)


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedValues:
    document: dict[str, Any]  # without the defaults and examples that break their schemas
    rewrites: tuple[tuple[str, str], ...]  # (pointer, what was changed): for the README's list


def check_values(document: dict[str, Any], *, file: str, diags: Diagnostics) -> CheckedValues:
    """Warn about every value that breaks its own schema; the document without them, and the list."""
    checker = _Checker(document)
    bad: list[tuple[str | int, ...]] = []
    rewrites: list[tuple[str, str]] = []
    for at, schema in _schema_locations(document):
        if _check_enum(schema, at, file, diags):
            rewrites.append((pointer(*at, "enum"), "enum (members not of the schema's type)"))
        if _check_const(schema, at, file, diags):
            rewrites.append((pointer(*at, "const"), "const (not of the schema's type)"))
        for key in _VALUE_KEYS:
            if key not in schema:
                continue
            reason = checker.problem(schema[key], at)
            if reason is not None:
                diags.warning(
                    file,
                    pointer(*at, key),
                    f"invalid-{key}",
                    f"the {key} value breaks its own schema: {reason}; it is "
                    + ("left out of the model" if key == "default" else "not used as an example")
                    + f". Fix the {key} or the schema",
                )
                bad.append((*at, key))
                if key == "default":
                    rewrites.append((pointer(*at, key), "default (breaks its schema: left out)"))
    for value_at, schema_at in _media_examples(document):
        reason = checker.problem(_get(document, value_at), schema_at)
        if reason is not None:
            diags.warning(
                file,
                pointer(*value_at),
                "invalid-example",
                f"the example breaks the media type's schema: {reason}; the testing fake will not serve it. "
                "Fix the example or the schema",
            )
            bad.append(value_at)
    if not bad:
        return CheckedValues(document=document, rewrites=tuple(rewrites))
    return CheckedValues(document=_without(document, bad), rewrites=tuple(rewrites))


def _without(document: dict[str, Any], bad: list[tuple[str | int, ...]]) -> dict[str, Any]:
    """A copy of ``document`` without the values at ``bad``, the input left as it is.

    Only the containers on the way to a removed value are copied; the rest is shared (a deep copy
    of GitHub's 13 MB spec took a second, for a few dozen bad examples).
    """
    cleaned = dict(document)
    copies: dict[tuple[str | int, ...], Any] = {(): cleaned}
    for tokens in bad:
        node: Any = cleaned
        for depth in range(1, len(tokens)):
            twin = copies.get(tokens[:depth])
            if twin is None:
                token = tokens[depth - 1]
                original = node[token] if isinstance(node, dict) else node[int(token)]
                twin = dict(original) if isinstance(original, dict) else list(original)
                if isinstance(node, dict):
                    node[token] = twin
                else:
                    node[int(token)] = twin
                copies[tokens[:depth]] = twin
            node = twin
        if isinstance(node, dict):
            node.pop(tokens[-1], None)
    return cleaned
