"""A content-addressed cache for the expensive, pure stages (model generation, black, validation).

An entry's key is the sha256 of everything that determines its value: the
stage, the generator and tool versions, and the input text. A hit therefore
returns exactly what recomputing would, so the cache can only change speed,
never output (tests/codegen/test_cache.py proves it). Entries are written atomically
and carry a checksum of their value; a missing, truncated or altered entry is
a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ENV_DIR = "OPENAPI_CLIENT_GEN_CACHE_DIR"
APP = "openapi-client-gen"


def _fingerprint() -> str:
    """Versions of the tools plus a hash of the generator's own code and templates.

    The code is hashed, not just ``__version__``: an edited generator or
    template must never be served results computed by the previous one.
    """
    from .fingerprint import code_digest, python_version, tool_versions

    versions = {**tool_versions(), "python": python_version()}
    return "|".join([code_digest(), *(f"{k}={v}" for k, v in sorted(versions.items()))])


def json_key(value: object) -> str:
    """A cache key for JSON data: its digest, so a large spec's text is not kept for the whole run."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()


class Cache:
    """Text values under ``root``, fanned out by the first two hex digits of the key."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0
        self._salt = _fingerprint()

    def key(self, stage: str, *parts: str) -> str:
        digest = hashlib.sha256()
        for part in (self._salt, stage, *parts):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()

    def get(self, stage: str, text: str) -> str | None:
        key = self.key(stage, text)
        try:
            checksum, _, value = (self.root / key[:2] / key).read_text(encoding="utf-8").partition("\n")
        except (OSError, UnicodeDecodeError):
            checksum, value = "", ""
        if checksum != hashlib.sha256(value.encode("utf-8")).hexdigest():
            self.misses += 1  # missing, truncated or tampered with: recompute
            return None
        self.hits += 1
        return value

    def store(self, stage: str, text: str, value: str) -> None:
        key = self.key(stage, text)
        self._store(self.root / key[:2] / key, value)

    def get_or_compute(self, stage: str, text: str, compute: Callable[[], str]) -> str:
        value = self.get(stage, text)
        if value is None:
            value = compute()
            self.store(stage, text, value)
        return value

    def _store(self, path: Path, value: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(hashlib.sha256(value.encode("utf-8")).hexdigest() + "\n" + value)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full disk only costs speed


class NoCache(Cache):
    """Always computes; used with --no-cache."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))

    def get(self, stage: str, text: str) -> str | None:
        self.misses += 1
        return None

    def store(self, stage: str, text: str, value: str) -> None:
        pass


def user_cache_dir() -> Path:
    """The platform's per-user cache directory, as black and pip use (platformdirs' rules, stdlib only)."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / APP / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / APP
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else home / ".cache") / APP  # a relative XDG value is ignored, per spec


def default_root(configured: Path | None = None) -> Path:
    """Where the cache lives: ``--cache-dir``, else ``$OPENAPI_CLIENT_GEN_CACHE_DIR``, else the user cache directory.

    Never inside the consumer's tree (a cache in a vendored package's folder
    would be committed or packaged by accident). The default is per generator
    version, as black's is, so an upgrade starts clean and an old version's
    entries can be deleted as one folder; a directory given explicitly is used
    as is (entries are keyed by the versions anyway).
    """
    if configured is not None:
        return configured
    from_env = os.environ.get(ENV_DIR)
    if from_env:
        return Path(from_env)
    from .._version import __version__

    return user_cache_dir() / __version__
