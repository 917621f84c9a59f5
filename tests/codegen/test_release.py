"""Releases a consumer can pin: one version everywhere, and a new one whenever generated output changes.

``tests/fixtures/released-output.txt`` has one line per version: the version
and the digest of everything the generator writes for this repository's specs
(every file but ``_meta.py``, which records the generator's own code and so
changes with any edit). Generated output that no longer matches the last line
means a release is due: a consumer's ``_meta.GENERATOR_VERSION`` must never
name two different outputs.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from generator import __version__
from tests.support.repo import FIXTURES, REPO, SPEC, generate_files

RELEASED = FIXTURES / "released-output.txt"
SPECS = (SPEC, *sorted((FIXTURES / "specs").glob("*.yaml")))
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def _released() -> list[tuple[str, str]]:
    lines = [line.split() for line in RELEASED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(len(parts) == 2 for parts in lines), f"{RELEASED}: each line is `<version> <sha256>`"
    return [(version, digest) for version, digest in lines]


def _key(version: str) -> tuple[int, ...]:
    match = _VERSION.match(version)
    assert match, f"{version!r} is not MAJOR.MINOR.PATCH"
    return tuple(int(part) for part in match.groups())


def output_digest() -> str:
    digest = hashlib.sha256()
    for spec in SPECS:
        for path, text in sorted(generate_files(spec).items()):
            if path.name == "_meta.py":
                continue
            digest.update(f"{spec.relative_to(REPO).as_posix()}\0{path.as_posix()}\0".encode())
            digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def test_one_version_everywhere() -> None:
    """pyproject.toml, the package, the CHANGELOG's newest entry and the released list agree."""
    declared = re.search(r'^version = "([^"]+)"$', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert declared and declared.group(1) == __version__
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[?(\d+\.\d+\.\d+)\]?", changelog, flags=re.MULTILINE)
    assert headings and headings[0] == __version__, "CHANGELOG.md's first entry must be the current version"
    assert _released()[-1][0] == __version__


def test_released_versions_only_increase() -> None:
    """A digest line is added for a new version, never rewritten under an old one."""
    versions = [_key(version) for version, _ in _released()]
    assert versions == sorted(set(versions)), f"{RELEASED}: versions must be unique and increasing"
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    for version, _ in _released():
        assert re.search(rf"^## \[?{re.escape(version)}\]?", changelog, flags=re.MULTILINE), (
            f"CHANGELOG.md has no entry for {version}"
        )


@pytest.mark.slow
def test_generated_output_changes_only_with_a_new_version() -> None:
    version, digest = _released()[-1]
    current = output_digest()
    assert current == digest, (
        f"Generated output changed since {version} was recorded. Release it: raise the version in "
        "pyproject.toml and generator/_version.py (CHANGELOG.md says which part to raise), add a "
        f"CHANGELOG.md entry, and append `<new version> {current}` to {RELEASED.relative_to(REPO)}."
    )


def _newest_release_commit() -> tuple[str, str]:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(r"^## (\d+\.\d+\.\d+)\n\nReleased in commit ([0-9a-f]{40})\.", changelog, flags=re.MULTILINE)
    assert match, "CHANGELOG.md's newest entry must say which commit released it"
    return match.group(1), match.group(2)


def test_every_pin_names_the_newest_release_commit() -> None:
    """Releases are commits (a clone has no tags): every documented pin names the newest one, which is
    in this repository's history and carries that version."""
    import subprocess

    version, commit = _newest_release_commit()
    shown = subprocess.run(
        ["git", "show", f"{commit}:generator/_version.py"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0, f"commit {commit} is not in this repository: {shown.stderr}"
    assert f'__version__ = "{version}"' in shown.stdout
    for document in ("README.md", "examples/consumer/README.md"):
        text = (REPO / document).read_text(encoding="utf-8")
        pins = re.findall(r"(?:@|rev: )([0-9a-zA-Z._-]+)", text)
        releases = [p for p in pins if re.fullmatch(r"[0-9a-f]{40}|v?\d+\.\d+\.\d+", p)]
        assert releases and set(releases) == {commit}, f"{document} pins {sorted(set(releases))}, not {commit}"
