"""Property-based tests: random valid specs generate code that compiles, imports, and round-trips.

Hypothesis draws object schemas (random property names including unicode, keywords and
punctuation; string/integer/number/boolean/array/nested-object types; enums of random
strings and integers; required subsets; min/max constraints; simple patterns; defaults)
and operations (random paths, path/query/header parameter names, operationIds and tags).
Each example is generated into a fresh package under a unique name and imported in this
process; instances are drawn from the schema by a small strategy written here (no
hypothesis-jsonschema), so the expected values are exact.

Bounded for CI: few examples, no shrinking (each example costs a full generation), and
``derandomize=True`` so every run draws the same examples.
"""

from __future__ import annotations

import json
import keyword
import re
import string
import typing
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support.codegen import (
    Generated,
    compile_all,
    describe_syntax_errors,
    generate,
    import_package,
    make_client,
)

pytestmark = pytest.mark.slow  # every example is a whole generation

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: every step is a full generation
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=False,
)

# --- names ----------------------------------------------------------------------------------

TRICKY_NAMES = [
    "class",
    "def",
    "import",
    "match",
    "case",
    "type",
    "_",
    "self",
    "id",
    "list",
    "str",
    "print",
    "model_config",
    "model_fields",
    "model_dump",
    "schema",
    "json",
    "dict",
    "copy",
    "validate",
    "fields",
    "Field",
    "Annotated",
    "Any",
    "None",
    "True",
    "__init__",
    "_private",
    "__dunder__",
    "123",
    "1st",
    "",
    "a-b",
    "a b",
    "a.b",
    "a_b",
    "aB",
    "AB",
    "名前",
    "Größe",
    "é",
    'a"b',
    "it's",
    "back\\slash",
    "x\ny",
    "#c",
    "{{x}}",
    "{% y %}",
    '"""',
    "fooBar",
    "foo_bar",
    "foo-bar",
    "body",
    "timeout",
    "extra_headers",
    "endpoint",
    "path_params",
    "response",
    "warnings",
    "httpx",
    "validate_body",
]
_NAME_CHARS = list("abcxyzABCXYZ0129_-. \"'\\#{}$é名ßЖ")


def names(*, min_size: int = 0, exclude: str = "") -> st.SearchStrategy[str]:
    chars = [c for c in _NAME_CHARS if c not in exclude]
    return st.one_of(
        st.sampled_from([n for n in TRICKY_NAMES if len(n) >= min_size and not set(n) & set(exclude)]),
        st.text(alphabet=st.sampled_from(chars), min_size=max(min_size, 1), max_size=10),
    )


# Component names are restricted to ^[a-zA-Z0-9._-]+$. PLAIN_SCHEMA_NAMES leaves out the names
# that shadow what the generated modules import (Endpoint, Mapping, ApiResponse, ...) and dots:
# test_hostile.py pins those, and here they would hide every other finding of the shape test.
PLAIN_SCHEMA_NAMES = st.one_of(
    st.sampled_from(
        [
            "Job",
            "job",
            "Client",
            "Model",
            "Enum",
            "date",
            "str",
            "list",
            "class",
            "None",
            "True",
            "1",
            "_",
            "a-b",
            "A_B",
        ]
    ),
    st.text(alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=10),
)
SCHEMA_NAMES = st.one_of(
    PLAIN_SCHEMA_NAMES,
    st.sampled_from(
        ["Endpoint", "ApiResponse", "Mapping", "Any", "Field", "Annotated", "NotGiven", "v1.Job", "io.k8s.Pod", "a.b"]
    ),
)

# --- schemas ----------------------------------------------------------------------------------

# Patterns on which ECMA-262 and Python agree for the printable-ASCII, newline-free strings drawn
# below (``$`` before a trailing newline, and Unicode \d/\w, are probed in test_hostile.py).
PATTERNS = [
    "^[a-z]+$",
    "^[0-9]{3}-[0-9]{2}$",
    "^[A-Z][a-z0-9_]*$",
    "[0-9]",
    "^\\d+(\\.\\d+)?$",
    "^[\"']+$",
    "^a\"b'c\\\\d$",
    "^[^\\s]+$",
    "^(foo|bar)-\\w{2}$",
    "x",
    "^[\\];]+$",
]
_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_TEXT = st.characters(exclude_categories=["Cs"])  # any code point JSON can carry
ENUM_STRINGS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "a",
            "A",
            "a-b",
            "a_b",
            "a b",
            "None",
            "True",
            "mro",
            "name",
            "value",
            "_value_",
            "_missing_",
            "__init__",
            'q"uote',
            "it's",
            "back\\",
            "new\nline",
            '"""',
            "{{ x }}",
            "名前",
            "1st",
            "\x00",
            "\u2028",
        ]
    ),
    st.text(alphabet=_TEXT, max_size=8),
)


@st.composite
def scalar_schemas(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean"]))
    schema: dict[str, Any] = {"type": kind}
    if kind == "string":
        flavour = draw(st.sampled_from(["plain", "length", "pattern", "enum"]))
        if flavour == "length":
            low = draw(st.integers(0, 4))
            schema.update(minLength=low, maxLength=draw(st.integers(low, low + 8)))
        elif flavour == "pattern":
            schema["pattern"] = draw(st.sampled_from(PATTERNS))
        elif flavour == "enum":
            schema["enum"] = draw(st.lists(ENUM_STRINGS, min_size=1, max_size=4, unique=True))
    elif kind == "integer":
        flavour = draw(st.sampled_from(["plain", "range", "exclusive", "enum"]))
        if flavour == "range":
            low = draw(st.integers(-1000, 1000))
            schema.update(minimum=low, maximum=draw(st.integers(low, low + 1000)))
        elif flavour == "exclusive":
            low = draw(st.integers(-1000, 1000))
            schema.update(exclusiveMinimum=low, exclusiveMaximum=low + draw(st.integers(2, 100)))
        elif flavour == "enum":
            schema["enum"] = draw(st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=4, unique=True))
    elif kind == "number" and draw(st.booleans()):
        low = draw(st.floats(-1e6, 1e6, allow_nan=False))
        schema.update(minimum=low, maximum=low + draw(st.floats(0, 1e6, allow_nan=False)))
    if "enum" not in schema and draw(st.integers(0, 4)) == 0:
        schema["type"] = [kind, "null"]
    if draw(st.integers(0, 5)) == 0:
        schema["description"] = draw(st.text(alphabet=_TEXT, max_size=30))
    return schema


def _variants(name: str) -> list[str]:
    """Spellings that a generator may sanitise to the same identifier as ``name``."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    camel = re.sub(r"[_\- ]+([a-zA-Z0-9])", lambda m: m.group(1).upper(), name)
    return [
        v
        for v in dict.fromkeys(
            [
                snake,
                camel,
                name.lower(),
                name.upper(),
                name.replace("_", "-"),
                name.replace("-", "_"),
                name + "_",
                "_" + name,
                name.replace("_", " "),
            ]
        )
        if v != name
    ]


def object_schemas(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        children: list[st.SearchStrategy[dict[str, Any]]] = [scalar_schemas()]
        children.append(
            st.builds(
                lambda items, bounds: {"type": "array", "items": items, **bounds},
                scalar_schemas(),
                st.sampled_from([{}, {"minItems": 1}, {"maxItems": 3}, {"minItems": 1, "maxItems": 2}]),
            )
        )
        if depth > 0:
            children.append(object_schemas(depth - 1))
            children.append(st.builds(lambda items: {"type": "array", "items": items}, object_schemas(depth - 1)))
        properties = draw(st.dictionaries(names(), st.one_of(children), min_size=1, max_size=4))
        if draw(st.booleans()):  # a sibling that collides with another property after sanitising
            base = draw(st.sampled_from(sorted(properties)))
            variants = [v for v in _variants(base) if v not in properties]
            if variants:
                properties[draw(st.sampled_from(variants))] = draw(scalar_schemas())
        required = [name for name in properties if draw(st.booleans())]
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        for name, prop in properties.items():
            if name not in required and prop.get("type") not in ("object", "array") and draw(st.integers(0, 3)) == 0:
                prop["default"] = draw(instances(prop))
        return schema

    return build()


# --- instances of a schema -------------------------------------------------------------------------


def instances(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid under ``schema`` (the subset of JSON Schema that object_schemas draws)."""
    kind = schema["type"]
    if isinstance(kind, list):
        return st.one_of(st.none(), instances({**schema, "type": kind[0]}))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "string":
        if "pattern" in schema:
            anchored = schema["pattern"].startswith("^") and schema["pattern"].endswith("$")
            return st.from_regex(
                schema["pattern"], fullmatch=anchored, alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)
            )
        return st.text(alphabet=_TEXT, min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 12))
    if kind == "integer":
        low = schema.get("minimum", schema["exclusiveMinimum"] + 1 if "exclusiveMinimum" in schema else -(2**64))
        high = schema.get("maximum", schema["exclusiveMaximum"] - 1 if "exclusiveMaximum" in schema else 2**64)
        return st.integers(low, high)
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(
            instances(schema["items"]), min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", 3)
        )
    assert kind == "object", schema
    required = set(schema.get("required", []))
    props = schema["properties"]
    return st.fixed_dictionaries(
        {k: instances(v) for k, v in props.items() if k in required},
        optional={k: instances(v) for k, v in props.items() if k not in required},
    )


# --- helpers ------------------------------------------------------------------------------------


def _workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prop")


def _generated(spec: dict[str, Any], workdir: Path) -> tuple[Generated, dict[str, Any]]:
    gen = generate(spec, workdir)
    failures = compile_all(gen)
    assert not failures, describe_syntax_errors(failures)
    return gen, import_package(gen)


def _client(gen: Generated, mods: dict[str, Any], handler: Any) -> Any:
    return make_client(gen, mods, handler, base_url="https://api.test")


def _extras(value: Any) -> list[str]:
    """Keys, anywhere in a parsed model, that did not reach a declared field."""
    found: list[str] = []
    if isinstance(value, pydantic.BaseModel):
        found += [repr(k) for k in (value.model_extra or {})]
        for name in type(value).model_fields:
            found += _extras(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            found += _extras(item)
    return found


def _body_model(resource: Any, method: str) -> type[pydantic.BaseModel]:
    hints = typing.get_type_hints(getattr(type(resource), method))
    [model] = [c for c in typing.get_args(hints["body"]) if isinstance(c, type) and issubclass(c, pydantic.BaseModel)]
    return model


# --- properties ---------------------------------------------------------------------------------


@SETTINGS
@given(data=st.data(), name=PLAIN_SCHEMA_NAMES, schema=object_schemas(depth=2))
def test_random_object_schema_round_trips(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, name: str, schema: dict[str, Any]
) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Property", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "roundTrip",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {name: schema}},
    }
    gen, mods = _generated(spec, _workdir(tmp_path_factory))
    [tag] = gen.api.tags
    [op] = tag.operations
    sent: list[httpx.Request] = []

    def echo(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=request.content, headers={"content-type": "application/json"})

    resource = getattr(_client(gen, mods, echo), tag.attribute)
    model = _body_model(resource, op.python_name)
    for _ in range(3):
        instance = data.draw(instances(schema), label="instance")
        parsed = model.model_validate(instance)
        assert _extras(parsed) == [], "keys that missed their field"
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == instance
        assert (
            model.model_validate_json(json.dumps(instance)).model_dump(mode="json", by_alias=True, exclude_unset=True)
            == instance
        )
        result = getattr(resource, op.python_name)(body=instance)
        assert json.loads(sent[-1].content) == instance
        assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == instance
    for wire, prop in schema["properties"].items():
        if "default" in prop:
            dumped = model.model_validate(
                {k: v for k, v in data.draw(instances(schema), label="for defaults").items() if k != wire}
            ).model_dump(mode="json", by_alias=True)
            assert dumped[wire] == prop["default"], wire


@SETTINGS
@given(data=st.data(), names_=st.lists(SCHEMA_NAMES, min_size=2, max_size=4, unique=True))
def test_schemas_whose_names_collide_keep_their_own_classes(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, names_: list[str]
) -> None:
    """Each schema has one required integer property named after it; its operation must use its class."""
    schemas = {
        n: {"type": "object", "required": [f"marker {n}"], "properties": {f"marker {n}": {"type": "integer"}}}
        for n in names_
    }
    paths = {
        f"/s{i}": {
            "post": {
                "operationId": f"use{i}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{n}"}}},
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{n}"}}},
                    }
                },
            }
        }
        for i, n in enumerate(names_)
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Names", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    gen, mods = _generated(spec, _workdir(tmp_path_factory))
    sent: list[httpx.Request] = []

    def echo(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=request.content, headers={"content-type": "application/json"})

    client = _client(gen, mods, echo)
    ops = {op.operation_id: (tag, op) for tag in gen.api.tags for op in tag.operations}
    for i, n in enumerate(names_):
        tag, op = ops[f"use{i}"]
        body = {f"marker {n}": i}
        result = getattr(getattr(client, tag.attribute), op.python_name)(body=body)
        assert sent[-1].url.path == f"/s{i}"
        assert json.loads(sent[-1].content) == body
        assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == body
        assert not result.model_extra, f"{n!r} is parsed into the class of another schema"


# --- operations ------------------------------------------------------------------------------------

_TOKEN_CHARS = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~"
HEADER_NAMES = st.text(alphabet=_TOKEN_CHARS, min_size=1, max_size=10).filter(
    lambda n: n.lower() not in {"accept", "content-type", "authorization", "user-agent", "content-length", "host"}
)
PATH_VALUES = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F), min_size=1, max_size=8).filter(
    lambda v: v not in (".", "..")
)
QUERY_VALUES = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F), min_size=1, max_size=8)
HEADER_VALUES = st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=1, max_size=8)
TAG_NAMES = st.one_of(
    st.sampled_from(
        [
            "default",
            "Default",
            "Jobs",
            "jobs",
            "models",
            "api",
            "errors",
            "class",
            "名前",
            "a b",
            'q"uote',
            "request",
            "close",
            "base_url",
        ]
    ),
    names(min_size=1),
)


@st.composite
def operation_specs(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A spec with 1-3 operations and, for each, the parameters as (location, wire name)."""
    paths: dict[str, Any] = {}
    plans: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    for index in range(draw(st.integers(1, 3))):
        path_names = draw(st.lists(names(min_size=1, exclude="{}/#?"), max_size=2, unique=True))
        query_names = draw(st.lists(names(), max_size=3, unique=True))
        header_names = draw(st.lists(HEADER_NAMES, max_size=2, unique_by=str.lower))
        statics = draw(
            st.lists(
                st.text(alphabet=string.ascii_lowercase + "-_.~", min_size=1, max_size=5).filter(
                    lambda s: s not in (".", "..")
                ),
                min_size=len(path_names),
                max_size=len(path_names),
            )
        )
        path = f"/op{index}" + "".join(f"/{s}/{{{p}}}" for s, p in zip(statics, path_names, strict=False))
        op_id = draw(names(min_size=1).filter(lambda n: n not in used_ids))
        used_ids.add(op_id)
        params = (
            [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in path_names]
            + [{"name": n, "in": "query", "schema": {"type": "string"}} for n in query_names]
            + [{"name": n, "in": "header", "schema": {"type": "string"}} for n in header_names]
        )
        method = draw(st.sampled_from(["get", "post", "put", "delete", "patch"]))
        paths[path] = {
            method: {
                "operationId": op_id,
                "tags": [draw(TAG_NAMES)],
                "parameters": params,
                "responses": {"204": {"description": "No content"}},
            }
        }
        plans.append(
            {
                "operationId": op_id,
                "method": method.upper(),
                "path": path,
                "params": [(p["in"], p["name"]) for p in params],
            }
        )
    spec = {"openapi": "3.1.0", "info": {"title": "Operations", "version": "1"}, "paths": paths}
    return spec, plans


@SETTINGS
@given(data=st.data(), drawn=operation_specs())
def test_random_operations_send_every_parameter_under_its_wire_name(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, drawn: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    spec, plans = drawn
    gen, mods = _generated(spec, _workdir(tmp_path_factory))
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    client = _client(gen, mods, record)
    ops = {op.operation_id: (tag, op) for tag in gen.api.tags for op in tag.operations}
    attributes = [tag.attribute for tag in gen.api.tags]
    assert len(attributes) == len(set(attributes)), attributes
    for plan in plans:
        tag, op = ops[plan["operationId"]]
        params = {(p.location, p.wire_name): p for p in op.path_params + op.query_params + op.header_params}
        assert sorted(params) == sorted(plan["params"])
        python_names = [p.python_name for p in params.values()]
        assert len(python_names) == len(set(python_names)), python_names
        for python_name in python_names:
            assert python_name.isascii() and python_name.isidentifier() and not keyword.iskeyword(python_name)
        values = {}
        for key, _param in params.items():
            strategy = {"path": PATH_VALUES, "query": QUERY_VALUES, "header": HEADER_VALUES}[key[0]]
            values[key] = data.draw(strategy, label=f"{key[0]} {key[1]!r}")
        method = getattr(getattr(client, tag.attribute), op.python_name)
        method(
            *[values[("path", p.wire_name)] for p in op.path_params if p.positional],
            **{
                p.python_name: values[(p.location, p.wire_name)]
                for p in [*(p for p in op.path_params if not p.positional), *op.query_params, *op.header_params]
            },
        )
        request = sent[-1]
        expected_path = plan["path"]
        for p in op.path_params:
            expected_path = expected_path.replace("{" + p.wire_name + "}", values[("path", p.wire_name)])
        assert request.method == plan["method"]
        assert request.url.path == expected_path
        assert sorted(request.url.params.multi_items()) == sorted(
            (p.wire_name, values[("query", p.wire_name)]) for p in op.query_params
        )
        for p in op.header_params:
            assert request.headers.get(p.wire_name) == values[("header", p.wire_name)], p.wire_name
