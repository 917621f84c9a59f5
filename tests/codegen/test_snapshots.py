"""Snapshots lock the output: one readable snapshot per generated file, plus the IR as JSON.

They show a reviewer exactly what a change to the spec, a template or the
generator does to the client. Behaviour is proven elsewhere (test_generated_*).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path, PurePosixPath

import pytest
from syrupy.assertion import SnapshotAssertion

from generator.emit.output import FileMap
from generator.pipeline import Result
from tests.support.repo import FIXTURES, GENERATED, SPEC, run_pipeline

COMMITTED = sorted(
    p.relative_to(GENERATED).as_posix()
    for p in GENERATED.rglob("*")
    if p.is_file()
    and not {"__pycache__", ".mypy_cache", ".pytest_cache"} & set(p.relative_to(GENERATED).parts)
    and p.suffix != ".pyc"
)


@pytest.fixture(scope="module")
def northflank_files(northflank: Result) -> FileMap:
    assert northflank.files is not None
    return northflank.files


def test_generated_file_set(northflank_files: FileMap) -> None:
    assert sorted(str(p) for p in northflank_files) == COMMITTED


@pytest.mark.parametrize("name", COMMITTED, ids=[n.replace("/", ".") for n in COMMITTED])
def test_generated_file(name: str, northflank_files: FileMap, file_snapshot: SnapshotAssertion) -> None:
    assert northflank_files[PurePosixPath(name)] == file_snapshot


@pytest.mark.parametrize(
    "spec",
    [SPEC, FIXTURES / "specs" / "mini.yaml", FIXTURES / "specs" / "coverage.yaml"],
    ids=["northflank", "mini", "coverage"],
)
def test_ir(spec: Path, file_snapshot: SnapshotAssertion, northflank: Result) -> None:
    result = northflank if spec == SPEC else run_pipeline(spec)
    assert result.api is not None, result.diagnostics.render()
    assert json.dumps(dataclasses.asdict(result.api), indent=2, ensure_ascii=False) + "\n" == file_snapshot
