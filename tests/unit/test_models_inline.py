"""The names of inline schemas (docs/design.md, "Names"): pure functions, small inline inputs."""

from __future__ import annotations

from typing import Any

import pytest

from generator import naming
from generator.models.inline import assign, candidates, hoist_inline


@pytest.mark.parametrize(
    ("parent", "child", "expected"),
    [
        ("Storage", "StorageSize", "StorageSize"),
        ("EphemeralStorage", "StorageSize", "EphemeralStorageSize"),
        ("BuildSettings", "SettingsBuildEngine", "BuildSettingsBuildEngine"),
        ("Build", "Settings", "BuildSettings"),
        ("JobDetails", "JobType", "JobDetailsJobType"),
        ("CronJob", "JobType", "CronJobType"),
    ],
)
def test_joined_names_do_not_repeat_the_words_they_share(parent: str, child: str, expected: str) -> None:
    assert naming.join_class_names(parent, child) == expected


@pytest.mark.parametrize(
    ("word", "expected"), [("tags", "tag"), ("Entries", "Entry"), ("Status", "Status"), ("Boxes", "Box")]
)
def test_item_classes_take_the_singular(word: str, expected: str) -> None:
    assert naming.singular(word) == expected


def test_candidates_take_the_component_first_then_ever_more_parents() -> None:
    assert candidates("BuildStorage", ["EphemeralStorage", "StorageSize"]) == [
        "StorageSize",
        "BuildStorageSize",
        "EphemeralStorageSize",
        "BuildStorageEphemeralStorageSize",
    ]
    assert candidates("A", ["B", "C", "D"]) == ["D", "AD", "CD", "BCD", "ABCD"]
    # The qualifier's last words are not repeated.
    assert candidates("CronJob", ["JobType"]) == ["JobType", "CronJobType"]


def test_a_generic_property_never_names_a_class_alone() -> None:
    assert candidates("Job", ["Settings", "Type"]) == ["SettingsType", "JobSettingsType"]
    assert candidates("Job", ["Type"]) == ["JobType"]


def test_contested_names_move_every_claimant_on_whatever_the_order() -> None:
    claims = {"a": ["Size", "ASize"], "b": ["Size", "BSize"], "c": ["Other"]}
    expected = {"a": "ASize", "b": "BSize", "c": "Other"}
    assert assign(claims, set()) == expected
    assert assign(dict(reversed(claims.items())), set()) == expected
    assert assign({"c": ["Other", "COther"]}, {"Other"}) == {"c": "COther"}
    # No candidate left: the longest one, numbered.
    assert assign({"a": ["X"], "b": ["X"]}, set()) == {"a": "X", "b": "X2"}


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


_SIZE = {"type": "integer", "enum": [1, 2]}


def test_inline_schemas_become_components_named_by_their_property() -> None:
    schemas = {"BuildStorage": _object(ephemeralStorage=_object(storageSize=_SIZE))}
    result = hoist_inline(schemas)
    assert result["BuildStorage"]["properties"]["ephemeralStorage"] == {"$ref": "#/components/schemas/EphemeralStorage"}
    assert result["EphemeralStorage"]["properties"]["storageSize"] == {"$ref": "#/components/schemas/StorageSize"}
    assert result["StorageSize"] == _SIZE


def test_a_component_of_the_name_wins_and_the_inline_schema_is_qualified() -> None:
    schemas = {"Job": _object(storageSize=_SIZE), "StorageSize": {"type": "string"}}
    assert set(hoist_inline(schemas)) == {"Job", "StorageSize", "JobStorageSize"}


def test_identical_inline_schemas_are_one_class_and_equal_to_a_component_is_the_component() -> None:
    other = {"type": "string", "enum": ["a"]}
    schemas = {"A": _object(size=_SIZE, kind=other), "B": _object(size=_SIZE), "Kind": other}
    result = hoist_inline(schemas)
    assert set(result) == {"A", "B", "Kind", "Size"}
    assert result["A"]["properties"]["kind"] == {"$ref": "#/components/schemas/Kind"}


def test_adding_a_schema_renames_only_the_schemas_that_claim_its_name() -> None:
    base = {"A": _object(size=_SIZE, color={"enum": ["red"]}), "B": _object(shape={"enum": ["round"]})}
    before = set(hoist_inline(base))
    unrelated = set(hoist_inline({**base, "C": _object(weight={"enum": [1, 3]})}))
    assert before <= unrelated  # nothing renamed
    contender = set(hoist_inline({**base, "C": _object(size={"enum": [7]})}))
    assert before - contender == {"Size"}  # only the claimant of `Size` is qualified now
    assert {"ASize", "CSize"} <= contender


def _engine(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def test_a_contested_name_takes_the_component_not_the_whole_path() -> None:
    schemas = {
        f"{owner}DockerfileBuildSettings": _object(dockerfile=_object(path={"type": "string"}, buildEngine=engine))
        for owner, engine in [
            ("CronJob", _engine("kaniko")),
            ("ManualJob", _engine("kaniko", "buildkit")),
            ("PutManualJob", _engine("buildkit")),
        ]
    }
    names = set(hoist_inline(schemas)) - set(schemas)
    engines = {name for name in names if name.endswith("BuildEngine")}
    assert engines == {
        "CronJobDockerfileBuildSettingsBuildEngine",
        "ManualJobDockerfileBuildSettingsBuildEngine",
        "PutManualJobDockerfileBuildSettingsBuildEngine",
    }


def test_claimants_in_one_component_move_on_to_their_parents() -> None:
    schemas = {"A": _object(x=_object(size=_SIZE), y=_object(size={"enum": [3]})), "B": _object(size={"enum": [4]})}
    result = hoist_inline(schemas)
    assert set(result) == {"A", "B", "X", "Y", "XSize", "YSize", "BSize"}
    assert result["X"]["properties"]["size"] == {"$ref": "#/components/schemas/XSize"}
    # Whatever the order of the spec.
    assert set(hoist_inline(dict(reversed(schemas.items())))) == set(result)
