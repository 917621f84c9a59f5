"""Unit tests of generator/models/private.py: envelopes used only to be unwrapped become ``_Name``."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.models.module import Definition, ModelClass, ModelField, ModelsModule
from generator.models.private import envelopes, make_private

REF = "#/components/schemas/"


def _json(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": REF + ref}}}}


def _doc(**extra_paths: Any) -> dict[str, Any]:
    """``GET /jobs`` answers ``JobEnvelope`` (``{"data": Job}``); errors are ``Error``."""
    paths: dict[str, Any] = {
        "/jobs": {
            "get": {
                "operationId": "getJob",
                "responses": {"200": {"description": "", **_json("JobEnvelope")}, "default": _json("Error")},
            }
        },
        **extra_paths,
    }
    envelope = {"type": "object", "required": ["data"], "properties": {"data": {"$ref": REF + "Job"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1", "x-codegen": {"envelope": "data"}},
        "paths": paths,
        "components": {"schemas": {"JobEnvelope": envelope, "Job": {"type": "object"}, "Error": {"type": "object"}}},
    }


def _models(*, required: bool = True, others: tuple[Definition, ...] = ()) -> ModelsModule:
    data = ModelField(python_name="data", wire_name="data", annotation="Job", required=required)
    classes = {
        "JobEnvelope": ModelClass(name="JobEnvelope", kind="model", fields=(data,), source=REF + "JobEnvelope"),
        "Job": ModelClass(name="Job", kind="model", fields=(), source=REF + "Job"),
        "Error": ModelClass(name="Error", kind="model", fields=(), source=REF + "Error"),
    }
    definitions = (
        Definition(name="Job", defines=True, text="class Job(ApiModel):\n    pass", uses=frozenset({"ApiModel"})),
        Definition(
            name="JobEnvelope",
            defines=True,
            text='class JobEnvelope(ApiModel):\n    """JobEnvelope holds a Job."""\n    data: Job',
            uses=frozenset({"ApiModel", "Job"}),
        ),
        Definition(
            name="JobEnvelope", defines=False, text="JobEnvelope.model_rebuild()", uses=frozenset({"JobEnvelope"})
        ),
        *others,
    )
    return ModelsModule(
        header="#",
        imports=(),
        definitions=definitions,
        classes=classes,
        by_source={c.source: (name,) for name, c in classes.items()},
    )


def test_an_envelope_used_only_as_a_success_body_becomes_private() -> None:
    models = _models()
    assert envelopes(_doc(), models) == {"JobEnvelope"}
    private = make_private(models, envelopes(_doc(), models))
    assert set(private.classes) == {"_JobEnvelope", "Job", "Error"}
    assert private.classes["_JobEnvelope"].name == "_JobEnvelope"
    assert private.class_for("JobEnvelope", role="response") == "_JobEnvelope"
    texts = {(d.name, d.defines): d.text for d in private.definitions}
    # The class line and the rebuild are renamed; the docstring that mentions the old name is not code.
    assert texts[("_JobEnvelope", True)].startswith('class _JobEnvelope(ApiModel):\n    """JobEnvelope holds a Job."""')
    assert texts[("_JobEnvelope", False)] == "_JobEnvelope.model_rebuild()"
    assert texts[("Job", True)] == "class Job(ApiModel):\n    pass"
    rebuild = next(d for d in private.definitions if not d.defines)
    assert rebuild.uses == {"_JobEnvelope"}


def _also_request_body(doc: dict[str, Any]) -> None:
    doc["paths"]["/jobs"]["post"] = {"operationId": "putJob", "requestBody": _json("JobEnvelope"), "responses": {}}


def _also_in_another_schema(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["Page"] = {"properties": {"first": {"$ref": REF + "JobEnvelope"}}}


def _also_an_error(doc: dict[str, Any]) -> None:
    doc["paths"]["/jobs"]["get"]["responses"]["404"] = _json("JobEnvelope")


def _no_envelope_configured(doc: dict[str, Any]) -> None:
    del doc["info"]["x-codegen"]


@pytest.mark.parametrize(
    "change", [_also_request_body, _also_in_another_schema, _also_an_error, _no_envelope_configured]
)
def test_an_envelope_used_any_other_way_stays_public(change: Any) -> None:
    doc = copy.deepcopy(_doc())
    change(doc)
    assert envelopes(doc, _models()) == frozenset()


def test_an_envelope_whose_member_may_be_absent_is_handed_out_and_stays_public() -> None:
    """Not unwrapped (``data`` optional): the caller gets the wrapper itself."""
    assert envelopes(_doc(), _models(required=False)) == frozenset()


def test_an_envelope_another_class_mentions_stays_public() -> None:
    """A class the tool made refer to it (a shared shape) keeps it public, whatever the document says."""
    holder = Definition(
        name="Holder", defines=True, text="class Holder(ApiModel):\n    x: JobEnvelope", uses=frozenset({"JobEnvelope"})
    )
    assert envelopes(_doc(), _models(others=(holder,))) == frozenset()


def test_a_shared_response_object_counts_each_reference_once() -> None:
    """A ``components/responses`` entry used by two operations is one reference, to a success body."""
    doc = _doc()
    doc["components"]["responses"] = {"Jobs": {"description": "", **_json("JobEnvelope")}}
    doc["paths"]["/jobs"]["get"]["responses"]["200"] = {"$ref": "#/components/responses/Jobs"}
    doc["paths"]["/other"] = {
        "get": {"operationId": "other", "responses": {"200": {"$ref": "#/components/responses/Jobs"}}}
    }
    assert envelopes(doc, _models()) == {"JobEnvelope"}
