"""Validation part by part (validate_parts.py) reports exactly what validating the whole document does.

The oracle is the whole-document path: ``validate.validate_document``'s diagnostics, and
openapi-spec-validator's own verdict on the whole document (``library_accepts``; some findings,
such as a ``default`` that breaks its schema, carry no location and so no diagnostic, and must
still make the verdict "invalid"). Broken documents are generated here by mutating the
Northflank spec, the fixture specs and two real specs: each mutation is checked with a cache
warmed by the unmutated spec (an edit after a good run) and with an empty cache.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator

from generator.diagnostics import Diagnostic, Diagnostics
from generator.openapi import parts, validate_parts
from generator.openapi.validate import library_accepts, validate_document
from generator.openapi.validate_parts import Outcome, validate_cached
from generator.provenance.cache import Cache, NoCache
from tests.support import real_specs
from tests.support.repo import FIXTURES, SPEC

FILE = "spec.yaml"
SPECS = {
    "northflank": SPEC,
    **{path.stem: path for path in sorted((FIXTURES / "specs").glob("*.yaml"))},
    "govuk-pay": real_specs.GOVUK_PAY,
    "appwrite": real_specs.APPWRITE,
}


def _load(name: str) -> dict[str, Any]:
    path = SPECS[name]
    document = yaml.safe_load(path.read_text()) if path.suffix == ".yaml" else real_specs.load(path)
    assert isinstance(document, dict)
    return document


def _whole(document: dict[str, Any]) -> tuple[list[Diagnostic], bool]:
    diags = Diagnostics()
    validate_document(document, file=FILE, diags=diags)
    return diags.items, library_accepts(document)


def _cached(document: dict[str, Any], root: Path) -> tuple[list[Diagnostic], Outcome]:
    diags = Diagnostics()
    outcome = validate_cached(document, file=FILE, diags=diags, cache=Cache(root))
    return diags.items, outcome


# --- the mutation corpus: each finds its target in any OpenAPI 3 document, or does not apply ---


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _schemas(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in doc.get("components", {}).get("schemas", {}).values() if isinstance(s, dict)]


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    methods = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
    return [op for item in doc.get("paths", {}).values() for m, op in item.items() if m in methods]


def _parameter_lists(doc: dict[str, Any]) -> list[list[Any]]:
    items = list(doc.get("paths", {}).values())
    return [p for node in [*items, *_operations(doc)] if isinstance(p := node.get("parameters"), list) and p]


def _inline_parameters(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for params in _parameter_lists(doc) for p in params if "$ref" not in p]


def _responses(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for op in _operations(doc) for r in op.get("responses", {}).values() if "description" in r]


def _first(items: list[Any], change: Callable[[Any], None]) -> bool:
    if items:
        change(items[0])
    return bool(items)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda node: node.__setitem__(key, value)


def _wrong_default(doc: dict[str, Any]) -> bool:
    """A property whose `default` is not of its own `type`."""
    typed = [
        p
        for s in _schemas(doc)
        for p in (s.get("properties") or {}).values()
        if isinstance(p, dict) and p.get("type") in ("string", "integer") and "$ref" not in p
    ]
    return _first(typed, lambda p: p.__setitem__("default", 7 if p["type"] == "string" else "seven"))


def _retarget(doc: dict[str, Any], kind: str, target: str) -> bool:
    """The first `$ref` to a component of ``kind`` under paths now points at ``target``."""
    refs = [n for n in _walk(doc.get("paths", {})) if str(n.get("$ref", "")).startswith(f"#/components/{kind}/")]
    return _first(refs, _set("$ref", target))


def _most_used(doc: dict[str, Any]) -> str:
    """The schema most $refs name: the worst case of a one-schema edit."""
    text = json.dumps(doc)
    return max(doc["components"]["schemas"], key=lambda n: (text.count(f'"#/components/schemas/{n}"'), n))


def _duplicate_tag(doc: dict[str, Any]) -> bool:
    tags = doc.setdefault("tags", [{"name": "t"}])
    tags.append(copy.deepcopy(tags[0]))
    return True


MUTATIONS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "schema: unknown type": lambda d: _first(_schemas(d), _set("type", "strin")),
    "schema: required not a list": lambda d: _first(_schemas(d)[1:], _set("required", "id")),
    "schema: properties not a map": lambda d: _first(_schemas(d)[2:], _set("properties", [1])),
    "schema: a default that breaks its schema": _wrong_default,
    "schema: the most used one's description not a string": lambda d: _first(
        [_most_used(d)], lambda name: d["components"]["schemas"][name].__setitem__("description", 5)
    ),
    "schema: a property's title not a string": lambda d: _first(
        [p for s in _schemas(d) for p in (s.get("properties") or {}).values() if isinstance(p, dict)], _set("title", 5)
    ),
    "schema: a property named description, of an unknown type": lambda d: _first(
        [s["properties"] for s in _schemas(d) if isinstance(s.get("properties"), dict)],
        _set("description", {"type": "strin"}),
    ),
    "schema: required names no property under allOf": lambda d: _first(
        [d.get("components", {}).get("schemas")],
        _set("ZzExtra", {"allOf": [{"type": "object"}], "required": ["nothing"]}),
    ),
    "component: name outside the pattern": lambda d: (
        _first(_schemas(d)[:1], lambda _: None)
        and bool(d["components"]["schemas"].setdefault("bad name!", {"type": "string"}))
    ),
    "path item: operation without responses": lambda d: _first(_operations(d), lambda op: op.pop("responses")),
    "path item: unknown key": lambda d: _first(list(d.get("paths", {}).values()), _set("bogus", 1)),
    "path item: key not starting with /": lambda d: _first(
        list(d.get("paths", {}).values()), lambda item: d["paths"].__setitem__("no-slash", copy.deepcopy(item))
    ),
    "path item: duplicate operationId (ours to report)": lambda d: (
        len(_operations(d)) > 1
        and _first(_operations(d)[1:], _set("operationId", _operations(d)[0].get("operationId", "x")))
    ),
    "parameter: unknown in": lambda d: _first(_inline_parameters(d), _set("in", "qury")),
    "parameter: schema not a schema": lambda d: _first(_inline_parameters(d), _set("schema", "string")),
    "parameter: duplicated": lambda d: _first(_parameter_lists(d), lambda ps: ps.append(copy.deepcopy(ps[0]))),
    "response: description not a string": lambda d: _first(_responses(d), _set("description", 1)),
    "response: no description": lambda d: _first(_responses(d), lambda r: r.pop("description")),
    "response: status code an integer (YAML's unquoted 200)": lambda d: _first(
        [r for op in _operations(d) if (r := op.get("responses"))], lambda r: r.__setitem__(200, r.pop(next(iter(r))))
    ),
    "ref: target missing": lambda d: _retarget(d, "schemas", "#/components/schemas/NoSuchSchema"),
    "ref: parameter pointing at a schema": lambda d: (
        bool(_schemas(d))
        and _retarget(d, "parameters", "#/components/schemas/" + next(iter(d["components"]["schemas"])))
    ),
    "ref: outside the components": lambda d: _retarget(d, "schemas", "#/paths"),
    "skeleton: info title not a string": lambda d: _first([d["info"]], _set("title", 5)),
    "skeleton: no info": lambda d: d.pop("info") is not None,
    "skeleton: unknown root key": lambda d: _first([d], _set("unknownRoot", 1)),
    "skeleton: duplicate tag": _duplicate_tag,
    "skeleton: security requirement naming no scheme": lambda d: _first([d], _set("security", [{"no-such": []}])),
    "skeleton: openapi version out of range": lambda d: _first(
        [d], _set("openapi", "3.0.99x" if str(d["openapi"]).startswith("3.0") else "3.1")
    ),
}


def _mutated(name: str, mutation: str) -> dict[str, Any] | None:
    document = copy.deepcopy(_load(name))
    return document if MUTATIONS[mutation](document) else None


# The two larger specs take a minute between them: the whole corpus on them runs with the slow tests.
_CORPUS = [pytest.param(n, marks=pytest.mark.slow) if n in ("northflank", "appwrite") else n for n in SPECS]


@pytest.fixture(scope="module")
def warmed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A cache directory that has validated the unmutated spec (copied for each test to use)."""
    made: dict[str, Path] = {}

    def warm(name: str) -> Path:
        if name not in made:
            made[name] = tmp_path_factory.mktemp(f"warm-{name}")
            _, outcome = _cached(_load(name), made[name])
            assert outcome.parts > 1 and outcome.clean is True and outcome.whole  # cold: one whole run
        return made[name]

    return warm


@pytest.mark.parametrize("name", _CORPUS)
def test_the_corpus_breaks_the_specs(name: str) -> None:
    """Most mutations apply to each spec and most of those make the library reject it: the corpus is not vacuous."""
    applied = {m: doc for m in MUTATIONS if (doc := _mutated(name, m)) is not None}
    rejected = [m for m, doc in applied.items() if not library_accepts(doc)]
    assert len(applied) >= 15, sorted(set(MUTATIONS) - set(applied))
    assert len(rejected) >= 10, rejected


@pytest.mark.parametrize("name", _CORPUS)
def test_every_mutation_reports_what_the_whole_document_reports(
    name: str, warmed: Callable[[str], Path], tmp_path: Path
) -> None:
    """Each mutation that applies to the spec (test_the_corpus_breaks_the_specs counts them), warm and cold."""
    for index, mutation in enumerate(MUTATIONS):
        document = _mutated(name, mutation)
        if document is None:
            continue
        expected, verdict = _whole(document)
        warm = tmp_path / f"warm-{index}"
        shutil.copytree(warmed(name), warm)
        for root in (warm, tmp_path / f"cold-{index}"):
            found, outcome = _cached(document, root)
            assert found == expected, mutation
            assert outcome.clean is verdict, mutation
        again, outcome = _cached(document, warm)  # what the runs stored changes nothing
        assert again == expected and outcome.clean in (verdict, None), mutation


def _closure_counts(document: dict[str, Any], target: tuple[str, str]) -> int:
    """How many parts (skeleton, path items, components) reach ``target`` through $refs, itself included."""
    components = document.get("components", {})

    def refs(node: Any) -> set[tuple[str, str]]:
        found = set()
        for n in _walk(node):
            if isinstance(ref := n.get("$ref"), str):
                _, _, section, name = ref.split("/")[:4]
                found.add((section, name))
        return found

    def reaches(start: set[tuple[str, str]]) -> bool:
        seen, pending = set(start), list(start)
        while pending:
            section, name = pending.pop()
            for ref in refs(components[section][name]) - seen:
                seen.add(ref)
                pending.append(ref)
        return target in seen

    skeleton = {k: v for k, v in document.items() if k not in ("paths", "components") and not k.startswith("x-")}
    parts = [refs(skeleton), *(refs(item) for item in document.get("paths", {}).values())]
    parts += [refs(v) | {(s, n)} for s, section in components.items() if s != "x-" for n, v in section.items()]
    return sum(reaches(part) for part in parts)


@pytest.mark.parametrize("edit", ["description", "extension"])
@pytest.mark.parametrize("name", list(SPECS))
def test_a_valid_edit_revalidates_only_the_parts_reaching_it(
    name: str, edit: str, warmed: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit the most used schema: a description is seen by that schema's own part alone, anything
    else (an `x-` key here) by every part whose $ref closure reaches the schema."""
    document = _load(name)
    edited = _most_used(document)
    schema = document["components"]["schemas"][edited]
    if edit == "description":
        schema["description"] = (schema.get("description") or "") + " Edited."
    else:
        schema["x-edited"] = True
    warm = warmed(name)  # before the counting below
    calls = {"parts": 0, "whole": 0}
    accepts, report = validate_parts.library_accepts, validate_parts.report_library

    def counted_accepts(doc: dict[str, Any]) -> bool:
        calls["parts"] += 1
        return accepts(doc)

    def counted_report(doc: dict[str, Any], **kwargs: Any) -> bool:
        calls["whole"] += 1
        return report(doc, **kwargs)

    monkeypatch.setattr(validate_parts, "library_accepts", counted_accepts)
    monkeypatch.setattr(validate_parts, "report_library", counted_report)
    monkeypatch.setattr(validate_parts, "WHOLE_SHARE", 1.0)  # even a widely used schema goes part by part
    shutil.copytree(warm, tmp_path / "c")
    found, outcome = _cached(document, tmp_path / "c")
    expected, verdict = _whole(document)
    assert found == expected and outcome.clean is verdict is True
    reaching = _closure_counts(document, ("schemas", edited))
    assert reaching > 1  # the edit is seen beyond the schema
    assert outcome.checked == (1 if edit == "description" else reaching) and not outcome.whole
    assert calls == {"parts": 1, "whole": 0}
    assert outcome.checked < outcome.parts
    _, again = _cached(document, tmp_path / "c")
    assert again.cached and calls == {"parts": 1, "whole": 0}


def _damage(root: Path) -> int:
    """Truncate, alter or delete every entry in turn; returns how many there were."""
    entries = sorted(p for p in root.rglob("*") if p.is_file())
    for index, entry in enumerate(entries):
        if index % 3 == 0:
            entry.write_text(entry.read_text()[:20])
        elif index % 3 == 1:
            entry.write_text(entry.read_text().replace("valid", "VALID"))
        else:
            entry.unlink()
    return len(entries)


@pytest.mark.parametrize("mutation", [None, "schema: unknown type", "response: no description"])
@pytest.mark.parametrize("name", ["northflank", "coverage31", "govuk-pay"])
def test_a_damaged_cache_is_a_miss(
    name: str, mutation: str | None, warmed: Callable[[str], Path], tmp_path: Path
) -> None:
    document = _load(name) if mutation is None else _mutated(name, mutation)
    assert document is not None
    shutil.copytree(warmed(name), tmp_path / "c")
    assert _damage(tmp_path / "c") > 5
    found, outcome = _cached(document, tmp_path / "c")
    expected, verdict = _whole(document)
    assert found == expected and outcome.clean is verdict and not outcome.cached
    if mutation is None:  # every part missed: as many as a cold run
        assert outcome.whole and outcome.checked == 0


def test_part_of_the_cache_missing_checks_just_those_parts(
    warmed: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(warmed("northflank"), tmp_path / "c")
    monkeypatch.setattr(validate_parts, "WHOLE_SHARE", 1.0)  # whichever parts are lost, check them alone
    document = _load("northflank")
    whole = Cache(tmp_path / "c").key("valid", parts.Split(document).whole_key())
    (tmp_path / "c" / whole[:2] / whole).unlink()
    entries = sorted(p for p in (tmp_path / "c").rglob("*") if p.is_file())
    for entry in entries[::10]:
        entry.unlink()
    found, outcome = _cached(document, tmp_path / "c")
    assert found == _whole(document)[0] and outcome.clean is True
    assert 0 < outcome.checked <= len(entries[::10]) and not outcome.whole


# --- the library's one order-dependent finding, which a valid whole document does not vouch for ---

_ORDERED = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/S"}]}}},
                    }
                }
            }
        },
        "/b": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}},
                    }
                }
            }
        },
    },
    "components": {"schemas": {"S": {"allOf": [{"type": "object"}], "required": ["undefined"]}}},
}


def test_a_finding_the_library_makes_only_in_some_orders(tmp_path: Path) -> None:
    """S requires a property it never defines. The library reports that only where its walk first
    meets S as a top-level schema, so the whole document (where /a meets S inside an allOf first)
    is valid but /b alone is not; a whole run's verdict must not be stored for /b and S."""
    document = copy.deepcopy(_ORDERED)
    assert library_accepts(document)
    without_a = copy.deepcopy(document)
    del without_a["paths"]["/a"]
    assert not library_accepts(without_a)  # the premise: the library's finding depends on the order
    _, outcome = _cached(document, tmp_path)
    assert outcome.clean is True and outcome.whole
    found, outcome = _cached(without_a, tmp_path)
    assert found == _whole(without_a)[0] and outcome.clean is False


def test_a_document_with_a_ref_outside_the_components_is_validated_whole(tmp_path: Path) -> None:
    document = copy.deepcopy(_ORDERED)
    document["paths"]["/c"] = {"$ref": "#/paths/~1b"}
    assert parts.split(document) is None
    found, outcome = _cached(document, tmp_path)
    assert found == _whole(document)[0] and outcome.whole and outcome.parts == 0


def test_values_the_library_never_reads_do_not_count(tmp_path: Path) -> None:
    """An edited root `x-` extension changes nothing the library looks at: nothing is checked again."""
    document = _load("coverage")
    document["x-anything"] = {"note": "before"}
    _, outcome = _cached(document, tmp_path)
    assert outcome.whole and outcome.clean is True
    document["x-anything"] = {"$ref": "#/nowhere", "note": "edited"}
    found, outcome = _cached(document, tmp_path)
    assert found == _whole(document)[0] and outcome.cached


def test_findings_we_report_ourselves_do_not_fail_a_part(warmed: Callable[[str], Path], tmp_path: Path) -> None:
    """A duplicate operationId and an unresolved path parameter, inside one new path item: the IR
    reports them, so the library's findings are dropped there and the part is valid."""
    document = _load("coverage")
    responses = {"200": {"description": "ok"}}
    document["paths"]["/extra/{nope}"] = {
        "get": {"operationId": "twice", "responses": responses},
        "put": {"operationId": "twice", "responses": responses},
    }
    raw = {type(e).__name__ for e in OpenAPIV30SpecValidator(document).iter_errors()}
    assert raw == {"DuplicateOperationIDError", "UnresolvableParameterError"}  # the premise
    shutil.copytree(warmed("coverage"), tmp_path / "c")
    found, outcome = _cached(document, tmp_path / "c")
    assert found == _whole(document)[0] == []
    assert outcome.clean is True and outcome.checked == 1 and not outcome.whole


def test_without_a_cache_the_whole_document_is_validated() -> None:
    document = _mutated("coverage", "schema: unknown type")
    assert document is not None
    diags = Diagnostics()
    outcome = validate_cached(document, file=FILE, diags=diags, cache=NoCache())
    assert diags.items == _whole(document)[0] and outcome.whole and outcome.parts == 0


@pytest.mark.parametrize("name", list(SPECS))
def test_every_part_of_a_valid_spec_is_valid_alone(name: str) -> None:
    """What a cold run stores: the whole spec is valid, so each part's own mini-document is."""
    document = _load(name)
    assert library_accepts(document)
    split = parts.split(document)
    assert split is not None and not any(p.suspect for p in split.parts)
    rejected = [p.where for p in split.parts if not library_accepts(split.mini([p], split.closure(p)))]
    assert rejected == []
