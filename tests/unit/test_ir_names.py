"""Unit tests of generator/ir/names.py: the operations as the spec lists them, and their Python names."""

from __future__ import annotations

from typing import Any

import pytest

from generator.ir.names import OperationNames, RawOperation, path_tag, plan_names, raw_operations, without_tag


def _doc(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}


def _raw(
    op_id: str, path: str = "/x", method: str = "get", *, tags: tuple[str, ...] = ("t",), variant_of: str | None = None
) -> RawOperation:
    return RawOperation(
        path=path,
        method=method,
        item={},
        spec={},
        operation_id=op_id,
        pointer=f"/paths/{path}/{method}",
        tags=tags,
        variant_of=variant_of,
    )


# --- raw_operations ---------------------------------------------------------------------------


def test_raw_operations_are_in_path_then_method_order() -> None:
    """Paths are sorted and, within a path, methods follow the HTTP_METHODS order, not the spec's key order."""
    doc = _doc(
        {
            "/b": {"post": {"operationId": "bPost"}, "get": {"operationId": "bGet"}},
            "/a": {
                "delete": {"operationId": "aDelete"},
                "put": {"operationId": "aPut"},
                "get": {"operationId": "aGet"},
            },
        }
    )
    found = [(r.path, r.method, r.operation_id) for r in raw_operations(doc)]
    assert found == [
        ("/a", "get", "aGet"),
        ("/a", "put", "aPut"),
        ("/a", "delete", "aDelete"),
        ("/b", "get", "bGet"),
        ("/b", "post", "bPost"),
    ]


def test_raw_operation_fields() -> None:
    """Each RawOperation carries its path item, operation object, id, escaped pointer and tags."""
    op = {"operationId": "getJob", "tags": ["jobs", "extra"], "responses": {}}
    item = {"parameters": [{"name": "id", "in": "path"}], "get": op}
    (raw,) = raw_operations(_doc({"/jobs/{id}": item}))
    assert raw.path == "/jobs/{id}"
    assert raw.method == "get"
    assert raw.item is item
    assert raw.spec is op
    assert raw.operation_id == "getJob"
    assert raw.pointer == "/paths/~1jobs~1{id}/get"
    assert raw.tags == ("jobs", "extra")
    assert raw.variant_of is None


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        ({}, "delete_jobs_by_id"),
        ({"operationId": ""}, "delete_jobs_by_id"),
        ({"operationId": "   "}, "delete_jobs_by_id"),
        ({"operationId": 42}, "delete_jobs_by_id"),
        ({"operationId": "removeJob"}, "removeJob"),
    ],
)
def test_operation_id_or_derived_key(op: dict[str, Any], expected: str) -> None:
    """A missing, blank or non-string operationId is replaced by a key derived from method and path."""
    (raw,) = raw_operations(_doc({"/jobs/{id}": {"delete": op}}))
    assert raw.operation_id == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (None, ("customers",)),
        ([], ("customers",)),
        ("jobs", ("customers",)),  # not a list
        (["jobs"], ("jobs",)),
        (["b", "a", "b"], ("b", "a")),  # duplicates dropped, first (home) tag first
    ],
)
def test_tags_home_first_path_word_when_none(tags: Any, expected: tuple[str, ...]) -> None:
    """Tags keep the spec's order (the home tag first) without duplicates; no tags gives the path's first word."""
    op: dict[str, Any] = {"operationId": "x"}
    if tags is not None:
        op["tags"] = tags
    (raw,) = raw_operations(_doc({"/v1/customers/{id}": {"get": op}}))
    assert raw.tags == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/customers/{id}", "customers"),
        ("/api/v2.1/payment_intents", "payment_intents"),
        ("/customers", "customers"),
        ("/{id}/things", "things"),
        ("/", "default"),
        ("/v1/{id}", "default"),
    ],
)
def test_untagged_operations_live_in_their_paths_first_word(path: str, expected: str) -> None:
    assert path_tag(path) == expected


@pytest.mark.parametrize(
    ("name", "tag", "expected"),
    [
        ("database_list_documents", "database", "list_documents"),
        ("teams_create", "teams", "create"),
        ("team_create", "teams", "create"),  # the tag's singular
        ("list_jobs", "jobs", "list_jobs"),  # only leading words
        ("jobs", "jobs", "jobs"),  # nothing would be left
        ("card_payments_2fa", "card payments", "card_payments_2fa"),  # a digit would lead
        ("card_payments_get", "Card Payments", "get"),
    ],
)
def test_a_method_does_not_repeat_its_module(name: str, tag: str, expected: str) -> None:
    assert without_tag(name, tag) == expected


def test_the_short_name_yields_to_an_earlier_method_of_the_module() -> None:
    """``/a`` takes ``fetch``; ``/b``'s ``database_fetch`` keeps its full name rather than ``fetch_2``."""
    raws = [
        _raw("fetch", path="/a", tags=("database",)),
        _raw("databaseFetch", path="/b", tags=("database",)),
    ]
    names = plan_names(raws)
    assert names["fetch"].python_name == "fetch"
    assert names["databaseFetch"].python_name == "database_fetch"


@pytest.mark.parametrize(("value", "expected"), [("primaryOp", "primaryOp"), (7, None), (None, None)])
def test_variant_of_is_read_only_when_a_string(value: Any, expected: str | None) -> None:
    """x-codegen-variant-of is taken when it is a string and ignored otherwise."""
    op: dict[str, Any] = {"operationId": "x"}
    if value is not None:
        op["x-codegen-variant-of"] = value
    (raw,) = raw_operations(_doc({"/x": {"get": op}}))
    assert raw.variant_of == expected


def test_duplicated_operation_ids_are_all_listed() -> None:
    """raw_operations keeps duplicates (build reports them); non-dict path items and methods are skipped."""
    doc = _doc(
        {
            "/a": {"get": {"operationId": "same"}, "post": "not an operation", "parameters": []},
            "/b": {"get": {"operationId": "same"}},
            "/c": "not a path item",
        }
    )
    assert [(r.path, r.operation_id) for r in raw_operations(doc)] == [("/a", "same"), ("/b", "same")]


# --- plan_names -------------------------------------------------------------------------------


def test_plan_names_snake_case_and_constant() -> None:
    """A method name is the snake-cased operationId; its constant is `_` plus its upper-case form."""
    names = plan_names([_raw("listJobRuns")])
    assert names == {"listJobRuns": OperationNames(python_name="list_job_runs", constant_name="_LIST_JOB_RUNS")}


def test_colliding_names_are_suffixed_in_path_then_method_order() -> None:
    """Names that collide after snake-casing get _2, _3 in path-then-method order, whatever the input order."""
    raws = [
        _raw("get-job", "/b", "get"),
        _raw("get_job", "/a", "post"),
        _raw("getJob", "/a", "get"),
    ]
    names = plan_names(raws)
    assert names["getJob"] == OperationNames(python_name="get_job", constant_name="_GET_JOB")
    assert names["get_job"] == OperationNames(python_name="get_job_2", constant_name="_GET_JOB_2")
    assert names["get-job"] == OperationNames(python_name="get_job_3", constant_name="_GET_JOB_3")
    assert plan_names(list(reversed(raws))) == names


def test_names_are_unique_per_home_tag_only() -> None:
    """The same snake name in two home tags is not suffixed: each tag module has its own namespace."""
    names = plan_names([_raw("getJob", "/a", tags=("one",)), _raw("get_job", "/b", tags=("two", "one"))])
    assert names["getJob"].python_name == "get_job"
    assert names["get_job"].python_name == "get_job"


def test_adding_an_operation_elsewhere_does_not_rename() -> None:
    """An operation added to another tag, or later in path order, leaves existing names alone."""
    before = plan_names([_raw("getJob", "/a")])
    after = plan_names([_raw("getJob", "/a"), _raw("get_job", "/z"), _raw("getJob2", "/0", tags=("other",))])
    assert after["getJob"] == before["getJob"]


def test_with_raw_response_is_reserved_on_every_resource() -> None:
    """``with_raw_response`` is every resource's own attribute, so an operation named like it is suffixed."""
    names = plan_names([_raw("withRawResponse", "/a"), _raw("getThingWithResponse", "/b"), _raw("getThing", "/c")])
    assert names["withRawResponse"].python_name == "with_raw_response_2"
    assert names["getThingWithResponse"].python_name == "get_thing_with_response"  # no twins any more
    assert names["getThing"].python_name == "get_thing"


def test_reserved_and_digit_operation_ids() -> None:
    """Keywords and builtins get a trailing underscore; a leading digit gets the `operation_` prefix."""
    names = plan_names([_raw("list", "/a"), _raw("class", "/b"), _raw("2fa", "/c"), _raw("!!!", "/d")])
    assert names["list"] == OperationNames(python_name="list_", constant_name="_LIST")
    assert names["class"] == OperationNames(python_name="class_", constant_name="_CLASS")
    assert names["2fa"] == OperationNames(python_name="operation_2fa", constant_name="_OPERATION_2FA")
    assert names["!!!"] == OperationNames(python_name="operation", constant_name="_OPERATION")


def test_module_constants_are_unique() -> None:
    """Constants never repeat within a module, even when a variant's id upper-cases like a primary's name."""
    raws = [
        _raw("getJob", "/a"),
        _raw("get_job", "/b", variant_of="getJob"),  # constant _GET_JOB is taken by the primary
        _raw("type", "/c"),
        _raw("Type", "/d"),
    ]
    names = plan_names(raws)
    constants = [n.constant_name for n in names.values()]
    assert len(constants) == len(set(constants))
    assert names["getJob"].constant_name == "_GET_JOB"
    assert names["get_job"].constant_name == "_GET_JOB2"
    assert names["type"] == OperationNames(python_name="type_", constant_name="_TYPE")
    assert names["Type"] == OperationNames(python_name="type_2", constant_name="_TYPE_2")


def test_variant_gets_only_a_constant_right_after_its_primary() -> None:
    """A variant takes no method name in its tag and its constant is allocated just after its primary's."""
    raws = [
        _raw("listJobs", "/a/jobs"),
        _raw("listTeamJobs", "/teams/{t}/jobs", tags=("elsewhere",), variant_of="listJobs"),
        # Same constant as the variant, but visited later: the variant keeps the plain one.
        _raw("list-team-jobs", "/z"),
    ]
    names = plan_names(raws)
    assert names["listTeamJobs"].constant_name == "_LIST_TEAM_JOBS"
    assert names["list-team-jobs"] == OperationNames(python_name="list_team_jobs", constant_name="_LIST_TEAM_JOBS2")
    # The variant's own name does not occupy a method: a primary may use it.
    assert names["listTeamJobs"].python_name == "list_team_jobs"
    assert list(names) == ["listJobs", "listTeamJobs", "list-team-jobs"]


def test_variants_of_one_primary_in_sorted_id_order() -> None:
    """Several variants of one primary get their constants in operationId order."""
    raws = [
        _raw("base", "/a"),
        _raw("zed", "/z", variant_of="base"),
        _raw("alpha", "/y", variant_of="base"),
    ]
    names = plan_names(raws)
    assert list(names) == ["base", "alpha", "zed"]
    assert names["alpha"].constant_name == "_ALPHA"


def test_variant_of_unknown_primary_gets_no_names() -> None:
    """A variant whose primary does not exist is left out (build reports unknown-variant-target)."""
    names = plan_names([_raw("orphan", "/a", variant_of="missing")])
    assert names == {}


def test_duplicated_operation_id_first_occurrence_wins() -> None:
    """With a duplicated operationId only the first occurrence is named (its path decides the order)."""
    raws = [
        _raw("dup", "/b", tags=("first",)),
        _raw("dup", "/a", tags=("second",)),
        _raw("dup_", "/c", tags=("first",)),
    ]
    names = plan_names(raws)
    assert set(names) == {"dup", "dup_"}
    assert names["dup"] == OperationNames(python_name="dup", constant_name="_DUP")
    # "dup_" snake-cases to "dup", which the first "dup" (tag "first", /b) holds; the second "dup" took nothing.
    assert names["dup_"] == OperationNames(python_name="dup_2", constant_name="_DUP_2")


def test_plan_names_on_raw_operations_of_a_document() -> None:
    """raw_operations feeds plan_names directly: derived keys are named too."""
    doc = _doc({"/jobs/{id}": {"get": {"tags": ["jobs"]}, "delete": {"operationId": "deleteJob", "tags": ["jobs"]}}})
    names = plan_names(raw_operations(doc))
    assert names == {
        "get_jobs_by_id": OperationNames(python_name="get_jobs_by_id", constant_name="_GET_JOBS_BY_ID"),
        "deleteJob": OperationNames(python_name="delete_job", constant_name="_DELETE_JOB"),
    }
