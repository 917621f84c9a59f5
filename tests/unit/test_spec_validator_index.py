"""validate.py's indexed document validator finds exactly what openapi-spec-validator's own finds."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from generator.openapi import validate
from tests.support.repo import FIXTURES, SPEC


def _errors(validator_cls: Any, document: dict[str, Any]) -> list[tuple[str, list[Any], str]]:
    return [(type(e).__name__, list(e.absolute_path), e.message) for e in validator_cls(document).iter_errors()]


def _broken(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a few schema and path errors the validator reports through the OpenAPI schema."""
    broken = copy.deepcopy(document)
    schemas = broken["components"]["schemas"]
    first, second, third = list(schemas)[:3]
    schemas[first]["type"] = "strin"
    schemas[second]["required"] = "id"
    schemas[third]["properties"] = [1]
    broken["paths"]["/broken"] = {"get": {"responses": {"200": {"description": 1}}}}
    # Found by the library's schema keyword (the one whose id registries validate.py replaces).
    schemas["ZzUndeclared"] = {
        "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}],
        "required": ["b"],
    }
    schemas["ZzBadDefault"] = {"type": "integer", "default": "seven"}
    schemas["ZzUses"] = {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/ZzBadDefault"}}}
    return broken


@pytest.mark.parametrize("spec", [SPEC, FIXTURES / "specs" / "coverage.yaml"], ids=lambda p: p.name)
def test_same_errors_as_the_library_on_valid_and_broken_documents(spec: Any) -> None:
    document = yaml.safe_load(spec.read_text())
    v30 = str(document["openapi"]).startswith("3.0")
    library = OpenAPIV30SpecValidator if v30 else OpenAPIV31SpecValidator
    ours = validate._spec_validator(v30)
    assert ours is not library, "the indexed validator is not in use"
    assert _errors(ours, document) == _errors(library, document) == []
    broken = _broken(document)
    found = _errors(ours, broken)
    assert len(found) >= 4
    assert ("ExtraParametersError", [], "Required list has not defined properties: ['b']") in found
    assert ("OpenAPIValidationError", [], "'seven' is not of type 'integer'") in found
    assert found == _errors(library, broken)


def test_the_schema_keyword_keeps_its_ids_in_sets() -> None:
    """The library's lists made validating GitHub's spec quadratic (16 → 8 CPU-s with sets)."""
    keyword = validate._spec_validator(False)({"openapi": "3.1.0"}).keyword_validators_registry["schema"]
    assert isinstance(keyword.visited_schema_ids, validate._Ids)
    assert isinstance(keyword.meta_checked_schema_ids, validate._Ids)
    ids = validate._Ids()
    ids.append(3)
    assert 3 in ids and 4 not in ids and ids == [3]


@pytest.mark.parametrize("v30", [True, False])
def test_the_document_schema_is_indexed_once(v30: bool) -> None:
    indexed = validate._spec_validator(v30).schema_validator
    assert not indexed._resolver._registry._uncrawled
    assert validate._spec_validator(v30) is validate._spec_validator(v30)


def test_a_validator_without_a_jsonschema_resolver_is_used_as_it_is() -> None:
    assert validate._indexed(object()) is None
