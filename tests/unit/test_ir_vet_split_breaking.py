"""Unit tests of generator/ir/vet.py, model_split.py and breaking.py on hand-made IR, definitions and models."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from generator.diagnostics import Level
from generator.ir import breaking, model_split, vet
from generator.ir import nodes as ir
from generator.models.module import Definition, ImportFrom, ModelClass, ModelField, ModelsModule

# --- hand-made IR ----------------------------------------------------------------------------------


def _param(wire: str, location: ir.Location = "query", **more: Any) -> ir.Param:
    values: dict[str, Any] = {
        "wire_name": wire,
        "python_name": wire.lower(),
        "location": location,
        "required": location == "path",
        "type_hint": "str",
        "description": "",
        "example": "x",
        "style": "simple" if location in ("path", "header") else "form",
        "explode": location not in ("path", "header"),
    }
    values.update(more)
    return ir.Param(**values)


def _op(op_id: str, path: str = "/a", method: str = "GET", **more: Any) -> ir.Operation:
    values: dict[str, Any] = {
        "operation_id": op_id,
        "python_name": op_id.lower(),
        "constant_name": "_" + op_id.upper(),
        "method": method,
        "path": path,
        "pointer": f"/paths/{path.replace('/', '~1')}/{method.lower()}",
        "summary": "",
        "description": "",
        "deprecated": False,
        "replaced_by": None,
        "idempotent": method != "POST",
        "permission": None,
        "path_params": (),
        "query_params": (),
        "header_params": (),
        "cookie_params": (),
        "body": None,
        "responses": (ir.ResponseCase("200", "True", "empty", None, "", "None", "", None),),
        "result_type": "None",
        "security": None,
        "variants": (),
    }
    values.update(more)
    return ir.Operation(**values)


def _tag(name: str, *operations: ir.Operation, model_imports: tuple[str, ...] = ()) -> ir.Tag:
    return ir.Tag(
        name=name,
        module=name,
        resource_class=name.title() + "Resource",
        async_resource_class="Async" + name.title() + "Resource",
        attribute=name,
        description="",
        operations=operations,
        shared_operations=(),
        home_imports=(),
        model_imports=model_imports,
        type_imports=(),
        has_body=False,
        has_deprecated=False,
        parses_json=False,
    )


def _api(*tags: ir.Tag, package: str = "pkg") -> ir.Api:
    return ir.Api(
        title="T",
        version="1",
        description="",
        package=package,
        client_class="TClient",
        async_client_class="AsyncTClient",
        base_url="",
        token_env_var=None,
        spec_path="spec.yaml",
        spec_sha256="0",
        tags=tags,
        models=(),
        model_groups=(),
        security_schemes=(),
        default_security=(),
        credential_args=(),
    )


def _body(hint: str = "Job | Mapping[str, Any]") -> ir.Body:
    return ir.Body("application/json", "json", "Job", hint, True, "", None)


# --- vet -------------------------------------------------------------------------------------------


def _vet(*operations: ir.Operation) -> list[tuple[str, Level, str, str]]:
    return [(d.code, d.level, d.pointer, d.file) for d in vet.vet(_api(_tag("t", *operations)))]


def test_vet_clean_operation() -> None:
    """Declared and used path parameters that agree, and an unsuffixed name, give no diagnostic."""
    op = _op("getJob", "/jobs/{id}", python_name="get_job", path_params=(_param("id", "path", positional=True),))
    assert _vet(op) == []


def test_undeclared_path_param_is_an_error() -> None:
    """A `{name}` in the path without an `in: path` parameter is an ERROR at the operation."""
    op = _op("getJob", "/p/{projectId}/jobs/{id}", python_name="get_job", path_params=(_param("id", "path"),))
    diags = vet.vet(_api(_tag("t", op)))
    assert [(d.code, d.level, d.pointer, d.file) for d in diags] == [
        ("undeclared-path-param", Level.ERROR, op.pointer, "spec.yaml")
    ]
    assert "{projectId}" in diags[0].message


def test_unused_path_param_is_an_error() -> None:
    """An `in: path` parameter without its `{name}` in the path is an ERROR."""
    op = _op("listJobs", "/jobs", python_name="list_jobs", path_params=(_param("id", "path"),))
    assert _vet(op) == [("unused-path-param", Level.ERROR, op.pointer, "spec.yaml")]


def test_variant_paths_are_checked_with_the_primary_and_extra_params() -> None:
    """A variant's path may use the primary's params and its extras; anything else is reported."""
    good = ir.Variant("v1", "_V1", "/teams/{teamId}/jobs/{id}", (_param("teamId", "path"),))
    bad = ir.Variant("v2", "_V2", "/orgs/{orgId}/jobs/{id}", ())
    op = _op("getJob", "/jobs/{id}", python_name="get_job", path_params=(_param("id", "path"),), variants=(good, bad))
    diags = vet.vet(_api(_tag("t", op)))
    assert [(d.code, "{orgId}" in d.message) for d in diags] == [("undeclared-path-param", True)]


def test_name_collision_is_a_warning() -> None:
    """An operation whose Python name is not its snake-cased operationId (it was suffixed) is warned."""
    first = _op("getJob", "/a", python_name="get_job")
    second = _op("get_job", "/b", python_name="get_job_2")
    assert _vet(first, second) == [("name-collision", Level.WARNING, second.pointer, "spec.yaml")]


# --- model_split --------------------------------------------------------------------------------------


def _define(name: str, *uses: str) -> Definition:
    return Definition(name, True, f"class {name}(ApiModel):\n    pass", frozenset(uses))


def _rebuild(name: str, *uses: str) -> Definition:
    return Definition(name, False, f"{name}.model_rebuild()", frozenset({name, *uses}))


HEADER_IMPORTS = (
    ImportFrom("__future__", ("annotations",), ("annotations",)),
    ImportFrom("pydantic", ("Field", "BaseModel"), ("Field", "BaseModel")),
    ImportFrom("datetime", ("date as date_aliased",), ("date_aliased",)),
    ImportFrom("._models", ("ApiModel",), ("ApiModel",)),
)


def _module(*definitions: Definition, splittable: bool = True) -> ModelsModule:
    return ModelsModule("# h. DO NOT EDIT.", HEADER_IMPORTS, definitions, splittable=splittable)


def _groups(groups: tuple[ir.ModelGroup, ...]) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    return {g.module: (g.kind, g.tag, g.names) for g in groups}


def test_split_by_transitive_reachability() -> None:
    """Models reached (transitively) by one tag go to its module, by several to _shared, by none to _unreferenced."""
    models = _module(
        _define("Owner", "ApiModel"),
        _define("Leaf", "ApiModel"),
        _define("Mid", "Leaf", "ApiModel"),
        _define("Alpha", "Mid", "Owner", "ApiModel"),
        _define("Beta", "Owner", "ApiModel"),
        _define("Orphan", "ApiModel", "Field"),
    )
    tags = [_tag("alpha", model_imports=("Alpha",)), _tag("beta", model_imports=("Beta", "NotAModel"))]
    assert _groups(model_split.plan(models, tags)) == {
        "_shared": ("shared", "", ("Owner",)),
        "alpha": ("tag", "alpha", ("Leaf", "Mid", "Alpha")),
        "beta": ("tag", "beta", ("Beta",)),
        "_unreferenced": ("unreferenced", "", ("Orphan",)),
    }


def test_a_dependency_reached_by_two_tags_is_shared() -> None:
    """A model one tag reaches through another model and a second tag uses directly is shared."""
    models = _module(_define("Leaf"), _define("Alpha", "Leaf"), _define("Beta"))
    tags = [_tag("alpha", model_imports=("Alpha",)), _tag("beta", model_imports=("Beta", "Leaf"))]
    assert _groups(model_split.plan(models, tags)) == {
        "_shared": ("shared", "", ("Leaf",)),
        "alpha": ("tag", "alpha", ("Alpha",)),
        "beta": ("tag", "beta", ("Beta",)),
    }


def test_groups_in_shared_tags_unreferenced_order_and_source_order_kept() -> None:
    """Groups come _shared, then tags in the given order, then _unreferenced; names keep source order."""
    models = _module(_define("Z"), _define("Y"), _define("B2"), _define("B1"))
    tags = [_tag("beta", model_imports=("B1", "B2")), _tag("alpha", model_imports=("Z",))]
    groups = model_split.plan(models, tags)
    assert [g.module for g in groups] == ["beta", "alpha", "_unreferenced"]
    assert groups[0].names == ("B2", "B1")


def test_a_cycle_stays_in_one_group_and_a_rebuild_follows_its_model() -> None:
    """A rebuild's forward references count for its model, and the rebuild is placed with it (defining nothing)."""
    models = _module(_define("Node", "Child"), _define("Child", "Node"), _rebuild("Node", "Child"), _define("Other"))
    tags = [_tag("alpha", model_imports=("Node",)), _tag("beta", model_imports=("Other",))]
    groups = model_split.plan(models, tags)
    assert _groups(groups) == {"alpha": ("tag", "alpha", ("Node", "Child")), "beta": ("tag", "beta", ("Other",))}
    bodies = model_split.bodies(models, groups)
    assert bodies["alpha"] == "\n\n\n".join(
        ["class Node(ApiModel):\n    pass", "class Child(ApiModel):\n    pass", "Node.model_rebuild()"]
    )
    assert bodies["beta"] == "class Other(ApiModel):\n    pass"


@pytest.mark.parametrize(
    ("definitions", "tags", "splittable"),
    [
        # one tag: nothing to load lazily
        ((_define("A"), _define("B")), [("alpha", ("A",))], True),
        # the module holds a statement the split cannot place
        ((_define("A"), _define("B")), [("alpha", ("A",)), ("beta", ("B",))], False),
        # everything lands in one group
        ((_define("A"), _define("B")), [("alpha", ("A", "B")), ("beta", ())], True),
        ((_define("A"), _define("B")), [("alpha", ("A", "B")), ("beta", ("B", "A"))], True),
        # no definitions
        ((), [("alpha", ()), ("beta", ())], True),
        # a name defined twice
        ((_define("A"), _define("A"), _define("B")), [("alpha", ("A",)), ("beta", ("B",))], True),
        # a rebuild of something that is not defined here
        ((_define("A"), _define("B"), _rebuild("C")), [("alpha", ("A",)), ("beta", ("B",))], True),
    ],
)
def test_cases_that_keep_one_models_module(
    definitions: tuple[Definition, ...], tags: list[tuple[str, tuple[str, ...]]], splittable: bool
) -> None:
    """plan() returns () (one models.py) whenever a split would not help or cannot be made safely."""
    models = _module(*definitions, splittable=splittable)
    assert model_split.plan(models, [_tag(name, model_imports=imports) for name, imports in tags]) == ()


def test_imports_per_group() -> None:
    """A group imports the header names it uses (relatives a level deeper, __future__ always), then other groups'."""
    models = _module(
        _define("Owner", "ApiModel", "BaseModel"),
        _define("Alpha", "Owner", "ApiModel", "Field"),
        _define("Beta", "Owner", "date_aliased"),
        _define("Orphan"),
    )
    tags = [_tag("alpha", model_imports=("Alpha",)), _tag("beta", model_imports=("Beta",))]
    groups = {g.module: g.imports for g in model_split.plan(models, tags)}
    assert groups == {
        "_shared": (("__future__", ("annotations",)), ("pydantic", ("BaseModel",)), (".._models", ("ApiModel",))),
        "alpha": (
            ("__future__", ("annotations",)),
            ("pydantic", ("Field",)),
            (".._models", ("ApiModel",)),
            ("._shared", ("Owner",)),
        ),
        "beta": (("__future__", ("annotations",)), ("datetime", ("date as date_aliased",)), ("._shared", ("Owner",))),
        "_unreferenced": (("__future__", ("annotations",)),),
    }


def test_bodies_of_each_group() -> None:
    """bodies() gives each group's definition texts in source order, joined by two blank lines."""
    models = _module(_define("A"), _define("S"), _define("B"), _define("A2", "A"))
    tags = [_tag("alpha", model_imports=("A2", "S")), _tag("beta", model_imports=("B", "S"))]
    groups = model_split.plan(models, tags)
    assert model_split.bodies(models, groups) == {
        "_shared": "class S(ApiModel):\n    pass",
        "alpha": "class A(ApiModel):\n    pass\n\n\nclass A2(ApiModel):\n    pass",
        "beta": "class B(ApiModel):\n    pass",
    }


# --- breaking ---------------------------------------------------------------------------------------


EMPTY = ModelsModule("# h", (), ())


def _changes(
    old: ir.Api, new: ir.Api, old_models: ModelsModule = EMPTY, new_models: ModelsModule = EMPTY
) -> list[tuple[bool, str, str]]:
    return [(c.breaking, c.code, c.subject) for c in breaking.compare(old, old_models, new, new_models)]


def _one(old_op: ir.Operation, new_op: ir.Operation) -> list[tuple[bool, str, str]]:
    return _changes(_api(_tag("t", old_op)), _api(_tag("t", new_op)))


def test_identical_apis_have_no_changes() -> None:
    """Comparing an API with itself reports nothing."""
    api = _api(_tag("t", _op("a", path_params=(_param("id", "path", positional=True),), body=_body())))
    assert _changes(api, api) == []


def test_operation_removed_and_added() -> None:
    """A removed operation is breaking, an added one a note."""
    old = _api(_tag("t", _op("gone"), _op("kept")))
    new = _api(_tag("t", _op("kept"), _op("fresh")))
    assert _changes(old, new) == [(True, "operation-removed", "gone"), (False, "operation-added", "fresh")]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"python_name": "other_name"}, "operation-renamed"),
        ({"path": "/b"}, "operation-moved"),
        ({"method": "PUT"}, "operation-moved"),
        ({"result_type": "Job"}, "result-type-changed"),
        ({"body": _body()}, "body-changed"),
    ],
)
def test_breaking_operation_changes(change: dict[str, Any], code: str) -> None:
    """Renaming, moving, a new result type or a new body each break callers."""
    assert _one(_op("a"), replace(_op("a"), **change)) == [(True, code, "a")]


def test_body_type_change_and_removal() -> None:
    """A body whose type changes, or that disappears, is breaking."""
    assert _one(_op("a", body=_body()), _op("a", body=_body("Other | Mapping[str, Any]"))) == [
        (True, "body-changed", "a")
    ]
    assert _one(_op("a", body=_body()), _op("a")) == [(True, "body-changed", "a")]


def test_operation_moved_to_another_tag() -> None:
    """An operation now reached through another client attribute is breaking."""
    old = _api(_tag("jobs", _op("a")))
    new = _api(_tag("runs", _op("a")))
    assert _changes(old, new) == [(True, "operation-moved-tag", "a")]


def test_deprecation_is_a_note() -> None:
    """An operation that becomes deprecated is reported, not as breaking."""
    assert _one(_op("a"), _op("a", deprecated=True)) == [(False, "operation-deprecated", "a")]


@pytest.mark.parametrize(
    ("old_params", "new_params", "expected"),
    [
        ((_param("q"),), (), [(True, "parameter-removed", "a")]),
        ((), (_param("q"),), [(False, "parameter-added", "a")]),
        ((), (_param("q", required=True),), [(True, "required-parameter-added", "a")]),
        ((_param("q"),), (_param("q", required=True),), [(True, "parameter-became-required", "a")]),
        ((_param("q", required=True),), (_param("q"),), []),  # relaxing is fine
        ((_param("q"),), (_param("q", type_hint="int"),), [(True, "parameter-type-changed", "a")]),
        ((_param("q"),), (_param("Q", python_name="q"),), []),  # judged by the Python name
    ],
)
def test_query_parameter_changes(
    old_params: tuple[ir.Param, ...], new_params: tuple[ir.Param, ...], expected: list[tuple[bool, str, str]]
) -> None:
    """Removing, requiring or retyping a parameter breaks callers; adding an optional one does not."""
    assert _one(_op("a", query_params=old_params), _op("a", query_params=new_params)) == expected


def test_new_path_parameter_is_required() -> None:
    """A new keyword-only path parameter is a required-parameter-added."""
    old = _op("a", "/a/{id}", path_params=(_param("id", "path", positional=True),))
    new = _op("a", "/a/{id}", path_params=(_param("id", "path", positional=True), _param("team", "path")))
    assert _one(old, new) == [(True, "required-parameter-added", "a")]


def test_variant_extra_params_count_as_parameters() -> None:
    """Dropping a variant removes its extra keyword, which is breaking."""
    variant = ir.Variant("v", "_V", "/t/{team}/a", (_param("team", "path"),))
    assert _one(_op("a", variants=(variant,)), _op("a")) == [(True, "parameter-removed", "a")]


def test_positional_parameters_changed() -> None:
    """A different positional path parameter is breaking even when the parameter set is the same."""
    old = _op("a", "/p/{p}/j/{j}", path_params=(_param("p", "path"), _param("j", "path", positional=True)))
    new = _op("a", "/j/{j}/p/{p}", path_params=(_param("j", "path"), _param("p", "path", positional=True)))
    assert _one(old, new) == [(True, "operation-moved", "a"), (True, "positional-parameters-changed", "a")]
    same_positional = _op("a", "/p/{p}/j/{j}", path_params=(_param("j", "path", positional=True), _param("p", "path")))
    assert _one(old, same_positional) == []


def _models(**classes: tuple[ModelField, ...]) -> ModelsModule:
    return ModelsModule("# h", (), (), classes={n: ModelClass(n, "model", f) for n, f in classes.items()})


def test_model_changes() -> None:
    """Removed models and fields and changed field types or wire names break callers; additions are notes."""
    old = _models(
        Gone=(),
        Job=(
            ModelField("id", "id", "str"),
            ModelField("size", "size", "int"),
            ModelField("name", "name", "str"),
            ModelField("old", "old", "str"),
        ),
    )
    new = _models(
        Fresh=(),
        Job=(
            ModelField("id", "id", "str"),
            ModelField("size", "size", "int | float"),
            ModelField("name", "displayName", "str"),
            ModelField("extra", "extra", "bool"),
        ),
    )
    api = _api(_tag("t"))
    assert _changes(api, api, old, new) == [
        (True, "field-removed", "models.Job.old"),
        (True, "field-type-changed", "models.Job.size"),
        (True, "field-wire-name-changed", "models.Job.name"),
        (True, "model-removed", "models.Gone"),
        (False, "field-added", "models.Job.extra"),
        (False, "model-added", "models.Fresh"),
    ]


def test_package_renamed() -> None:
    """A new package name breaks every import."""
    assert _changes(_api(package="a"), _api(package="b")) == [(True, "package-renamed", "package")]


def test_breaking_changes_come_first() -> None:
    """compare() sorts breaking changes before notes, then by code and subject."""
    old = _api(_tag("t", _op("b"), _op("a", query_params=(_param("q"),))))
    new = _api(_tag("t", _op("a", deprecated=True), _op("c")))
    changes = breaking.compare(old, EMPTY, new, EMPTY)
    assert [(c.breaking, c.code, c.subject) for c in changes] == [
        (True, "operation-removed", "b"),
        (True, "parameter-removed", "a"),
        (False, "operation-added", "c"),
        (False, "operation-deprecated", "a"),
    ]
    assert changes[0].render() == "BREAKING[operation-removed] b: b() was removed"
    assert changes[-1].render() == "note[operation-deprecated] a: is now deprecated"
