"""With several tags, ``models`` is a package of per-tag modules that load on first use.

Checked on a real generation: which module each model lands in, that using one
tag imports only its models (in a fresh interpreter), that every model is still
reachable as ``pkg.models.Name`` and validates, and that the split loses and
duplicates nothing of what a single ``models.py`` would hold.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pydantic
import pytest

from generator.ir import model_split
from tests.support.codegen import Generated, generate, import_package, run_python, run_spec
from tests.support.repo import REPO


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _get(op_id: str, tag: str, schema: dict[str, Any] | None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok"}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return {"get": {"operationId": op_id, "tags": [tag], "responses": {"200": response}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Split", "version": "1", "x-codegen": {"envelope": "data"}},
    "paths": {
        "/a": _get("getA", "alpha", _ref("AlphaThing")),
        # An envelope the client unwraps: private, beside the AlphaThing callers get.
        "/w": _get(
            "getWrapped", "alpha", {"type": "object", "required": ["data"], "properties": {"data": _ref("AlphaThing")}}
        ),
        "/b": _get("getB", "beta", _ref("BetaNode")),
        "/o": _get("getOwner", "beta", _ref("Owner")),
        "/ping": _get("ping", "gamma", None),
    },
    "components": {
        "schemas": {
            "Owner": {"type": "object", "properties": {"login": {"type": "string", "maxLength": 3}}},
            "AlphaThing": {
                "type": "object",
                "required": ["owner"],
                "properties": {
                    "owner": _ref("Owner"),
                    "size": {"type": "integer"},
                    # a pattern: only this group needs `Annotated` and `Field`
                    "date": {"type": "string", "format": "date"},
                },
            },
            # Recursive: a cycle stays in one module.
            "BetaNode": {"type": "object", "properties": {"next": _ref("BetaNode"), "owner": _ref("Owner")}},
            # No operation uses it; it uses models of both tags.
            "Hook": {"type": "object", "properties": {"alpha": _ref("AlphaThing"), "beta": _ref("BetaNode")}},
        }
    },
}


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(SPEC, tmp_path_factory.mktemp("split"))


def _defined(source: str) -> set[str]:
    tree = ast.parse(source)
    return {n.name for n in tree.body if isinstance(n, ast.ClassDef)} | {
        t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)
    }


def test_each_model_lives_in_the_module_of_the_tags_that_use_it(split: Generated) -> None:
    models = PurePosixPath(split.package) / "models"
    assert PurePosixPath(split.package) / "models.py" not in split.files
    defined = {
        path.stem: _defined(text)
        for path, text in split.files.items()
        if path.parent == models and path.suffix == ".py" and path.stem != "__init__"
    }
    assert defined == {
        "_shared": {"Owner"},  # alpha and beta both reach it
        "alpha": {"AlphaThing", "_GetWrappedResponse"},
        "beta": {"BetaNode"},
        "_unreferenced": {"Hook"},
    }  # gamma uses no model, so it has no module
    assert "from ._shared import Owner" in split.text("models/alpha.py")
    assert "from typing import Annotated" in split.text("models/alpha.py")
    assert "Annotated" not in split.text("models/beta.py")  # a group imports only what it uses
    assert "from .alpha import AlphaThing" in split.text("models/_unreferenced.py")
    stub = split.text("models/__init__.pyi")
    for module, names in defined.items():
        lines = "".join(f"    {name} as {name},\n" for name in sorted(names))
        assert f"from .{module} import (\n{lines})" in stub


def test_using_one_tag_imports_only_its_models(split: Generated) -> None:
    code = f"""
import json, sys
import {split.package} as pkg
loaded = lambda: sorted(m for m in sys.modules if m.startswith("{split.package}.models."))
steps = {{"package": loaded()}}
from {split.package}.api import AlphaResource
steps["alpha"] = loaded()
client = pkg.{split.api.client_class}(base_url="http://127.0.0.1:9")
client.beta
steps["beta"] = loaded()
from {split.package}.models import Hook
steps["hook"] = loaded()
print(json.dumps(steps))
"""
    proc = run_python(code, cwd=split.out, pythonpath=split.out)
    assert proc.returncode == 0, proc.stderr
    steps = json.loads(proc.stdout.strip().splitlines()[-1])
    prefix = f"{split.package}.models."
    assert steps["package"] == []
    assert steps["alpha"] == [prefix + "_shared", prefix + "alpha"]
    assert steps["beta"] == [prefix + "_shared", prefix + "alpha", prefix + "beta"]
    assert steps["hook"] == [prefix + "_shared", prefix + "_unreferenced", prefix + "alpha", prefix + "beta"]


def test_every_model_is_reachable_from_the_package_and_validates(split: Generated) -> None:
    modules = import_package(split)
    models = modules[f"{split.package}.models"]
    assert sorted(models.__all__) == ["AlphaThing", "BetaNode", "Hook", "Owner"]  # no private envelope
    assert models._GetWrappedResponse is modules[f"{split.package}.models.alpha"]._GetWrappedResponse
    for name in models.__all__:
        group = next(g for g in split.api.model_groups if name in g.names)
        assert getattr(models, name) is getattr(modules[f"{split.package}.models.{group.module}"], name)
    assert set(models.__all__) <= set(dir(models))
    hook = models.Hook.model_validate({"alpha": {"owner": {"login": "ab"}}, "beta": {"next": {"next": {}}}})
    assert hook.alpha.owner.login == "ab" and hook.beta.next.next.next is pydantic.MISSING
    with pytest.raises(ValueError, match="at most 3 characters"):
        models.Owner.model_validate({"login": "abcd"})  # constraints survive the move
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        models.Nope  # noqa: B018
    namespace: dict[str, Any] = {}
    exec(f"from {split.package}.models import *", namespace)
    assert {"AlphaThing", "BetaNode", "Hook", "Owner"} <= set(namespace)


def test_the_split_moves_every_definition_once_and_changes_none(split: Generated, tmp_path: Path) -> None:
    result = run_spec(SPEC, tmp_path, package=split.package)
    assert result.models is not None
    whole = result.models
    pieces = list(model_split.bodies(whole, split.api.model_groups).values())
    expected = [d.text for d in whole.definitions]

    def lines(texts: list[str]) -> list[str]:
        return sorted(line for text in texts for line in text.split("\n") if line.strip())

    assert lines(pieces) == lines(expected)
    assert _defined("\n".join(pieces)) == _defined(whole.source)


def test_one_tag_keeps_a_single_models_module(tmp_path: Path) -> None:
    spec = json.loads(json.dumps(SPEC))
    for item in spec["paths"].values():
        item["get"]["tags"] = ["only"]
    gen = generate(spec, tmp_path)
    assert gen.api.model_groups == ()
    assert PurePosixPath(gen.package) / "models.py" in gen.files
    assert not any(p.parent.name == "models" for p in gen.files)


@pytest.mark.slow  # mypy
def test_a_spec_without_operations_gives_a_package_that_passes_mypy_strict(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Schemas only", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}},
    }
    gen = generate(spec, tmp_path)
    assert gen.api.tags == () and gen.api.model_groups == ()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            gen.package,
        ],
        cwd=gen.out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run_python(
        f"import {gen.package}.api as api, {gen.package}.models as m\n"
        "assert api.__all__ == [] and m.Thing(id='x').id == 'x'\n",
        cwd=tmp_path,
        pythonpath=gen.out,
    )
