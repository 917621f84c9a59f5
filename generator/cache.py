"""A content-addressed cache for the expensive, pure stages (model generation, black, validation).

An entry's key is the sha256 of everything that determines its value: the
stage, the generator and tool versions, and the input text. A hit therefore
returns exactly what recomputing would, so the cache can only change speed,
never output (tests/test_cache.py proves it). Entries are written atomically
and carry a checksum of their value; a missing, truncated or altered entry is
a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

ENV_DIR = "OPENAPI_CLIENT_GEN_CACHE_DIR"


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


def default_root(project_root: Path) -> Path:
    configured = os.environ.get(ENV_DIR)
    return Path(configured) if configured else project_root / ".cache" / "openapi-client-gen"
