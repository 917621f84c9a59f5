"""Unit tests of generator/openapi/bundle.py: file refs hoisted, remote and broken refs reported, local refs kept."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import Diagnostics, Level
from generator.openapi.bundle import bundle
from generator.openapi.toolkit import operations, resolve

ROOT_DISPLAY = "spec/openapi.yaml"


def _files(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _bundle(
    tmp_path: Path, root: dict[str, Any], files: dict[str, str] | None = None
) -> tuple[dict[str, Any], Diagnostics]:
    """Write the root and the other files into tmp_path and bundle the root."""
    _files(tmp_path, {"openapi.yaml": yaml.safe_dump(root), **(files or {})})
    diags = Diagnostics()
    return bundle(tmp_path / "openapi.yaml", ROOT_DISPLAY, root, diags).document, diags


def _schemas(root_schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "components": {"schemas": root_schemas}}


def _refs(document: Any) -> list[str]:
    """Every $ref string anywhere in the document."""
    if isinstance(document, list):
        return [ref for item in document for ref in _refs(item)]
    if not isinstance(document, dict):
        return []
    own = [document["$ref"]] if isinstance(document.get("$ref"), str) else []
    return own + [ref for key, value in document.items() if key != "$ref" for ref in _refs(value)]


def _codes(diags: Diagnostics) -> list[tuple[str, str, str]]:
    return [(d.file, d.pointer, d.code) for d in diags]


# --- hoisting -----------------------------------------------------------------------------------

PET_FILE = "components:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        name: {type: string}\n"


PET = {"type": "object", "properties": {"name": {"type": "string"}}}


@pytest.mark.parametrize(
    ("ref", "files", "name", "expected"),
    [
        ("models.yaml#/components/schemas/Pet", {"models.yaml": PET_FILE}, "Pet", PET),
        ("./models.yaml#/components/schemas/Pet", {"models.yaml": PET_FILE}, "Pet", PET),
        ("my%20models.yaml#/components/schemas/Pet", {"my models.yaml": PET_FILE}, "Pet", PET),
        (
            "defs/owner.yaml#/definitions/pet-owner",
            {"defs/owner.yaml": "definitions:\n  pet-owner: {type: object}\n"},
            "PetOwner",
            {"type": "object"},
        ),
        ("tag.yaml", {"tag.yaml": "type: string\nminLength: 1\n"}, "Tag", {"type": "string", "minLength": 1}),
    ],
)
def test_a_relative_file_ref_is_hoisted_under_its_own_name(
    tmp_path: Path, ref: str, files: dict[str, str], name: str, expected: dict[str, Any]
) -> None:
    """The referenced schema lands in components/schemas under its own (PascalCase) name and the ref points there."""
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}
    root = {
        "openapi": "3.1.0",
        "paths": {"/p": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
        "components": {"responses": {"Ok": ok}},
    }
    out, diags = _bundle(tmp_path, root, files)
    assert len(diags) == 0, diags.render()
    schema = out["components"]["responses"]["Ok"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": f"#/components/schemas/{name}"}
    assert out["components"]["schemas"] == {name: expected}
    assert out["paths"] == root["paths"]  # the local ref to components/responses is untouched


def test_a_hoisted_name_avoids_an_existing_component(tmp_path: Path) -> None:
    """A root component of the same name keeps it; the hoisted one gets the next free name."""
    root = _schemas({"Pet": {"type": "string"}, "UsesIt": {"$ref": "models.yaml#/components/schemas/Pet"}})
    out, diags = _bundle(tmp_path, root, {"models.yaml": PET_FILE})
    assert len(diags) == 0
    assert out["components"]["schemas"]["Pet"] == {"type": "string"}
    assert out["components"]["schemas"]["UsesIt"] == {"$ref": "#/components/schemas/Pet2"}
    assert out["components"]["schemas"]["Pet2"]["type"] == "object"


def test_the_same_target_is_hoisted_once(tmp_path: Path) -> None:
    """Two refs (spelled differently) to one schema share one hoisted component."""
    root = _schemas(
        {"A": {"$ref": "models.yaml#/components/schemas/Pet"}, "B": {"$ref": "./models.yaml#/components/schemas/Pet"}}
    )
    out, _diags = _bundle(tmp_path, root, {"models.yaml": PET_FILE})
    assert (
        out["components"]["schemas"]["A"] == out["components"]["schemas"]["B"] == {"$ref": "#/components/schemas/Pet"}
    )
    assert sorted(out["components"]["schemas"]) == ["A", "B", "Pet"]


def test_refs_inside_a_hoisted_file_are_made_local_too(tmp_path: Path) -> None:
    """A file's own '#/...' refs and its refs to a third file are hoisted along with it."""
    models = (
        "Pet:\n  type: object\n  properties:\n"
        "    tag: {$ref: '#/Tag'}\n    owner: {$ref: 'people.yaml#/Owner'}\n"
        "Tag: {type: string}\n"
    )
    people = "Owner: {type: object, properties: {name: {type: string}}}\n"
    root = _schemas({"Root": {"type": "object", "properties": {"pet": {"$ref": "models.yaml#/Pet"}}}})
    out, diags = _bundle(tmp_path, root, {"models.yaml": models, "people.yaml": people})
    assert len(diags) == 0, diags.render()
    schemas = out["components"]["schemas"]
    assert schemas["Root"]["properties"]["pet"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["Pet"]["properties"] == {
        "tag": {"$ref": "#/components/schemas/Tag"},
        "owner": {"$ref": "#/components/schemas/Owner"},
    }
    assert schemas["Tag"] == {"type": "string"}
    assert schemas["Owner"]["properties"]["name"] == {"type": "string"}
    assert all(ref.startswith("#/") and resolve(out, ref) is not None for ref in _refs(out))


def test_a_ref_back_into_the_root_file_becomes_local(tmp_path: Path) -> None:
    """A file that refers to the root document gets a plain local ref, not a hoisted copy."""
    root = _schemas({"Base": {"type": "object"}, "Child": {"$ref": "child.yaml"}})
    out, diags = _bundle(tmp_path, root, {"child.yaml": "allOf:\n  - $ref: 'openapi.yaml#/components/schemas/Base'\n"})
    assert len(diags) == 0, diags.render()
    assert out["components"]["schemas"]["Child"] == {"$ref": "#/components/schemas/Child2"}
    assert out["components"]["schemas"]["Child2"] == {"allOf": [{"$ref": "#/components/schemas/Base"}]}
    assert "Base2" not in out["components"]["schemas"]


def test_a_component_of_another_kind_is_hoisted_into_its_own_section(tmp_path: Path) -> None:
    """`x.yaml#/components/parameters/Limit` lands in components/parameters, not in schemas."""
    root = {
        "openapi": "3.1.0",
        "paths": {"/p": {"get": {"parameters": [{"$ref": "common.yaml#/components/parameters/Limit"}]}}},
    }
    common = "components:\n  parameters:\n    Limit: {name: limit, in: query, schema: {type: integer}}\n"
    out, diags = _bundle(tmp_path, root, {"common.yaml": common})
    assert len(diags) == 0
    assert out["paths"]["/p"]["get"]["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert out["components"] == {
        "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}}
    }


def test_siblings_of_a_file_ref_are_kept(tmp_path: Path) -> None:
    """Keywords beside a $ref (a description) survive the rewrite."""
    root = _schemas({"A": {"$ref": "models.yaml#/components/schemas/Pet", "description": "the pet"}})
    out, _diags = _bundle(tmp_path, root, {"models.yaml": PET_FILE})
    assert out["components"]["schemas"]["A"] == {"$ref": "#/components/schemas/Pet", "description": "the pet"}


def test_bundle_does_not_mutate_its_input(tmp_path: Path) -> None:
    """The root document passed in is unchanged; the result is a copy."""
    root = _schemas({"A": {"$ref": "models.yaml#/components/schemas/Pet"}, "B": {"type": "string"}})
    before = copy.deepcopy(root)
    out, _diags = _bundle(tmp_path, root, {"models.yaml": PET_FILE})
    assert root == before
    assert out is not root and out["components"] is not root["components"]


@pytest.mark.parametrize(
    ("fragment", "name"),
    [
        ("/components/schemas/Pet", "Pet"),
        ("/components/schemas/a~1b", None),
        ("/definitions/pet-owner", "PetOwner"),
        ("", "Other"),
        pytest.param("/components/schemas/Pet%20Owner", None),
    ],
)
def test_every_hoisted_ref_resolves_to_its_target(tmp_path: Path, fragment: str, name: str | None) -> None:
    """After bundling without diagnostics, the rewritten ref resolves to the referenced schema."""
    other = (
        "components:\n  schemas:\n    Pet: {type: integer}\n    a/b: {type: boolean}\n    Pet Owner: {type: string}\n"
    )
    other += "definitions:\n  pet-owner: {type: 'null'}\n"
    root = _schemas({"Root": {"properties": {"x": {"$ref": f"other.yaml#{fragment}" if fragment else "other.yaml"}}}})
    out, diags = _bundle(tmp_path, root, {"other.yaml": other})
    assert len(diags) == 0, diags.render()
    ref = out["components"]["schemas"]["Root"]["properties"]["x"]["$ref"]
    parsed = yaml.safe_load(other)
    target = parsed
    for token in [t.replace("~1", "/").replace("%20", " ") for t in fragment.split("/")[1:]]:
        target = target[token]
    assert resolve(out, ref) == target
    if name is not None:
        assert ref == f"#/components/schemas/{name}".replace(" ", "%20")


def test_a_path_item_in_another_file_keeps_its_operations(tmp_path: Path) -> None:
    """`paths: {/pets: {$ref: paths/pets.yaml}}` still yields GET /pets, and no schema is made of a path item."""
    root = {"openapi": "3.1.0", "paths": {"/pets": {"$ref": "paths/pets.yaml"}}}
    pets = "get:\n  operationId: listPets\n  responses:\n    '200': {description: ok}\n"
    out, diags = _bundle(tmp_path, root, {"paths/pets.yaml": pets})
    assert len(diags) == 0
    assert [(path, method) for path, method, _item, _op in operations(out)] == [("/pets", "get")]
    assert "Pets" not in out.get("components", {}).get("schemas", {})


# --- cycles -------------------------------------------------------------------------------------


def test_a_cycle_across_two_files_stays_a_cycle_of_local_refs(tmp_path: Path) -> None:
    """A (in a.yaml) → B (in b.yaml) → A becomes two components that refer to each other locally."""
    a = "A:\n  type: object\n  properties:\n    b: {$ref: 'b.yaml#/B'}\n"
    b = (
        "B:\n  type: object\n  properties:\n"
        "    a: {$ref: 'a.yaml#/A'}\n    items: {type: array, items: {$ref: '#/B'}}\n"
    )
    root = _schemas({"Root": {"properties": {"start": {"$ref": "a.yaml#/A"}}}})
    out, diags = _bundle(tmp_path, root, {"a.yaml": a, "b.yaml": b})
    assert len(diags) == 0, diags.render()
    schemas = out["components"]["schemas"]
    assert sorted(schemas) == ["A", "B", "Root"]
    assert schemas["Root"]["properties"]["start"] == {"$ref": "#/components/schemas/A"}
    assert schemas["A"]["properties"]["b"] == {"$ref": "#/components/schemas/B"}
    assert schemas["B"]["properties"]["a"] == {"$ref": "#/components/schemas/A"}
    assert schemas["B"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/B"}


def test_a_file_that_refers_to_itself_whole(tmp_path: Path) -> None:
    """A whole-file schema whose child refers back to the file ('node.yaml') is one self-referencing component."""
    node = "type: object\nproperties:\n  next: {$ref: 'node.yaml'}\n"
    root = _schemas({"List": {"properties": {"head": {"$ref": "node.yaml"}}}})
    out, diags = _bundle(tmp_path, root, {"node.yaml": node})
    assert len(diags) == 0
    assert out["components"]["schemas"]["Node"]["properties"]["next"] == {"$ref": "#/components/schemas/Node"}


# --- refused and broken refs --------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        "https://example.com/schemas/pet.yaml",
        "http://example.com/pet.json#/Pet",
        "//cdn.example.com/pet.yaml",
        "file:///etc/passwd",
        "urn:example:pet",
    ],
)
def test_a_remote_ref_is_refused(tmp_path: Path, ref: str) -> None:
    """A ref with a scheme or a host is remote-ref at the pointer of the $ref, and left as it was."""
    root = _schemas({"Pet": {"$ref": ref}})
    out, diags = _bundle(tmp_path, root)
    assert _codes(diags) == [(ROOT_DISPLAY, "/components/schemas/Pet/$ref", "remote-ref")]
    assert next(iter(diags)).level is Level.ERROR and repr(ref) in next(iter(diags)).message
    assert out["components"]["schemas"]["Pet"] == {"$ref": ref}


def test_a_missing_file_is_ref_file_not_found(tmp_path: Path) -> None:
    """A relative ref to a file that does not exist names the file as the spec's neighbour would show it."""
    root = {"openapi": "3.1.0", "paths": {"/a/b": {"get": {"responses": {"200": {"$ref": "responses/missing.yaml"}}}}}}
    _out, diags = _bundle(tmp_path, root)
    assert _codes(diags) == [(ROOT_DISPLAY, "/paths/~1a~1b/get/responses/200/$ref", "ref-file-not-found")]
    assert "spec/responses/missing.yaml" in next(iter(diags)).message


def test_a_missing_file_referenced_from_another_file_is_reported_in_that_file(tmp_path: Path) -> None:
    """The diagnostic names the file holding the broken ref and the pointer inside it."""
    root = _schemas({"Root": {"$ref": "sub/pet.yaml#/Pet"}})
    _out, diags = _bundle(tmp_path, root, {"sub/pet.yaml": "Pet:\n  properties:\n    tag: {$ref: 'tag.yaml'}\n"})
    assert _codes(diags) == [("spec/sub/pet.yaml", "/Pet/properties/tag/$ref", "ref-file-not-found")]
    assert "spec/sub/tag.yaml" in next(iter(diags)).message


@pytest.mark.parametrize(
    ("ref", "at"),
    [
        ("#/components/schemas/Nope", "/components/schemas/Pet/$ref"),
        ("#/components/schemas/Other/properties/nope", "/components/schemas/Pet/$ref"),
        ("models.yaml#/components/schemas/Nope", "/components/schemas/Pet/$ref"),
        ("models.yaml#/components/schemas/Pet/properties/age", "/components/schemas/Pet/$ref"),
    ],
)
def test_a_dangling_pointer_is_unresolved_ref(tmp_path: Path, ref: str, at: str) -> None:
    """A pointer into nothing, local or in another file, is unresolved-ref at the $ref."""
    root = _schemas({"Pet": {"$ref": ref}, "Other": {"properties": {"name": {"type": "string"}}}})
    _out, diags = _bundle(tmp_path, root, {"models.yaml": PET_FILE})
    assert _codes(diags) == [(ROOT_DISPLAY, at, "unresolved-ref")]
    assert repr(ref) in next(iter(diags)).message


def test_a_referenced_file_that_does_not_parse_is_reported_with_its_name(tmp_path: Path) -> None:
    """A syntax error in a referenced file is that file's invalid-yaml diagnostic."""
    root = _schemas({"Pet": {"$ref": "broken.yaml#/Pet"}})
    _out, diags = _bundle(tmp_path, root, {"broken.yaml": "Pet: [unclosed\n"})
    assert [(d.file, d.code) for d in diags] == [("spec/broken.yaml", "invalid-yaml")]


# --- local refs ---------------------------------------------------------------------------------


def test_local_refs_are_left_as_they_are(tmp_path: Path) -> None:
    """Resolvable local refs, however spelled (~1 escapes, percent-encoding), come out byte for byte the same."""
    root = {
        "openapi": "3.1.0",
        "paths": {
            "/pets": {
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/limit"}],
                    "responses": {"200": {"$ref": "#/components/responses/Ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "a/b": {"type": "string"},
                "sp ace": {"type": "integer"},
                "Uses": {
                    "properties": {
                        "x": {"$ref": "#/components/schemas/a~1b"},
                        "y": {"$ref": "#/components/schemas/sp%20ace"},
                        "z": {"$ref": "#/paths/~1pets/get/parameters/0"},
                        "self": {"$ref": "#/components/schemas/Uses"},
                    }
                },
            },
            "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
            "responses": {"Ok": {"description": "ok"}},
        },
    }
    out, diags = _bundle(tmp_path, root)
    assert len(diags) == 0, diags.render()
    assert out == root
    assert sorted(_refs(out)) == sorted(_refs(root))


def test_refs_in_non_schema_places_are_checked_too(tmp_path: Path) -> None:
    """Every $ref in the document is checked, not only those in schemas (here, under a response example)."""
    root = {"openapi": "3.1.0", "x-ext": [{"nested": {"$ref": "#/nowhere"}}]}
    _out, diags = _bundle(tmp_path, root)
    assert _codes(diags) == [(ROOT_DISPLAY, "/x-ext/0/nested/$ref", "unresolved-ref")]


def test_a_document_without_refs_is_copied_unchanged(tmp_path: Path) -> None:
    """With nothing to bundle the result equals the input and gains no components section."""
    root = {"openapi": "3.1.0", "paths": {}, "info": {"title": "t"}}
    out, diags = _bundle(tmp_path, root)
    assert out == root and out is not root and len(diags) == 0
