"""Unit tests of generator/ir/vet.py and model_split.py on hand-made IR and definitions (breaking: test_ir_breaking)."""

from __future__ import annotations

import pytest

from generator.diagnostics import Level
from generator.ir import model_split, vet
from generator.ir import nodes as ir
from generator.models.module import Definition, ImportFrom, ModelsModule
from tests.support.ir_factory import api as _api
from tests.support.ir_factory import op as _op
from tests.support.ir_factory import param as _param
from tests.support.ir_factory import tag as _tag

# --- hand-made IR ----------------------------------------------------------------------------------


def _body(hint: str = "Job | Mapping[str, Any]") -> ir.Body:
    return ir.Body(
        content_type="application/json",
        encoding="json",
        model="Job",
        type_hint=hint,
        required=True,
        description="",
        example_json=None,
    )


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
    good = ir.Variant(
        operation_id="v1",
        constant_name="_V1",
        path="/teams/{teamId}/jobs/{id}",
        extra_params=(_param("teamId", "path"),),
    )
    bad = ir.Variant(operation_id="v2", constant_name="_V2", path="/orgs/{orgId}/jobs/{id}", extra_params=())
    op = _op("getJob", "/jobs/{id}", python_name="get_job", path_params=(_param("id", "path"),), variants=(good, bad))
    diags = vet.vet(_api(_tag("t", op)))
    assert [(d.code, "{orgId}" in d.message) for d in diags] == [("undeclared-path-param", True)]


def test_name_collision_is_a_warning() -> None:
    """An operation whose Python name is not its snake-cased operationId (it was suffixed) is warned."""
    first = _op("getJob", "/a", python_name="get_job")
    second = _op("get_job", "/b", python_name="get_job_2")
    assert _vet(first, second) == [("name-collision", Level.WARNING, second.pointer, "spec.yaml")]


def test_a_name_shortened_by_its_tag_is_not_a_collision() -> None:
    """``jobs_cancel`` in module ``jobs`` is ``cancel``; taken, it stays ``jobs_cancel``: neither is warned."""
    short = _op("jobs_cancel", "/a", python_name="cancel")
    whole = _op("jobsCancel", "/b", python_name="jobs_cancel")
    suffixed = _op("jobs-cancel", "/c", python_name="jobs_cancel_2")
    assert vet.vet(_api(_tag("jobs", short, whole))) == []
    assert [d.pointer for d in vet.vet(_api(_tag("jobs", short, whole, suffixed)))] == [suffixed.pointer]


# --- model_split --------------------------------------------------------------------------------------


def _define(name: str, *uses: str) -> Definition:
    return Definition(name=name, defines=True, text=f"class {name}(ApiModel):\n    pass", uses=frozenset(uses))


def _rebuild(name: str, *uses: str) -> Definition:
    return Definition(name=name, defines=False, text=f"{name}.model_rebuild()", uses=frozenset({name, *uses}))


HEADER_IMPORTS = (
    ImportFrom(module="__future__", names=("annotations",), binds=("annotations",)),
    ImportFrom(module="pydantic", names=("Field", "BaseModel"), binds=("Field", "BaseModel")),
    ImportFrom(module="datetime", names=("date as date_aliased",), binds=("date_aliased",)),
    ImportFrom(module="._models", names=("ApiModel",), binds=("ApiModel",)),
)


def _module(*definitions: Definition, splittable: bool = True) -> ModelsModule:
    return ModelsModule(
        header="# h. DO NOT EDIT.", imports=HEADER_IMPORTS, definitions=definitions, splittable=splittable
    )


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
