"""What a command tells its user, in the format asked for (``--format text|json|github``).

* ``text`` (the default): diagnostics and problems one per line on stderr,
  summaries on stdout, exactly as a person reads them.
* ``json``: stdout carries one JSON document and nothing else, a list of
  objects ``{file, pointer, line, severity, code, message}`` (spec diagnostics,
  then drift or verify findings, which have no pointer or line); every other
  line goes to stderr. ``dump-ir`` prints the IR on stdout, so there the list
  goes to stderr.
* ``github``: GitHub Actions workflow commands on stdout
  (``::error file=…,line=…,title=…::message``), so each problem is an
  annotation on the file in the pull request; summaries as in text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from ..diagnostics import Diagnostic, Level

FORMATS = ("text", "json", "github")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(item: Diagnostic) -> str:
    """One workflow command; ``file`` is a path from the repository root, as GitHub resolves it."""
    props = [f"file={_escape_property(item.file)}"]
    if item.line is not None:
        props.append(f"line={item.line}")
    props.append(f"title={_escape_property(item.code)}")
    where = f"#{item.pointer}: " if item.pointer else ""
    return f"::{item.level.value} {','.join(props)}::{_escape_data(where + item.message)}"


def as_json(item: Diagnostic) -> dict[str, Any]:
    return {
        "file": item.file,
        "pointer": item.pointer,
        "line": item.line,
        "severity": item.level.value,
        "code": item.code,
        "message": item.message,
    }


class Reporter:
    def __init__(self, fmt: str = "text", *, quiet: bool = False, json_stream: TextIO | None = None) -> None:
        self.fmt = fmt
        self.quiet = quiet
        self._json_stream = json_stream
        self._collected: list[Diagnostic] = []

    def diagnostics(self, items: Iterable[Diagnostic]) -> None:
        """Spec diagnostics, in their stable order."""
        for item in items:
            self._emit(item, item.render())

    def problem(self, file: str, code: str, message: str, text: str) -> None:
        """A finding about a file on disk (drift, verify); ``text`` is its line in the text format."""
        self._emit(Diagnostic(file=file, pointer="", code=code, level=Level.ERROR, message=message), text)

    def _emit(self, item: Diagnostic, text: str) -> None:
        if self.fmt == "json":
            self._collected.append(item)
        elif self.fmt == "github":
            sys.stdout.write(github_annotation(item) + "\n")
        else:
            sys.stderr.write(text + "\n")

    def info(self, line: str) -> None:
        """A summary of what happened; not with --quiet, and on stderr when stdout is JSON."""
        if not self.quiet:
            (sys.stderr if self.fmt == "json" else sys.stdout).write(line + "\n")

    def note(self, text: str) -> None:
        """Anything else the user should read (the diff, what to do next): stderr, whatever the format."""
        if text:
            sys.stderr.write(text if text.endswith("\n") else text + "\n")

    def finish(self) -> None:
        if self.fmt == "json":
            stream = self._json_stream or sys.stdout
            json.dump([as_json(item) for item in self._collected], stream, indent=2, ensure_ascii=False)
            stream.write("\n")
