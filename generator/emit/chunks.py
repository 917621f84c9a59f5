"""Split a generated module into top-level pieces that black formats independently.

Formatting piece by piece is what lets black's work be cached per class or
function (an edit to one schema reformats one class, not a 100,000-line
``models.py``) and spread over the cores. It is only done where the result is
exactly what black gives for the whole file:

* a piece starts at a column-0 ``class``/``def``/decorator line, so black's only
  cross-piece decision is the blank lines before it, which for a top-level
  definition is always two (``join`` writes them);
* the first definition stays with the module header (black treats a definition
  right after the docstring or imports specially);
* never after a comment (black ties a comment to the definition below it), and
  never in a file that mentions ``fmt:`` (``# fmt: off`` spans pieces).

A cut inside a string or brackets leaves a piece that does not parse; black
then raises and the caller formats the file whole, so a wrong cut costs time,
never output. ``tests/codegen/test_chunks.py`` checks the equality on every generated
file of the test specs.
"""

from __future__ import annotations

import itertools
import re

_DEFINITION = re.compile(r"^(?:class |def |async def |@[A-Za-z_])")


def split(source: str) -> list[str]:
    """Pieces whose concatenation is ``source``; a single piece when it cannot be cut safely."""
    if "fmt:" in source or "\r" in source:
        return [source]
    lines = source.split("\n")
    cuts: list[int] = []
    seen_definition = False
    previous = ""  # the last non-blank line before the current one
    for index, line in enumerate(lines):
        if _DEFINITION.match(line) and not previous.startswith(("#", "@")):
            if seen_definition:
                cuts.append(index)
            seen_definition = True
        if line.strip():
            previous = line
    if not cuts:
        return [source]
    bounds = [0, *cuts, len(lines)]
    pieces = ["\n".join(lines[start:end]) for start, end in itertools.pairwise(bounds)]
    # split("\n") dropped the separators at the cuts; put them back so the pieces concatenate to source.
    return [piece + "\n" for piece in pieces[:-1]] + [pieces[-1]]


def pieces(source: str) -> list[str]:
    """``split``, each piece without its trailing blank lines: what black is given.

    black drops them anyway, and black formats twice whenever its first pass
    changed anything, so a piece that is otherwise already in black's form
    costs one pass instead of two.
    """
    return [piece.rstrip("\n") + "\n" for piece in split(source)]


def join(formatted: list[str]) -> str:
    """Formatted pieces back into one module: two blank lines before each top-level definition."""
    return "\n\n".join(piece.rstrip("\n") + "\n" for piece in formatted if piece.strip()).rstrip("\n") + "\n"
