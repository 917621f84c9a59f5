"""What rendering hands to formatting: the files, and which of them are already in their final form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from .output import FileMap


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered:
    files: FileMap  # every file of the package, Python not yet run through black
    # Copied verbatim from templates/static: kept black-formatted in the repository
    # (tests/runtime/test_static_files.py), so they are not formatted again on every run.
    verbatim: frozenset[PurePosixPath]
