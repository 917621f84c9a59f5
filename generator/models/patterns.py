"""Give the spec's ECMA-262 `pattern`s the same meaning in pydantic's regex engines.

OpenAPI patterns are JavaScript regular expressions. Copied verbatim into
pydantic they change meaning: Rust's ``\\d``/``\\w``/``\\s`` are Unicode-wide,
Python's ``$`` also matches before a trailing newline, and a ``[`` inside a
character class opens a nested class in Rust. This module rewrites a pattern
into an equivalent one (JavaScript semantics, non-unicode mode) that pydantic's
default Rust engine compiles — linear time, so no pattern can hang a client —
and, for the rare pattern Rust cannot express (lookaround, backreferences), a
Python ``re`` version used only by the models that need it.
"""

from __future__ import annotations

from functools import cache

# JavaScript's \s (WhiteSpace and LineTerminator code points), spelled out.
_JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_CLASS_BODY = {"d": "0-9", "w": "A-Za-z0-9_", "s": _JS_SPACE}
_NEGATED = {"D": "d", "W": "w", "S": "s"}


def _translate(pattern: str, *, python: bool) -> str:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            i += 2
            if nxt in _CLASS_BODY:
                out.append(_CLASS_BODY[nxt] if in_class else f"[{_CLASS_BODY[nxt]}]")
            elif nxt in _NEGATED and not in_class:
                out.append(f"[^{_CLASS_BODY[_NEGATED[nxt]]}]")
            else:
                out.append("\\" + nxt)
            continue
        if in_class:
            if char == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
            elif char == "[":
                char = "\\["  # literal in JavaScript; a nested class in Rust
        elif char == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
        elif char == "$" and python:
            char = r"\Z"  # Python's `$` also matches before a final newline
        out.append(char)
        i += 1
    return "".join(out)


@cache
def rust_compatible(pattern: str) -> str | None:
    """The pattern for pydantic's Rust engine, or None if that engine cannot express it."""
    from pydantic_core import SchemaValidator, core_schema

    candidate = _translate(pattern, python=False)
    try:
        SchemaValidator(core_schema.str_schema(pattern=candidate))
    except Exception:  # pydantic_core raises SchemaError; any failure means "not expressible"
        return None
    return candidate


def python_compatible(pattern: str) -> str:
    """The pattern for Python's ``re`` with JavaScript semantics."""
    return _translate(pattern, python=True)
