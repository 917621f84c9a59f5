"""`breaking` reports what a spec change does to the client's public surface."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import cli
from tests.support.repo import SPEC

pytestmark = pytest.mark.slow  # two whole generations per case, through the CLI


def _variant(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = SPEC.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "openapi.yaml"
    path.write_text(text)
    return path


def _run(spec: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    code = cli.main(["breaking", "--spec", str(spec), "--against", str(SPEC), *options])
    return code, capsys.readouterr().out


def _run_json(spec: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code, out = _run(spec, capsys, "--format", "json")
    return code, json.loads(out)


def test_identical_spec_has_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(SPEC, capsys)
    assert code == 0
    # The same bytes need no compiling: breaking says so without running the pipeline (issue 23).
    assert out.strip().splitlines() == [
        f"spec/openapi.yaml is unchanged since {SPEC}: nothing to break",
        "semver: patch",
    ]
    code, document = _run_json(SPEC, capsys)
    assert (code, document) == (0, {"changes": [], "breaking": 0, "semver": "patch"})


def test_renamed_operation_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(_variant(tmp_path, ("operationId: getJob", "operationId: fetchJob")), capsys)
    assert code == 1
    # Same method and path: one operation whose method has a new name, not a removal beside an addition.
    assert "BREAKING[operation-renamed] getJob: method get_job() is now fetch_job()" in out
    assert "removed" not in out and "endpoint-added" not in out
    assert out.splitlines()[-1] == "semver: major"


def _insert_after(text: str, anchor: str, then: str, addition: str) -> str:
    """Insert ``addition`` after the first ``then`` that follows ``anchor``."""
    at = text.index(then, text.index(anchor)) + len(then)
    return text[:at] + addition + text[at:]


def test_new_optional_response_field_is_not_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        _insert_after(
            SPEC.read_text(),
            "    JobRun:\n",
            "      properties:\n",
            "        retryHint:\n          type: string\n          description: New.\n",
        )
    )
    code, out = _run(spec, capsys)
    assert code == 0, out
    assert "note[response-optional-property-added] models.JobRun.retry_hint: new field: str | MISSING" in out
    assert out.splitlines()[-1] == "semver: minor"


def test_removed_response_field_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_name = "        runName:\n          type: string\n          description: The name of the job run\n"
    spec = _variant(tmp_path, ("required: [id, runName]", "required: [id]"), (run_name, ""))
    code, out = _run(spec, capsys)
    assert code == 1, out
    assert "BREAKING[response-required-property-removed] models.JobRun.run_name: field was removed" in out


def test_new_required_query_parameter_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        _insert_after(
            SPEC.read_text(),
            "operationId: getJob\n",
            "      parameters:\n",
            "        - {name: verbose, in: query, required: true, schema: {type: boolean}}\n",
        )
    )
    code, out = _run(spec, capsys)
    assert code == 1, out
    assert "BREAKING[new-required-request-parameter] getJob: new required parameter 'verbose'" in out


def test_removed_enum_value_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's first example: concurrencyPolicy [allow, forbid, replace] → [allow, forbid]."""
    text = SPEC.read_text()
    assert text.count("enum: [allow, forbid, replace]") == 2  # PutCronJobRequest and CronJob
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text.replace("enum: [allow, forbid, replace]", "enum: [allow, forbid]"))
    code, out = _run(spec, capsys)
    assert code == 1, out
    assert out.splitlines() == [
        'BREAKING[request-property-enum-value-removed] models.ConcurrencyPolicy: value "replace" was removed',
        'BREAKING[response-property-enum-value-removed] models.ConcurrencyPolicy: value "replace" was removed',
        f"2 breaking change(s), 0 other change(s) against {SPEC}",
        "semver: major",
    ]


def test_new_required_request_property_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's second example, through the JSON output."""
    spec = _variant(
        tmp_path,
        (
            "required: [name, billing, backoffLimit, schedule, concurrencyPolicy]\n      properties:\n",
            "required: [name, billing, backoffLimit, schedule, concurrencyPolicy, timezone]\n      properties:\n"
            "        timezone:\n          type: string\n          description: New.\n",
        ),
    )
    code, document = _run_json(spec, capsys)
    assert code == 1, document
    assert document == {
        "changes": [
            {
                "id": "new-required-request-property",
                "level": "breaking",
                "semver": "major",
                "subject": "models.PutCronJobRequest.timezone",
                "message": "new required field: str",
            }
        ],
        "breaking": 1,
        "semver": "major",
    }


def test_narrowed_request_property_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lower maxLength on a request property rejects names the old client sent."""
    anchor = "    CreateManualJobRequest:\n"
    text = SPEC.read_text()
    at = text.index("maxLength: 39", text.index(anchor))
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text[:at] + "maxLength: 30" + text[at + len("maxLength: 39") :])
    code, out = _run(spec, capsys)
    assert code == 1, out
    assert (
        "BREAKING[request-property-max-length-decreased] models.CreateManualJobRequest.name: max_length: 39 → 30" in out
    )


def _git_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose first commit has no spec; the spec is added after it."""
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (tmp_path / "README.md").write_text("x\n")
    git("add", "README.md")
    git("commit", "-q", "-m", "first")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "openapi.yaml").write_bytes(SPEC.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path / "spec" / "openapi.yaml"


def test_a_spec_new_since_the_revision_is_a_new_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23: not "the older spec has errors" (exit 2) but a new client with nothing to break."""
    spec = _git_project(tmp_path, monkeypatch)
    code = cli.main(["breaking", "--spec", str(spec), "--against", "git:HEAD"])
    out = capsys.readouterr().out
    assert code == 0
    assert "is new since git:HEAD: a new client: nothing to break" in out and "semver: minor" in out


def test_a_revision_that_does_not_exist_shows_gits_own_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _git_project(tmp_path, monkeypatch)
    assert cli.main(["breaking", "--spec", str(spec), "--against", "git:no-such-revision"]) == 2
    err = capsys.readouterr().err
    assert "git says: fatal:" in err and "no-such-revision" in err
