"""Names stay put when the spec grows or shrinks, proven on generated packages (docs/design.md "Names").

``tests/fixtures/specs/stability.yaml`` is generated as it is, then with one schema added, one
removed, one operation added (to a tag, and one untagged). The public names of each package --
model classes and type aliases, enum members, resource modules, classes and methods -- are read
from the generated modules with ``ast``; a change may add names and remove the ones of what it
removed, but never rename another. The one documented exception, two schemas claiming the same
name, is checked too: only the claimants move.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from tests.support.codegen import run_spec
from tests.support.repo import FIXTURES

pytestmark = pytest.mark.slow  # five generations

SPEC: dict[str, Any] = yaml.safe_load((FIXTURES / "specs" / "stability.yaml").read_text())


def _model_names(tree: ast.Module) -> set[str]:
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            found.add(f"models.{node.name}")
            if any(isinstance(b, ast.Name) and b.id == "OpenEnum" for b in node.bases):
                found |= {
                    f"models.{node.name}.{t.id}"
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign)
                    for t in stmt.targets
                    if isinstance(t, ast.Name)
                }
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if not node.targets[0].id.startswith("_"):
                found.add(f"models.{node.targets[0].id}")
    return found


def _api_names(module: str, tree: ast.Module) -> set[str]:
    found = {f"api.{module}"}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            found.add(f"api.{module}.{node.name}")
            found |= {
                f"api.{module}.{node.name}.{f.name}"
                for f in node.body
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and not f.name.startswith("_")
            }
    return found


def public_names(files: dict[PurePosixPath, str]) -> set[str]:
    """Every public name a caller can write, from the generated modules."""
    found: set[str] = set()
    for path, text in files.items():
        inner = path.parts[1:]
        if path.suffix != ".py" or path.name == "__init__.py":
            continue
        if inner[0] in ("models.py", "models"):
            found |= _model_names(ast.parse(text))
        elif inner[0] == "api":
            found |= _api_names(path.stem, ast.parse(text))
    return found


def _names(spec: dict[str, Any], workdir: Path) -> set[str]:
    result = run_spec(spec, workdir, package="stability_api")
    assert result.files is not None, result.diagnostics.render()
    return public_names(dict(result.files))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    return _names(SPEC, tmp_path_factory.mktemp("base"))


def _variant(change: Any) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    change(spec)
    return spec


def test_the_fixture_has_names_of_every_kind(base: set[str]) -> None:
    """The comparison is not vacuous: inline classes, enum members, Literal aliases, methods, untagged module."""
    assert {
        "models.Schedule",
        "models.Policy.FORBID",
        "models.Memory",
        "models.ProjectSettings",  # ``settings`` is generic: never a class name alone
        "api.jobs.JobsResource.list_jobs",
        "api.projects.ProjectsResource.get",  # ``projectsGet`` drops its tag
        "api.health.HealthResource.get_health",  # untagged: grouped by its path's first word
    } <= base


def test_adding_a_schema_renames_nothing(base: set[str], tmp_path: Path) -> None:
    def add(spec: dict[str, Any]) -> None:
        plan = {"type": "string", "enum": ["free", "pro"]}
        billing = {"type": "object", "properties": {"plan": plan, "seats": {"type": "integer"}}}
        spec["components"]["schemas"]["Team"] = {"type": "object", "properties": {"billing": billing}}

    after = _names(_variant(add), tmp_path)
    assert base - after == set()
    assert {"models.Team", "models.Billing", "models.Plan.PRO"} <= after


def test_removing_a_schema_removes_only_its_names(base: set[str], tmp_path: Path) -> None:
    after = _names(_variant(lambda spec: spec["components"]["schemas"].pop("Legacy")), tmp_path)
    assert after - base == set()
    assert base - after == {
        "models.Legacy",
        "models.LegacyOptions",
        "models.Verbosity",
        "models.Verbosity.QUIET",
        "models.Verbosity.LOUD",
    }


def test_adding_operations_renames_nothing(base: set[str], tmp_path: Path) -> None:
    def add(spec: dict[str, Any]) -> None:
        job_id = {"name": "jobId", "in": "path", "required": True, "schema": {"type": "string"}}
        spec["paths"]["/v1/projects/{projectId}/jobs/{jobId}"] = {
            "parameters": [{"name": "projectId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "delete": {
                "operationId": "deleteJob",
                "tags": ["jobs"],
                "parameters": [job_id],
                "responses": {"204": {"description": ""}},
            },
        }
        spec["paths"]["/v1/projects/{projectId}"]["delete"] = {
            **spec["paths"]["/v1/projects/{projectId}"]["get"],
            "operationId": "projectsDelete",
            "responses": {"204": {"description": ""}},
        }
        spec["paths"]["/v1/status"] = {"get": {"operationId": "getStatus", "responses": {"204": {"description": ""}}}}

    after = _names(_variant(add), tmp_path)
    assert base - after == set()
    assert {
        "api.jobs.JobsResource.delete_job",
        "api.projects.ProjectsResource.delete",
        "api.status.StatusResource.get_status",
    } <= after - base


def test_a_second_claimant_of_a_name_moves_only_the_claimants(base: set[str], tmp_path: Path) -> None:
    """The documented exception: ``Schedule`` is contested, its holder becomes ``JobSchedule``; nothing else moves."""

    def add(spec: dict[str, Any]) -> None:
        schedule = {"type": "object", "properties": {"timezone": {"type": "string"}}}
        spec["components"]["schemas"]["Report"] = {"type": "object", "properties": {"schedule": schedule}}

    after = _names(_variant(add), tmp_path)
    assert base - after == {"models.Schedule"}
    assert {"models.JobSchedule", "models.ReportSchedule"} <= after
