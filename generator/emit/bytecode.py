"""Compiled templates kept beside the templates, as Python keeps a module's bytecode beside it.

Compiling the templates costs about 0.2 CPU-s on every run, a tenth of a small spec's run, for
a result that depends only on the templates' text. Jinja's bytecode cache stores each compiled
template under ``__pycache__/`` next to the templates and checks it against the template's
source (and the Python and Jinja versions) on load, so an edited template is compiled again.
Like Python's own bytecode it is the tool's state, not the spec's: the generator's cache
(``--no-cache``, ``--cache-dir``) does not hold it. Where the directory cannot be written (a
read-only install) or ``PYTHONDONTWRITEBYTECODE`` is set, templates compile in memory as before.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class TemplateBytecode(jinja2.FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache, in ``<templates>/__pycache__``, never failing a run."""

    def __init__(self, templates: Path) -> None:
        super().__init__(str(templates / "__pycache__"), "%s.jinja.bytecode")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable, truncated or corrupt: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if sys.dont_write_bytecode:
            return
        try:
            Path(self.directory).mkdir(exist_ok=True)
            super().dump_bytecode(bucket)  # a temporary file renamed into place: readers never see half
        except OSError:
            pass  # read-only: the template stays compiled in memory for this run

    def load_note(self, name: str, source: str) -> str | None:
        """What was derived from template ``name`` when its source was ``source`` (reuse.py: what it
        reads), kept beside its bytecode; None when absent, stale or unreadable."""
        try:
            checksum, _, note = self._note_path(name).read_text(encoding="utf-8").partition("\n")
        except (OSError, UnicodeDecodeError):
            return None
        return note if checksum == _digest(source) else None

    def dump_note(self, name: str, source: str, note: str) -> None:
        if sys.dont_write_bytecode:
            return
        path = self._note_path(name)
        try:
            path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(_digest(source) + "\n" + note)
            os.replace(tmp, path)  # readers never see half a note
        except OSError:
            pass  # read-only: derived again next time

    def _note_path(self, name: str) -> Path:
        return Path(self.directory) / f"{hashlib.sha1(name.encode()).hexdigest()}.reads.json"


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()
