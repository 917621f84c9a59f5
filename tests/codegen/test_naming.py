"""Table tests for the one module that makes Python identifiers."""

from __future__ import annotations

import keyword

import pytest

from generator import naming


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("projectId", "project_id"),
        ("projectID", "project_id"),
        ("HTTPServerURL", "http_server_url"),
        ("page-size", "page_size"),
        ("page.size", "page_size"),
        ("page size", "page_size"),
        ("class", "class_"),  # keyword
        ("match", "match_"),  # soft keyword
        ("type", "type_"),  # builtin
        ("id", "id_"),
        ("list", "list_"),
        ("2fa", "value_2fa"),  # leading digit
        ("", "value"),  # empty
        ("---", "value"),
        ("Größe", "grosse"),  # non-ASCII folded
        ("名前", "value"),  # nothing foldable
        ("self", "self"),  # not reserved by the language; callers reserve it where needed
        ("camelCaseWithV2", "camel_case_with_v2"),
    ],
)
def test_snake_case(wire: str, expected: str) -> None:
    assert naming.snake_case(wire) == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("job", "Job"),
        ("job-details", "JobDetails"),
        ("JobRun", "JobRun"),
        ("create_manual_job", "CreateManualJob"),
        ("2xx", "Model2xx"),
        ("", "Model"),
        ("None", "NoneModel"),  # keyword
        ("BaseModel", "BaseModelModel"),  # would shadow what models.py imports
        ("ApiModel", "ApiModelModel"),
        ("Ünïcödé", "Unicode"),
    ],
)
def test_pascal_case(wire: str, expected: str) -> None:
    assert naming.pascal_case(wire) == expected


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("page_size", set(), "page_size"),
        ("page_size", {"page_size"}, "page_size_2"),
        ("page_size", {"page_size", "page_size_2"}, "page_size_3"),
        ("Job", {"Job"}, "Job2"),
        ("class_", {"class_"}, "class_2"),
    ],
)
def test_unique_is_deterministic(name: str, taken: set[str], expected: str) -> None:
    assert naming.unique(name, taken) == expected


def test_collisions_after_sanitising_resolve_in_visit_order() -> None:
    taken: set[str] = set()
    names = []
    for wire in sorted(["page-size", "page_size", "pageSize"]):
        name = naming.unique(naming.snake_case(wire), taken)
        taken.add(name)
        names.append(name)
    assert names == ["page_size", "page_size_2", "page_size_3"]


@pytest.mark.parametrize("word", keyword.kwlist + keyword.softkwlist)
def test_no_keyword_survives(word: str) -> None:
    assert not keyword.iskeyword(naming.snake_case(word))
    assert naming.snake_case(word).isidentifier()
    assert naming.pascal_case(word).isidentifier()
    assert not keyword.iskeyword(naming.pascal_case(word))


def test_constant_case() -> None:
    assert naming.constant_case("createManualJob") == "CREATE_MANUAL_JOB"
    assert naming.constant_case("class") == "CLASS"
