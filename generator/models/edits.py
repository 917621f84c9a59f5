"""Replacements at the positions one parse of a source text gives, applied per definition.

``ast`` reports columns in UTF-8 bytes; edits are kept in characters, so a
non-ASCII docstring before a field does not shift the replacement.
"""

from __future__ import annotations

import ast
import bisect


class SourceEdits:
    """Replacements at character offsets of one source text, applied per definition."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.edits: list[tuple[int, int, str]] = []
        self._sorted: list[tuple[int, int, str]] = []  # ``edits`` sorted, for ``segment``

    def offset(self, lineno: int, col: int) -> int:
        """ast gives columns in UTF-8 bytes; these are characters."""
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))

    def span(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def replace(self, node: ast.expr | ast.stmt, text: str) -> None:
        self.edits.append((*self.span(node), text))

    def insert(self, at: int, text: str) -> None:
        self.edits.append((at, at, text))

    def segment(self, start: int, end: int) -> str:
        if len(self._sorted) != len(self.edits):
            self._sorted = sorted(self.edits)
        # The edits starting in [start, end), and the insertions at ``end`` (sorted, they come next).
        first = bisect.bisect_left(self._sorted, (start,))
        last = bisect.bisect_left(self._sorted, (end + 1,))
        parts: list[str] = []
        cursor = start
        within = (e for e in self._sorted[first:last] if e[0] < end or e[0] == e[1] == end)
        for edit_start, edit_end, text in within:
            if edit_start < cursor:
                continue  # inside a span already replaced as a whole
            parts.append(self.text[cursor:edit_start])
            parts.append(text)
            cursor = edit_end
        parts.append(self.text[cursor:end])
        return "".join(parts)
