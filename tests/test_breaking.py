"""`breaking` reports what a spec change does to the client's public surface."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cli
from tests.conftest import SPEC

pytestmark = pytest.mark.slow  # two whole generations per case, through the CLI


def _variant(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = SPEC.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "openapi.yaml"
    path.write_text(text)
    return path


def _run(spec: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["breaking", "--spec", str(spec), "--against", str(SPEC)])
    return code, capsys.readouterr().out


def test_identical_spec_has_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(SPEC, capsys)
    assert code == 0
    assert out.strip().endswith("0 breaking change(s), 0 other change(s) against " + str(SPEC))


def test_renamed_operation_is_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(_variant(tmp_path, ("operationId: getJob", "operationId: fetchJob")), capsys)
    assert code == 1
    assert "BREAKING[api-removed-without-deprecation] getJob: get_job() was removed" in out
    assert "note[endpoint-added] fetchJob: new method fetch_job()" in out


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
