"""The content-addressed cache changes speed, never output."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import run
from generator.provenance.cache import ENV_DIR
from generator.settings import Settings
from tests.support.repo import FIXTURES, SPEC

pytestmark = pytest.mark.slow  # cached and uncached whole generations


@pytest.mark.parametrize("spec", [SPEC, FIXTURES / "specs" / "coverage.yaml"], ids=["northflank", "coverage"])
def test_cached_and_uncached_generation_are_byte_identical(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "cache"))
    out = tmp_path / "generated"
    uncached = run(Settings(spec=spec, out=out, cache=False)).files
    cold = run(Settings(spec=spec, out=out)).files  # fills the cache
    entries = list((tmp_path / "cache").rglob("*"))
    warm = run(Settings(spec=spec, out=out)).files  # served from it
    assert uncached is not None and cold == uncached and warm == uncached
    # validation, models, and black for each templated module (static files are stored formatted)
    assert len([e for e in entries if e.is_file()]) >= 3


def test_a_corrupted_entry_is_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "cache"))
    out = tmp_path / "generated"
    expected = run(Settings(spec=SPEC, out=out)).files
    for entry in (tmp_path / "cache").rglob("*"):
        if entry.is_file():
            checksum, _, value = entry.read_text().partition("\n")
            entry.write_text(checksum + "\n" + value.replace("class ", "class Evil", 1) + "# tampered\n")
    assert run(Settings(spec=SPEC, out=out)).files == expected


def test_cache_key_covers_the_input(tmp_path: Path) -> None:
    from generator.provenance.cache import Cache

    cache = Cache(tmp_path)
    assert cache.get_or_compute("black", "a = 1", lambda: "first") == "first"
    assert cache.get_or_compute("black", "a = 1", lambda: "second") == "first"
    assert cache.get_or_compute("black", "a = 2", lambda: "second") == "second"
    assert cache.get_or_compute("models", "a = 1", lambda: "third") == "third"
