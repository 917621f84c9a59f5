"""What rendering hands to formatting: the files, which of them are already in their final form, and
under which key each of the others is kept once formatted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .output import FileMap


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered:
    files: FileMap  # every file of the package, Python not yet run through black
    # Final as they are: copied from templates/static, kept black-formatted in the repository
    # (tests/runtime/test_static_files.py), or reused formatted from the cache (reuse.py).
    verbatim: frozenset[PurePosixPath]
    # Files rendered this time whose final text the cache keeps, under these keys (reuse.py).
    keys: Mapping[PurePosixPath, str] = field(default_factory=dict)
