"""Unit tests of generator/breaking/ (and its rules, types and models modules) on hand-made IR and models.

Every rule id is shown firing by one of the cases below (``test_every_rule_is_shown_firing``), and each case
asserts the exact list of ids, so every other rule stays quiet on it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator import breaking
from generator.breaking.models import scopes
from generator.breaking.rules import LIMIT_NAMES, RULES, Scope
from generator.breaking.types import Types, judge
from generator.ir import nodes as ir
from generator.models.module import FieldKeyword, ModelClass, ModelField, ModelsModule
from tests.support.ir_factory import api as _api
from tests.support.ir_factory import case as _case
from tests.support.ir_factory import op as _op
from tests.support.ir_factory import param as _param
from tests.support.ir_factory import tag as _tag

# --- hand-made IR and models -----------------------------------------------------------------------


def _body(hint: str = "Job | Mapping[str, Any]", model: str | None = "Job", *, required: bool = True) -> ir.Body:
    return ir.Body(
        content_type="application/json",
        encoding="json",
        model=model,
        type_hint=hint,
        required=required,
        description="",
        example_json=None,
    )


def _model(name: str, *fields: ModelField, **more: Any) -> ModelClass:
    return ModelClass(name=name, kind=more.pop("kind", "model"), fields=fields, **more)


def _enum(name: str, *values: str) -> ModelClass:
    return ModelClass(name=name, kind="enum", fields=(), values=values, bases=("str", "Enum"))


def _models(*classes: ModelClass, aliases: tuple[ModelClass, ...] = ()) -> ModelsModule:
    return ModelsModule(
        header="# h",
        imports=(),
        definitions=(),
        classes={c.name: c for c in classes},
        aliases={a.name: a for a in aliases},
    )


def _field(name: str, annotation: str = "str", *, required: bool = True, wire: str | None = None) -> ModelField:
    return ModelField(
        python_name=name,
        wire_name=wire or name,
        annotation=annotation if required else f"{annotation} | MISSING",
        required=required,
    )


EMPTY = _models()


def _codes(
    old: ir.Api, new: ir.Api, old_models: ModelsModule = EMPTY, new_models: ModelsModule = EMPTY
) -> list[tuple[bool, str, str]]:
    return [(c.breaking, c.code, c.subject) for c in breaking.compare(old, old_models, new, new_models)]


def _one(old_op: ir.Operation, new_op: ir.Operation) -> list[str]:
    return [c for _, c, _ in _codes(_api(_tag("t", old_op)), _api(_tag("t", new_op)))]


def _using(name: str, scope: Scope) -> ir.Api:
    """An API whose one operation uses model ``name`` in ``scope`` (``model``: nowhere)."""
    if scope == "request":
        return _api(_tag("t", _op("send", body=_body(f"{name} | Mapping[str, Any]", name))))
    if scope == "response":
        return _api(_tag("t", _op("get", responses=(_case(name, result=name),), result_type=name)))
    if scope == "parameter":
        return _api(_tag("t", _op("get", query_params=(_param("q", type_hint=name),))))
    return _api(_tag("t", _op("get")))


def _model_codes(before: ModelClass, after: ModelClass, *used_in: Scope) -> list[str]:
    """The ids for a change of one model that operations use in each of ``used_in``."""
    operations = [
        replace(op, operation_id=f"{op.operation_id}{i}", path=f"/{i}")
        for i, scope in enumerate(used_in)
        for op in _using(before.name, scope).tags[0].operations
    ]
    api = _api(_tag("t", *operations))
    return [c.code for c in breaking.compare(api, _models(before), api, _models(after))]


# --- operations --------------------------------------------------------------------------------------

OPERATION_CASES: list[tuple[str, ir.Operation, ir.Operation, list[str]]] = [
    ("renamed", _op("a"), _op("a", python_name="other"), ["operation-renamed"]),
    ("moved path", _op("a"), _op("a", path="/b"), ["operation-moved"]),
    ("moved method", _op("a"), _op("a", method="PUT"), ["operation-moved"]),
    ("deprecated", _op("a"), _op("a", deprecated=True), ["endpoint-deprecated"]),
    ("reactivated", _op("a", deprecated=True), _op("a"), ["endpoint-reactivated"]),
    # parameters
    ("param removed", _op("a", query_params=(_param("q"),)), _op("a"), ["request-parameter-removed"]),
    ("optional param", _op("a"), _op("a", query_params=(_param("q"),)), ["new-optional-request-parameter"]),
    (
        "required param",
        _op("a"),
        _op("a", header_params=(_param("h", "header", required=True),)),
        ["new-required-request-parameter"],
    ),
    (
        "path param",
        _op("a", "/a/{id}", path_params=(_param("id", "path", positional=True),)),
        _op("a", "/a/{id}", path_params=(_param("id", "path", positional=True), _param("team", "path"))),
        ["new-request-path-parameter"],
    ),
    (
        "param required",
        _op("a", query_params=(_param("q"),)),
        _op("a", query_params=(_param("q", required=True),)),
        ["request-parameter-became-required"],
    ),
    (
        "param optional",
        _op("a", query_params=(_param("q", required=True),)),
        _op("a", query_params=(_param("q"),)),
        ["request-parameter-became-optional"],
    ),
    (
        "param to Literal",
        _op("a", query_params=(_param("q"),)),
        _op("a", query_params=(_param("q", type_hint="Literal['x', 'y']"),)),
        ["request-parameter-type-changed"],
    ),
    (
        "param replaced",
        _op("a", query_params=(_param("q"),)),
        _op("a", query_params=(_param("q", type_hint="int"),)),
        ["request-parameter-type-changed"],
    ),
    (
        "param int | float → int",
        _op("a", query_params=(_param("q", type_hint="int | float"),)),
        _op("a", query_params=(_param("q", type_hint="int"),)),
        ["request-parameter-type-changed"],
    ),
    (
        "param widened",
        _op("a", query_params=(_param("q", type_hint="int"),)),
        _op("a", query_params=(_param("q", type_hint="int | str"),)),
        ["request-parameter-type-generalized"],
    ),
    (
        "param respelled",
        _op("a", query_params=(_param("q", type_hint="int | str"),)),
        _op("a", query_params=(_param("q", type_hint="str | int"),)),
        ["request-parameter-type-compatible"],
    ),
    (
        "param nullable",
        _op("a", query_params=(_param("q"),)),
        _op("a", query_params=(_param("q", type_hint="str | None"),)),
        ["request-parameter-became-nullable"],
    ),
    (
        "param not nullable",
        _op("a", query_params=(_param("q", type_hint="str | None"),)),
        _op("a", query_params=(_param("q"),)),
        ["request-parameter-became-not-nullable"],
    ),
    (
        "param deprecated",
        _op("a", query_params=(_param("q"),)),
        _op("a", query_params=(_param("q", deprecated=True),)),
        ["request-parameter-deprecated"],
    ),
    (
        "variant dropped",
        _op(
            "a",
            variants=(
                ir.Variant(
                    operation_id="v", constant_name="_V", path="/t/{team}/a", extra_params=(_param("team", "path"),)
                ),
            ),
        ),
        _op("a"),
        ["request-parameter-removed"],
    ),
    (
        "positional",
        _op("a", "/p/{p}/j/{j}", path_params=(_param("p", "path"), _param("j", "path", positional=True))),
        _op("a", "/j/{j}/p/{p}", path_params=(_param("j", "path"), _param("p", "path", positional=True))),
        ["operation-moved", "positional-parameters-changed"],
    ),
    # bodies
    ("body added", _op("a"), _op("a", body=_body()), ["request-body-added-required"]),
    ("optional body added", _op("a"), _op("a", body=_body(required=False)), ["request-body-added-optional"]),
    ("body removed", _op("a", body=_body()), _op("a"), ["request-body-removed"]),
    ("body required", _op("a", body=_body(required=False)), _op("a", body=_body()), ["request-body-became-required"]),
    ("body optional", _op("a", body=_body()), _op("a", body=_body(required=False)), ["request-body-became-optional"]),
    (
        "body replaced",
        _op("a", body=_body()),
        _op("a", body=_body("Other | Mapping[str, Any]", "Other")),
        ["request-body-type-changed"],
    ),
    (
        "body widened",
        _op("a", body=_body("Job", "Job")),
        _op("a", body=_body("Job | Mapping[str, Any]")),
        ["request-body-type-generalized"],
    ),
    (
        "body respelled",
        _op("a", body=_body()),
        _op("a", body=_body("Mapping[str, Any] | Job")),
        ["request-body-type-compatible"],
    ),
    (
        "body nullable",
        _op("a", body=_body("bytes", None)),
        _op("a", body=_body("bytes | None", None)),
        ["request-body-became-nullable"],
    ),
    (
        "body not nullable",
        _op("a", body=_body("bytes | None", None)),
        _op("a", body=_body("bytes", None)),
        ["request-body-became-not-nullable"],
    ),
    # responses
    ("result replaced", _op("a"), _op("a", result_type="Job"), ["response-body-type-changed"]),
    ("result widened", _op("a", result_type="Cat"), _op("a", result_type="Cat | Dog"), ["response-body-type-changed"]),
    (
        "result narrowed",
        _op("a", result_type="Cat | Dog"),
        _op("a", result_type="Cat"),
        ["response-body-type-specialized"],
    ),
    (
        "result respelled",
        _op("a", result_type="Cat | Dog"),
        _op("a", result_type="Dog | Cat"),
        ["response-body-type-compatible"],
    ),
    (
        "result nullable",
        _op("a", result_type="Cat"),
        _op("a", result_type="Cat | None"),
        ["response-body-became-nullable"],
    ),
    (
        "result not nullable",
        _op("a", result_type="Cat | None"),
        _op("a", result_type="Cat"),
        ["response-body-became-not-nullable"],
    ),
    (
        "status removed",
        _op("a", responses=(_case(), _case(status="204"))),
        _op("a"),
        ["response-success-status-removed"],
    ),
    ("status added", _op("a"), _op("a", responses=(_case(), _case(status="202"))), ["response-success-status-added"]),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in OPERATION_CASES], ids=[c[0] for c in OPERATION_CASES]
)
def test_operation_rules(old: ir.Operation, new: ir.Operation, expected: list[str]) -> None:
    """Each change to one operation fires exactly its rules."""
    assert _one(old, new) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (_op("a", query_params=(_param("q"),)), _op("a", query_params=(_param("Q", python_name="q"),))),
        (
            _op("a", "/p/{p}/j/{j}", path_params=(_param("p", "path"), _param("j", "path", positional=True))),
            _op("a", "/p/{p}/j/{j}", path_params=(_param("j", "path", positional=True), _param("p", "path"))),
        ),
        (_op("a", body=_body()), _op("a", body=replace(_body(), content_type="application/x-www-form-urlencoded"))),
        (_op("a", summary="old"), _op("a", summary="new", description="Docs only.")),
    ],
    ids=["wire name of a parameter", "keyword order", "body media type", "docs"],
)
def test_quiet_operation_changes(old: ir.Operation, new: ir.Operation) -> None:
    """What callers' code cannot see is not reported: parameters are judged by Python name, keywords by name."""
    assert _one(old, new) == []


def test_identical_apis_have_no_changes() -> None:
    api = _api(_tag("t", _op("a", path_params=(_param("id", "path", positional=True),), body=_body())))
    assert _codes(api, api) == []


def test_removed_operations_by_path_and_deprecation() -> None:
    """A removed operation breaks either way; the id says whether its path is gone and whether it was deprecated."""
    old = _api(
        _tag(
            "t",
            _op("keep", "/a"),
            _op("sibling", "/a", "POST"),
            _op("alone", "/b"),
            _op("old", "/a", "DELETE", deprecated=True),
            _op("lastOld", "/c", deprecated=True),
        )
    )
    new = _api(_tag("t", _op("keep", "/a"), _op("fresh", "/d")))
    assert _codes(old, new) == [
        (True, "api-path-removed-with-deprecation", "lastOld"),
        (True, "api-path-removed-without-deprecation", "alone"),
        (True, "api-removed-with-deprecation", "old"),
        (True, "api-removed-without-deprecation", "sibling"),
        (False, "endpoint-added", "fresh"),
    ]


def test_a_variant_path_keeps_its_path() -> None:
    """A path still served as another operation's variant is not a removed path."""
    variant = ir.Variant(operation_id="v", constant_name="_V", path="/b", extra_params=())
    old = _api(_tag("t", _op("a"), _op("b", "/b")))
    new = _api(_tag("t", _op("a", variants=(variant,))))
    assert ("api-removed-without-deprecation", "b") in [(c, s) for _, c, s in _codes(old, new)]


def test_operation_moved_to_another_tag_and_package_renamed() -> None:
    assert _codes(_api(_tag("jobs", _op("a"))), _api(_tag("runs", _op("a")))) == [(True, "operation-moved-tag", "a")]
    assert _codes(_api(package="a"), _api(package="b")) == [(True, "package-renamed", "package")]


def test_client_identity() -> None:
    """The client's class names, constructor arguments and token variable are public too."""
    old = _api()
    new = replace(old, client_class="New", credential_args=("token",), token_env_var="NEW_TOKEN")
    assert _codes(old, new) == [
        (True, "client-arguments-changed", "client"),
        (True, "client-renamed", "client"),
        (True, "token-env-var-changed", "client"),
    ]
    assert _codes(old, replace(old, async_client_class="AsyncNew")) == [(True, "client-renamed", "client")]


def test_breaking_changes_come_first() -> None:
    """compare() sorts breaking changes before notes, then by id and subject."""
    old = _api(_tag("t", _op("b", "/b"), _op("a", query_params=(_param("q"),))))
    new = _api(_tag("t", _op("a", deprecated=True), _op("c", "/c")))
    changes = breaking.compare(old, EMPTY, new, EMPTY)
    assert [(c.breaking, c.code, c.subject) for c in changes] == [
        (True, "api-path-removed-without-deprecation", "b"),
        (True, "request-parameter-removed", "a"),
        (False, "endpoint-added", "c"),
        (False, "endpoint-deprecated", "a"),
    ]
    assert changes[0].render() == "BREAKING[api-path-removed-without-deprecation] b: b() was removed"
    assert changes[-1].render() == "note[endpoint-deprecated] a: is now deprecated"


# --- models, by the way their values travel ---------------------------------------------------------

A = _field("a")
A_OPTIONAL = _field("a", required=False)
SCOPED = ("request", "response", "model")


def _scoped(
    event: str, before: ModelClass, after: ModelClass, *ids: str
) -> list[tuple[str, ModelClass, ModelClass, Scope, str]]:
    return [(event, before, after, scope, code) for scope, code in zip(SCOPED, ids, strict=True)]


MODEL_CASES: list[tuple[str, ModelClass, ModelClass, Scope, str]] = [
    *_scoped(
        "removed",
        _model("M", A, _field("b")),
        _model("M", _field("b")),
        "request-property-removed",
        "response-required-property-removed",
        "field-removed",
    ),
    ("removed optional", _model("M", A_OPTIONAL), _model("M"), "response", "response-optional-property-removed"),
    *_scoped(
        "added required",
        _model("M"),
        _model("M", A),
        "new-required-request-property",
        "response-required-property-added",
        "required-field-added",
    ),
    *_scoped(
        "added optional",
        _model("M"),
        _model("M", A_OPTIONAL),
        "new-optional-request-property",
        "response-optional-property-added",
        "field-added",
    ),
    *_scoped(
        "became required",
        _model("M", A_OPTIONAL),
        _model("M", A),
        "request-property-became-required",
        "response-property-became-required",
        "field-became-required",
    ),
    *_scoped(
        "became optional",
        _model("M", A),
        _model("M", A_OPTIONAL),
        "request-property-became-optional",
        "response-property-became-optional",
        "field-became-optional",
    ),
    *_scoped(
        "narrowed",
        _model("M", _field("a", "int | float")),
        _model("M", _field("a", "int")),
        "request-property-type-changed",
        "response-property-type-specialized",
        "field-type-changed",
    ),
    *_scoped(
        "widened",
        _model("M", _field("a", "Literal['x']")),
        _model("M", _field("a", "Literal['x', 'y']")),
        "request-property-type-generalized",
        "response-property-type-changed",
        "field-type-changed",
    ),
    *_scoped(
        "replaced",
        _model("M", A),
        _model("M", _field("a", "int")),
        "request-property-type-changed",
        "response-property-type-changed",
        "field-type-changed",
    ),
    *_scoped(
        "respelled",
        _model("M", _field("a", "float")),
        _model("M", _field("a", "int | float")),
        "request-property-type-compatible",
        "response-property-type-compatible",
        "field-type-compatible",
    ),
    *_scoped(
        "nullable",
        _model("M", A),
        _model("M", _field("a", "str | None")),
        "request-property-became-nullable",
        "response-property-became-nullable",
        "field-became-nullable",
    ),
    *_scoped(
        "not nullable",
        _model("M", _field("a", "str | None")),
        _model("M", A),
        "request-property-became-not-nullable",
        "response-property-became-not-nullable",
        "field-became-not-nullable",
    ),
    *_scoped(
        "deprecated",
        _model("M", A),
        _model("M", A, keywords=(FieldKeyword(field="a", keyword="deprecated", value="true"),)),
        "request-property-deprecated",
        "response-property-deprecated",
        "field-deprecated",
    ),
    *_scoped(
        "reactivated",
        _model("M", A, keywords=(FieldKeyword(field="a", keyword="deprecated", value="true"),)),
        _model("M", A),
        "request-property-reactivated",
        "response-property-reactivated",
        "field-reactivated",
    ),
    *[
        ("wire name", _model("M", A), _model("M", _field("a", wire="aa")), scope, "field-wire-name-changed")
        for scope in SCOPED
    ],
    *_scoped(
        "enum value removed",
        _enum("E", '"allow"', '"forbid"', '"replace"'),
        _enum("E", '"allow"', '"forbid"'),
        "request-property-enum-value-removed",
        "response-property-enum-value-removed",
        "enum-value-removed",
    ),
    (
        "enum value removed",
        _enum("E", '"allow"', '"forbid"'),
        _enum("E", '"allow"'),
        "parameter",
        "request-parameter-enum-value-removed",
    ),
    *_scoped(
        "enum value added",
        _enum("E", '"allow"'),
        _enum("E", '"allow"', '"forbid"'),
        "request-property-enum-value-added",
        "response-property-enum-value-added",
        "enum-value-added",
    ),
    ("enum value added", _enum("E", "1"), _enum("E", "1", "2"), "parameter", "request-parameter-enum-value-added"),
]


@pytest.mark.parametrize(
    ("before", "after", "scope", "code"),
    [c[1:] for c in MODEL_CASES],
    ids=[f"{c[0]}-{c[3]}" for c in MODEL_CASES],
)
def test_model_rules(before: ModelClass, after: ModelClass, scope: Scope, code: str) -> None:
    """Each change to a model fires exactly one rule, the one of the scope it is used in."""
    assert _model_codes(before, after, scope) == [code]


def test_the_issue_examples() -> None:
    """[allow, forbid, replace] → [allow, forbid] breaks requests; so does a new required request field (not a note)."""
    policy = _enum("ConcurrencyPolicy", '"allow"', '"forbid"', '"replace"')
    fewer = _enum("ConcurrencyPolicy", '"allow"', '"forbid"')
    assert _model_codes(policy, fewer, "request") == ["request-property-enum-value-removed"]
    changes = breaking.compare(
        _using("M", "request"), _models(_model("M")), _using("M", "request"), _models(_model("M", A))
    )
    assert [(c.code, c.breaking, c.rule.semver) for c in changes] == [("new-required-request-property", True, "major")]


def test_a_model_used_both_ways_is_reported_per_way() -> None:
    """A narrowed field breaks the requests that send it and is only a note for the responses that return it."""
    before, after = _model("M", _field("a", "int | float")), _model("M", _field("a", "int"))
    changes = _model_codes(before, after, "request", "response")
    assert changes == ["request-property-type-changed", "response-property-type-specialized"]
    assert _model_codes(_model("M", A), _model("M", _field("a", wire="b")), "request", "response") == [
        "field-wire-name-changed"
    ]


def test_a_new_required_response_field_is_not_breaking() -> None:
    changes = breaking.compare(
        _using("M", "response"), _models(_model("M")), _using("M", "response"), _models(_model("M", A))
    )
    assert [(c.code, c.breaking) for c in changes] == [("response-required-property-added", False)]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (_enum("E", '"a"', '"b"'), _enum("E", '"b"', '"a"')),
        (
            _model("M", A, keywords=(FieldKeyword(field="a", keyword="max_length", value="5"),)),
            _model("M", A, keywords=(FieldKeyword(field="a", keyword="max_length", value="5.0"),)),
        ),
        (_model("M", A, source="#/components/schemas/M"), _model("M", A, source="#/components/schemas/N")),
        (
            _model(
                "M",
                A,
                keywords=(
                    FieldKeyword(field="a", keyword="min_length", value="1"),
                    FieldKeyword(field="a", keyword="max_length", value="5"),
                ),
            ),
            _model(
                "M",
                A,
                keywords=(
                    FieldKeyword(field="a", keyword="max_length", value="5"),
                    FieldKeyword(field="a", keyword="min_length", value="1"),
                ),
            ),
        ),
    ],
    ids=["enum values reordered", "same limit spelled otherwise", "other source", "keyword order"],
)
def test_quiet_model_changes(before: ModelClass, after: ModelClass) -> None:
    assert _model_codes(before, after, "request", "response") == []


def test_models_added_removed_and_changing_kind() -> None:
    """A name of ``models`` is public: removing it or making it another kind (a class ↔ a type alias) breaks."""
    tag = _model("Tag", _field("root"), kind="root")
    old = _models(_model("Gone"), _model("Kind"), _enum("E", '"x"'), tag)
    new = ModelsModule(
        header="# h",
        imports=(),
        definitions=(),
        classes={"Fresh": _model("Fresh"), "Kind": _enum("Kind", '"x"'), "E": _enum("E", '"x"')},
        aliases={"Tag": tag},
    )
    api = _api()
    assert _codes(api, api, old, new) == [
        (True, "model-kind-changed", "models.Kind"),
        (True, "model-kind-changed", "models.Tag"),
        (True, "model-removed", "models.Gone"),
        (False, "model-added", "models.Fresh"),
    ]
    messages = [c.message for c in breaking.compare(api, old, api, new)]
    assert "root model class → type alias (root model)" in messages


def test_private_models_are_not_the_surface() -> None:
    """An envelope the client unwraps (``_GetJobResponse``) is no caller's name: it may come, go or change."""
    old = _models(_model("_Old", _field("data")), _model("_Both", _field("data", "Job")))
    new = _models(_model("_New", _field("data")), _model("_Both", _field("data", "int")))
    api = _api()
    assert _codes(api, api, old, new) == []


def test_a_model_with_a_new_name_and_the_same_shape_is_a_rename() -> None:
    """``Schedule`` → ``JobSchedule`` (a second ``schedule`` appeared): one breaking change, not two."""
    api = _api()
    old = _models(_model("Schedule", _field("cron")), _enum("Mode", '"a"'), _model("Kept", _field("x")))
    new = _models(_model("JobSchedule", _field("cron")), _enum("RunMode", '"a"'), _model("Kept", _field("x")))
    assert _codes(api, api, old, new) == [
        (True, "model-renamed", "models.Mode"),
        (True, "model-renamed", "models.Schedule"),
    ]
    messages = [c.message for c in breaking.compare(api, old, api, new)]
    assert messages == ["renamed Mode → RunMode", "renamed Schedule → JobSchedule"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((_model("A", _field("x")),), (_model("B", _field("y")),)),  # another shape
        ((_model("A", _field("x")),), (_model("B", _field("x", "int")),)),  # another field type
        ((_model("A", _field("x")), _model("B", _field("x"))), (_model("C", _field("x")),)),  # which one?
        ((_model("A", _field("x")),), (_model("B", _field("x")), _model("C", _field("x")))),  # which one?
        ((_model("A"),), (_model("B"),)),  # an empty model says too little
    ],
)
def test_no_rename_without_one_identical_shape(before: tuple[ModelClass, ...], after: tuple[ModelClass, ...]) -> None:
    api = _api()
    codes = {code for _, code, _ in _codes(api, api, _models(*before), _models(*after))}
    assert codes == {"model-removed", "model-added"}


def test_an_operation_with_a_new_id_on_the_same_route_is_one_operation() -> None:
    """``getJob`` → ``fetchJob`` on ``GET /jobs/{id}``: its method's new name, not a removed and a new method."""
    old = _api(_tag("jobs", _op("getJob", "/jobs/{id}", python_name="get_job")))
    new = _api(_tag("jobs", _op("fetchJob", "/jobs/{id}", python_name="fetch_job")))
    changes = breaking.compare(old, _models(), new, _models())
    assert [(c.code, c.subject, c.message) for c in changes] == [
        ("operation-renamed", "getJob", "method get_job() is now fetch_job()")
    ]
    elsewhere = _api(_tag("jobs", _op("fetchJob", "/jobs/{id}", method="POST", python_name="fetch_job")))
    assert {c.code for c in breaking.compare(old, _models(), elsewhere, _models())} == {
        "api-removed-without-deprecation",
        "endpoint-added",
    }


def test_inherited_fields_change_with_their_base() -> None:
    """A subclass has its base's fields: removing one from the base removes it from both."""
    old = _models(_model("Pet", A, _field("b")), _model("Dog", _field("bark"), bases=("Pet",)))
    new = _models(_model("Pet", _field("b")), _model("Dog", _field("bark"), bases=("Pet",)))
    api = _using("Dog", "request")
    assert _codes(api, api, old, new) == [
        (True, "request-property-removed", "models.Dog.a"),
        (True, "request-property-removed", "models.Pet.a"),  # a base of a request model is one too
    ]


# --- scopes ------------------------------------------------------------------------------------------


def test_scopes_follow_fields_bases_and_aliases_transitively() -> None:
    """Request bodies, parameters and responses reach models through fields, bases and type aliases."""
    models = _models(
        _model("Body", _field("job", "Job | MISSING", required=False)),
        _model("Job", _field("tags", "list[Tag]"), _field("policy", "'Policy'"), bases=("Base",)),
        _model("Base", _field("kind", "Literal['Job']")),
        _enum("Policy", '"a"'),
        _enum("Job2", '"x"'),
        _model("Envelope", _field("data", "Result")),
        _model("Result", _field("n", "int")),
        _model("Unused"),
        aliases=(_model("Tag", _field("root"), kind="root"),),
    )
    api = _api(
        _tag(
            "t",
            _op("send", body=_body("Body | Mapping[str, Any]", "Body"), query_params=(_param("q", type_hint="Job2"),)),
            _op("get", responses=(_case("Envelope", result="Result"),), result_type="Result"),
        )
    )
    found = scopes(api, models)
    assert {name: sorted(s) for name, s in found.items()} == {
        "Body": ["request"],
        "Job": ["request"],
        "Base": ["request"],
        "Tag": ["request"],
        "Policy": ["request"],
        "Job2": ["parameter"],
        "Envelope": ["response"],
        "Result": ["response"],
    }


# --- limits ------------------------------------------------------------------------------------------

_LIMIT_EXAMPLES = {  # keyword -> (old value, new value) for "increased"; "set"/"unset" use the first
    "max_length": ("5", "10"),
    "min_length": ("1", "2"),
    "le": ("5", "10"),
    "lt": ("5", "10"),
    "ge": ("0", "1"),
    "gt": ("0", "1"),
    "multiple_of": ("2", "3"),
    "pattern": ('"^a$"', '"^b$"'),
    "unique_items": ("true", "true"),
}


def _limit_cases() -> list[tuple[str, str, str | None, str | None, bool, Scope, str]]:
    cases = []
    for keyword, (name, array_name, kind) in LIMIT_NAMES.items():
        low, high = _LIMIT_EXAMPLES[keyword]
        changes: dict[str, tuple[str | None, str | None]] = {
            "set": (None, low),
            "unset": (low, None),
            "increased": (low, high),
            "decreased": (high, low),
            "added": (None, low),
            "removed": (low, None),
            "changed": (low, high),
        }
        wanted = {
            "upper": ("set", "unset", "increased", "decreased"),
            "lower": ("set", "unset", "increased", "decreased"),
            "multiple": ("set", "unset", "changed"),
            "pattern": ("added", "removed", "changed"),
            "flag": ("set", "unset"),
        }[kind]
        for array in dict.fromkeys((False, name != array_name)):
            limit = array_name if array else name
            for change in wanted:
                old, new = changes[change]
                for scope, prefix in (
                    ("request", "request-property"),
                    ("response", "response-property"),
                    ("model", "field"),
                ):
                    cases.append((keyword, change, old, new, array, scope, f"{prefix}-{limit}-{change}"))
    return cases


LIMIT_CASES = _limit_cases()


@pytest.mark.parametrize(
    ("keyword", "change", "old", "new", "array", "scope", "code"), LIMIT_CASES, ids=[c[-1] for c in LIMIT_CASES]
)
def test_limit_rules(
    keyword: str, change: str, old: str | None, new: str | None, array: bool, scope: Scope, code: str
) -> None:
    """Tightening a limit breaks requests, loosening one breaks responses; for arrays, lengths are items."""
    annotation = "list[str]" if array else "str"
    keywords = {v: () if v is None else (FieldKeyword(field="a", keyword=keyword, value=v),) for v in (old, new)}
    before = _model("M", _field("a", annotation), keywords=keywords[old])
    after = _model("M", _field("a", annotation), keywords=keywords[new])
    assert _model_codes(before, after, scope) == [code]
    effect = {
        ("upper", "increased"): "widened",
        ("upper", "decreased"): "narrowed",
        ("lower", "increased"): "narrowed",
        ("lower", "decreased"): "widened",
    }.get((LIMIT_NAMES[keyword][2], change))
    effect = effect or {"set": "narrowed", "added": "narrowed", "unset": "widened", "removed": "widened"}.get(change)
    breaks = {"request": {"narrowed"}, "response": {"widened"}}.get(scope, {"narrowed", "widened"})
    assert RULES[code].level == ("breaking" if effect is None or effect in breaks else "note")


def test_an_added_max_length_on_a_request_field_is_breaking() -> None:
    before = _model("M", A)
    after = _model("M", A, keywords=(FieldKeyword(field="a", keyword="max_length", value="39"),))
    changes = breaking.compare(_using("M", "request"), _models(before), _using("M", "request"), _models(after))
    assert [c.render() for c in changes] == [
        "BREAKING[request-property-max-length-set] models.M.a: max_length: none → 39"
    ]


def test_a_changed_alias_is_reported_on_the_alias() -> None:
    """A constrained scalar alias is judged where it is used, by its own subject, not on every field using it."""
    field = _model("M", _field("tags", "list[Tag]"))
    tag = _model(
        "Tag", _field("root"), kind="root", keywords=(FieldKeyword(field="root", keyword="max_length", value="39"),)
    )
    shorter = replace(tag, keywords=(FieldKeyword(field="root", keyword="max_length", value="20"),))
    api = _using("M", "request")
    assert _codes(api, api, _models(field, aliases=(tag,)), _models(field, aliases=(shorter,))) == [
        (True, "request-property-max-length-decreased", "models.Tag.root")
    ]


# --- types ---------------------------------------------------------------------------------------------

TYPES = Types(
    enums={"Policy": ('"a"', '"b"'), "Size": ("1", "2"), "Mixed": ("1", '"a"')},
    aliases={"Tag": ("str", frozenset({("max_length", "39")})), "Short": ("str", frozenset({("max_length", "5")}))},
)


@pytest.mark.parametrize(
    ("old", "new", "verdict"),
    [
        ("str", "str", None),
        ("str", "Literal['a', 'b']", "narrowed"),
        ("Literal['a', 'b']", "Literal['a']", "narrowed"),
        ("Literal['a']", "Literal['a', 'b']", "widened"),
        ("str", "Policy", "narrowed"),
        ("Policy", "str", "widened"),
        ("int", "Size", "narrowed"),
        ("float", "Size", "narrowed"),
        ("str", "Size", "changed"),
        ("str", "Mixed", "changed"),
        ("int | float", "int", "narrowed"),
        ("float", "int | float", "compatible"),
        ("int", "bool", "changed"),
        ("int", "Literal[True]", "changed"),
        ("list[str]", "list[Tag]", "narrowed"),
        ("list[Tag]", "list[Short]", "narrowed"),
        ("list[Short]", "list[Tag]", "widened"),
        ("list[Tag]", "UniqueList[Tag]", "narrowed"),
        ("list[str]", "list[int]", "changed"),
        ("list[str]", "dict[str, str]", "changed"),
        ("dict[str, Any]", "Mapping[str, Any]", "widened"),
        ("dict[str, int]", "dict[str, Any]", "widened"),
        ("Job", "Other", "changed"),
        ("Job", "Any", "widened"),
        ("Job", "'Job'", "compatible"),
        ("str | MISSING", "str", "compatible"),
        ("str", "str | None", "became-nullable"),
        ("int | float | None", "float", "became-not-nullable"),
        ("str | None", "int", "changed"),
    ],
)
def test_judge(old: str, new: str, verdict: str | None) -> None:
    """The lattice: literals and enums sit inside their scalar, aliases carry their limits, containers compare items."""
    assert judge(old, new, TYPES, TYPES) == verdict


def test_judge_uses_each_versions_own_models() -> None:
    """An alias is expanded with the limits of the version it comes from; one spelled alike is the same alias.

    (A change to the alias itself is reported on the alias: ``test_a_changed_alias_is_reported_on_the_alias``.)
    """
    old = Types(enums={}, aliases={"A": ("str", frozenset({("max_length", "5")}))})
    new = Types(
        enums={},
        aliases={"A": ("str", frozenset({("max_length", "50")})), "B": ("str", frozenset({("max_length", "5")}))},
    )
    assert judge("A", "B", old, new) == "compatible"
    assert judge("A", "B", new, new) == "narrowed"
    assert judge("list[A]", "list[A] | None", old, new) == "became-nullable"


# --- verdict and report --------------------------------------------------------------------------------


def test_semver_verdict() -> None:
    """major for any breaking change, minor for additions, patch for the rest (nothing at all too)."""
    major = breaking.compare(_api(_tag("t", _op("a"))), EMPTY, _api(), EMPTY)
    minor = breaking.compare(_api(), EMPTY, _api(_tag("t", _op("a"))), EMPTY)
    patch = breaking.compare(_api(_tag("t", _op("a", deprecated=True))), EMPTY, _api(_tag("t", _op("a"))), EMPTY)
    assert (breaking.semver(major + minor), breaking.semver(minor + patch), breaking.semver(patch)) == (
        "major",
        "minor",
        "patch",
    )
    assert breaking.semver([]) == "patch"


def test_report_is_the_json_document() -> None:
    changes = breaking.compare(_api(_tag("t", _op("a"))), EMPTY, _api(_tag("t", _op("b", "/b"))), EMPTY)
    assert breaking.report(changes) == {
        "changes": [
            {
                "id": "api-path-removed-without-deprecation",
                "level": "breaking",
                "semver": "major",
                "subject": "a",
                "message": "a() was removed",
            },
            {"id": "endpoint-added", "level": "note", "semver": "minor", "subject": "b", "message": "new method b()"},
        ],
        "breaking": 1,
        "semver": "major",
    }


def test_every_rule_is_shown_firing() -> None:
    """Every id in RULES is the expected id of some case above, and every expected id is in RULES."""
    shown = {code for *_, codes in OPERATION_CASES for code in codes}
    shown |= {c[-1] for c in MODEL_CASES} | {c[-1] for c in LIMIT_CASES}
    shown |= {
        "api-removed-without-deprecation",
        "api-removed-with-deprecation",
        "api-path-removed-without-deprecation",
        "api-path-removed-with-deprecation",
        "endpoint-added",
        "operation-moved-tag",
        "package-renamed",
        "client-renamed",
        "client-arguments-changed",
        "token-env-var-changed",
        "model-removed",
        "model-added",
        "model-renamed",
        "model-kind-changed",
    }  # test_removed_operations_by_path_and_deprecation, ..._package_renamed, test_client_identity, test_models_...
    assert shown == set(RULES)


def test_level_follows_semver() -> None:
    assert {r.level for r in RULES.values() if r.semver == "major"} == {"breaking"}
    assert {r.level for r in RULES.values() if r.semver != "major"} == {"note"}


def test_readme_lists_every_rule() -> None:
    """docs/breaking.md (linked from the README) names every id with its semver effect (limits by their families)."""
    section = (Path(__file__).parents[2] / "docs" / "breaking.md").read_text()
    for code, rule in RULES.items():
        if code in {c[-1] for c in LIMIT_CASES}:
            continue
        row = rf"\| `{re.escape(code)}` \| {rule.semver} \|"  # the operations table
        cell = rf"`{re.escape(code)}`[^|\n]*\({rule.semver}\b"  # the fields table: `id` (semver)
        assert re.search(row, section) or re.search(cell, section), code
    for name, array_name, _ in LIMIT_NAMES.values():
        assert f"`{name}`" in section and f"`{array_name}`" in section
