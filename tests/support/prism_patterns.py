"""Rewrite a spec's regex patterns into equivalent forms that are valid in JavaScript's unicode mode.

Why: Prism validates requests with Ajv, which compiles every ``pattern`` as
``new RegExp(pattern, "u")``. Unicode mode is strict: an *identity escape* such as
``\\:`` or ``\\@`` (legal, and meaning just ``:`` / ``@``, in the web-compatible
non-unicode mode the documented patterns are written for) is a SyntaxError there.
When Ajv fails to compile one schema of a request body, Prism swallows the error and
skips validating the *whole body*, so every request passes and a contract test
against it proves nothing. The contract tests therefore serve Prism a copy of the spec
whose patterns went through :func:`rewrite_pattern`.

The rewrite changes spelling only, never meaning (``tests/fake/test_prism_patterns.py``
checks this for every pattern of the spec, under Python ``re`` and under node in both
modes):

* identity escapes of characters that unicode mode does not allow to be escaped become
  the bare character (``\\:`` -> ``:``, ``\\@`` -> ``@``, ``\\-`` outside a class -> ``-``,
  ``\\a`` -> ``a``);
* escapes that unicode mode allows are kept: the syntax characters
  ``^ $ \\ . * + ? ( ) [ ] { } |``, ``/``, ``-`` inside a class, and the real escapes
  (``\\d \\s \\w \\b \\n \\t \\xhh \\uhhhh`` ...);
* lone ``{``, ``}`` and ``]`` (literal in non-unicode mode, errors in unicode mode) are
  escaped, and a ``-`` between a class escape and another class atom (``[\\s-x]``, a
  literal dash in non-unicode mode) becomes ``\\-``.

Constructs whose meaning differs between the two modes and that cannot be respelt
safely (legacy octal escapes, backreferences, ``\\k`` with named groups, ``\\u{...}``,
malformed ``\\x``/``\\u``/``\\c``) raise :class:`UnsupportedPattern`, so a new spec
pattern that needs them makes the tests fail loudly instead of being served wrong.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PatternSite",
    "UnsupportedPattern",
    "iter_schema_patterns",
    "rewrite_pattern",
    "rewrite_spec_patterns",
]

#: Characters unicode mode lets you escape outside a class (ECMA-262 SyntaxCharacter and ``/``).
SYNTAX_CHARACTERS = frozenset("^$\\.*+?()[]{}|/")
_CONTROL_ESCAPES = frozenset("fnrtv")
_CLASS_ESCAPES = frozenset("dDsSwW")
_QUANTIFIER_BRACES = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")
_HEX2 = re.compile(r"[0-9A-Fa-f]{2}")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")


class UnsupportedPattern(ValueError):
    """The pattern uses a construct this rewriter does not respell."""


@dataclass(frozen=True)
class _ClassAtom:
    text: str
    """How the atom is spelt in the output."""
    kind: str
    """``"char"``, ``"class_escape"`` (``\\d`` ...) or ``"dash"`` (an unescaped ``-``)."""


def rewrite_pattern(pattern: str) -> str:
    """``pattern`` (non-unicode JavaScript syntax) respelt so that it is valid with the ``u`` flag."""
    has_named_groups = "(?<" in pattern.replace("(?<=", "").replace("(?<!", "")
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            text, i = _escape(pattern, i, in_class=False, has_named_groups=has_named_groups)
            out.append(text)
        elif char == "[":
            text, i = _character_class(pattern, i, has_named_groups=has_named_groups)
            out.append(text)
        elif char == "{":
            quantifier = _QUANTIFIER_BRACES.match(pattern, i)
            if quantifier:
                out.append(quantifier.group())
                i = quantifier.end()
            else:
                out.append("\\{")
                i += 1
        elif char in "}]":
            out.append("\\" + char)
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _escape(pattern: str, i: int, *, in_class: bool, has_named_groups: bool) -> tuple[str, int]:
    """The escape starting at ``pattern[i] == "\\\\"``, respelt; and the index after it."""
    if i + 1 >= len(pattern):
        raise UnsupportedPattern(f"pattern ends with a lone backslash: {pattern!r}")
    char = pattern[i + 1]
    after = i + 2
    if char in SYNTAX_CHARACTERS or char in _CONTROL_ESCAPES or char in _CLASS_ESCAPES:
        return "\\" + char, after
    if char == "-":
        # ``\-`` is a ClassEscape in unicode mode, but an error outside a class.
        return ("\\-" if in_class else "-"), after
    if char in "bB":
        if char == "B" and in_class:
            return "B", after  # identity escape inside a class in non-unicode mode
        return "\\" + char, after  # word boundary, or backspace inside a class
    if char == "0":
        if after < len(pattern) and pattern[after].isdigit():
            raise UnsupportedPattern(f"legacy octal escape in {pattern!r}")
        return "\\0", after
    if char.isdigit():
        raise UnsupportedPattern(f"backreference or octal escape \\{char} in {pattern!r}")
    if char == "x":
        if not _HEX2.match(pattern, after):
            raise UnsupportedPattern(f"malformed \\x escape in {pattern!r}")
        return pattern[i : after + 2], after + 2
    if char == "u":
        if not _HEX4.match(pattern, after):
            raise UnsupportedPattern(f"\\u escape other than \\uhhhh in {pattern!r}")
        return pattern[i : after + 4], after + 4
    if char == "c":
        if after < len(pattern) and pattern[after].isascii() and pattern[after].isalpha():
            return pattern[i : after + 1], after + 1
        raise UnsupportedPattern(f"malformed \\c escape in {pattern!r}")
    if char == "k" and has_named_groups:
        raise UnsupportedPattern(f"named backreference in {pattern!r}")
    # Any other character: an identity escape, meaning the character itself
    # (``\:`` ``\@`` ``\'`` ``\a`` ...). Unicode mode forbids it; the bare
    # character means the same, since every character that is special where it
    # stands was handled above.
    return char, after


def _character_class(pattern: str, i: int, *, has_named_groups: bool) -> tuple[str, int]:
    """The class starting at ``pattern[i] == "["``, respelt; and the index after it."""
    start = i
    i += 1
    negated = i < len(pattern) and pattern[i] == "^"
    if negated:
        i += 1
    atoms: list[_ClassAtom] = []
    while True:
        if i >= len(pattern):
            raise UnsupportedPattern(f"unterminated character class at {start} in {pattern!r}")
        char = pattern[i]
        if char == "]":
            i += 1
            break
        if char == "\\":
            text, i = _escape(pattern, i, in_class=True, has_named_groups=has_named_groups)
            kind = "class_escape" if text[1:] in _CLASS_ESCAPES and text[0] == "\\" else "char"
            atoms.append(_ClassAtom(text, kind))
        elif char == "-":
            atoms.append(_ClassAtom("-", "dash"))
            i += 1
        else:
            # Includes an unescaped "[", which is a plain character here in both modes.
            atoms.append(_ClassAtom(char, "char"))
            i += 1
    out = ["[^" if negated else "["]
    k = 0
    while k < len(atoms):
        first = atoms[k]
        if k + 2 < len(atoms) and atoms[k + 1].kind == "dash":
            last = atoms[k + 2]
            if "class_escape" in (first.kind, last.kind):
                # Non-unicode mode reads "\s-x" as the union of \s, "-" and "x".
                out += [first.text, "\\-", last.text]
            else:
                out += [first.text, "-", last.text]
            k += 3
        else:
            out.append(first.text)
            k += 1
    out.append("]")
    return "".join(out), i


# --- The spec ---------------------------------------------------------------------

#: Keys whose value is data (an instance, or a map of Example Objects), never a schema.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
#: Keys whose value maps arbitrary names (which may be "pattern" or "example") to objects.
_NAME_MAP_KEYS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "paths",
        "webhooks",
        "responses",
        "content",
        "headers",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "encoding",
        "variables",
    }
)


@dataclass(frozen=True)
class PatternSite:
    """One regex in the spec: a ``pattern`` value or a ``patternProperties`` key."""

    pointer: str
    """JSON pointer to the ``pattern`` member (or to the ``patternProperties`` entry)."""
    pattern: str


def _pointer_part(key: object) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def iter_schema_patterns(spec: Any) -> list[PatternSite]:
    """Every regex of the schemas in ``spec``; examples and ``x-`` extensions are not looked into."""
    sites: list[PatternSite] = []

    def collect(pointer: str, pattern: str) -> str:
        sites.append(PatternSite(pointer, pattern))
        return pattern

    _walk(copy.deepcopy(spec), "", collect, names_map=False)
    return sites


def rewrite_spec_patterns(spec: Any) -> tuple[Any, list[tuple[PatternSite, str]]]:
    """A deep copy of ``spec`` with every schema regex passed through :func:`rewrite_pattern`.

    Also returns each site (pointers as in the original) with its rewritten
    pattern, unchanged ones included.
    """
    changes: list[tuple[PatternSite, str]] = []

    def rewrite(pointer: str, pattern: str) -> str:
        rewritten = rewrite_pattern(pattern)
        changes.append((PatternSite(pointer, pattern), rewritten))
        return rewritten

    result = copy.deepcopy(spec)
    _walk(result, "", rewrite, names_map=False)
    return result, changes


def _walk(node: Any, pointer: str, visit: Callable[[str, str], str], *, names_map: bool) -> None:
    """Call ``visit(pointer, regex)`` on every schema regex under ``node``, storing what it returns."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, f"{pointer}/{index}", visit, names_map=False)
        return
    if not isinstance(node, dict):
        return
    for key in list(node):
        value = node[key]
        here = f"{pointer}/{_pointer_part(key)}"
        if names_map:
            _walk(value, here, visit, names_map=False)
        elif not isinstance(key, str) or key.startswith("x-") or key in _DATA_KEYS:
            continue
        elif key == "pattern" and isinstance(value, str):
            node[key] = visit(here, value)
        elif key == "patternProperties" and isinstance(value, dict):
            renamed: dict[Any, Any] = {}
            for regex, schema in value.items():
                where = f"{here}/{_pointer_part(regex)}"
                _walk(schema, where, visit, names_map=False)
                renamed[visit(where, regex) if isinstance(regex, str) else regex] = schema
            node[key] = renamed
        else:
            _walk(value, here, visit, names_map=key in _NAME_MAP_KEYS)
