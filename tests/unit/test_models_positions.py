"""Classes the tool makes inside a schema are named by their place (generator/models/positions.py)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.diagnostics import Diagnostics
from generator.models import ModelsModule, generate_models
from generator.models.positions import place_name

REF = "#/components/schemas/"


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("CronJob", "CronJob"),
        ("CronJob/properties/tags/items", "CronJobTag"),
        ("Forkee/allOf/1/properties/owner", "ForkeeOwner"),
        ("Forkee/allOf/1/properties/owner/properties/type", "ForkeeOwnerType"),
        ("Versions/items", "VersionsItem"),
        ("Labels/additionalProperties", "LabelsValue"),
        ("Update/anyOf/2", "UpdateVariant2"),
    ],
)
def test_a_place_names_its_class(source: str, name: str) -> None:
    assert place_name(REF + source) == name


def _models(schemas: dict[str, Any], groups: int = 1) -> ModelsModule:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    diags = Diagnostics()
    models = generate_models(
        {**document, "components": {"schemas": schemas}}, header="# m", diags=diags, spec_file="s", groups=groups
    )
    assert models is not None, diags.render()
    return models


def _issue_event(extra: str) -> dict[str, Any]:
    """An event whose ``issue`` merges the component with a property of its own (the tool's ``Issue1``)."""
    return {
        "type": "object",
        "properties": {
            "issue": {
                "allOf": [
                    {"$ref": REF + "Issue"},
                    {"type": "object", "properties": {extra: {"type": "string"}}},
                ]
            }
        },
    }


def test_allof_merges_in_properties_are_named_by_their_place_not_numbered() -> None:
    schemas = {
        "Issue": {"type": "object", "properties": {"title": {"type": "string"}}},
        "IssueClosed": _issue_event("closedBy"),
        "IssueOpened": _issue_event("openedBy"),
    }
    models = _models(schemas)
    merged = {models.by_source[REF + name][0] for name in ("IssueClosedIssue", "IssueOpenedIssue")}
    assert merged == {"IssueClosedIssue", "IssueOpenedIssue"}
    assert not [name for name in models.classes if name[-1].isdigit()]


def test_a_component_keeps_its_name_beside_a_merged_property_of_that_name() -> None:
    """The tool names the merged ``owner`` ``Owner`` when it meets it first, and the component ``Owner1``."""
    user = {"type": "object", "properties": {"login": {"type": "string"}}}
    schemas = {
        "Forkee": {
            "allOf": [
                {"type": "object", "properties": {"owner": user}},
                {
                    "type": "object",
                    "properties": {"owner": {"type": "object", "properties": {"id": {"type": "integer"}}}},
                },
            ]
        },
        "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Repo": {"type": "object", "properties": {"owner": {"$ref": REF + "Owner"}}},
    }
    whole = _models(schemas)
    assert whole.class_for("Owner") == "Owner"
    assert whole.by_source[REF + "Forkee/allOf/1/properties/owner"] == ("ForkeeOwner",)
    grouped = _models(schemas, groups=3)
    assert grouped.source == whole.source
