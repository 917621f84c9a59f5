"""Strings that match a schema's pattern and limits, and pattern checks that cannot hang."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator
from typing import Any

try:  # Python 3.11+; sre_parse before (and deprecated after)
    _sre: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    _sre = importlib.import_module("sre_parse")


def _search(pattern: str, text: str) -> bool:
    try:
        if len(text) > _RISKY_LENGTH and _risky(pattern):
            return _possessive_search(pattern, text)
        return re.search(pattern, text) is not None
    except (re.error, RecursionError):
        return False


_QUANTIFIER = re.compile(r"[*+?]|\{\d*(?:,\d*)?\}")


@functools.lru_cache(maxsize=1024)
def _possessive(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` with every greedy quantifier possessive (no backtracking into it); None before Python 3.11.

    What it matches the pattern matches too, so a match is proof; no match proves nothing.
    """
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]" or pattern[index - 1] == "["
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "^":
                out.append("[^")
                index += 2
                continue
        elif char == "?" and pattern[index - 1 : index] == "(":
            pass  # a group's extension, not a quantifier
        else:
            quantifier = _QUANTIFIER.match(pattern, index)
            if quantifier and (char != "{" or quantifier.group() not in ("{}", "{,}")):
                out.append(quantifier.group())
                index = quantifier.end()
                if pattern[index : index + 1] in ("?", "+"):  # lazy or possessive already
                    out.append(pattern[index])
                    index += 1
                else:
                    out.append("+")
                continue
        out.append(char)
        index += 1
    try:
        return re.compile("".join(out))
    except (re.error, RecursionError, OverflowError):
        return None


def _possessive_search(pattern: str, text: str) -> bool:
    compiled = _possessive(pattern)
    return compiled is not None and compiled.search(text) is not None


_RISKY_LENGTH = 16  # the longest string a pattern prone to catastrophic backtracking is run on


@functools.lru_cache(maxsize=4096)
def _risky(pattern: str) -> bool:
    """Whether Python's backtracking ``re`` may take exponential time on a string the pattern fails.

    An unbounded repeat inside another repeat (``(\\w+\\.?)*``) is taken for one: the string the
    builder writes matches quickly, but a spec's own example that fails could hang the check.
    """
    try:
        parsed = _sre.parse(pattern)
    except (re.error, RecursionError, OverflowError, TypeError, ValueError):
        return False

    def repeats(items: Any, inside: bool) -> bool:
        for op, av in items:
            name = op.name
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, sub = av
                unbounded = high == _sre.MAXREPEAT or high - low > 16
                if (inside and unbounded) or repeats(sub, inside or (name != "POSSESSIVE_REPEAT" and high > 1)):
                    return True
            elif name == "SUBPATTERN":
                if repeats(av[-1], inside):
                    return True
            elif name == "ATOMIC_GROUP":
                continue
            elif name == "BRANCH":
                if any(repeats(branch, inside) for branch in av[1]):
                    return True
            elif name in ("ASSERT", "ASSERT_NOT") and repeats(av[1], inside):
                return True
        return False

    return repeats(parsed, False)


def _checked_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """The ``pattern`` keyword, refusing (rather than hanging on) long strings for a risky pattern."""
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped, unused-ignore]

    if not validator.is_type(instance, "string"):
        return
    if len(instance) > _RISKY_LENGTH and _risky(pattern):
        if not _possessive_search(pattern, instance):
            yield ValidationError(f"{instance!r} could not be checked against {pattern!r} in reasonable time")
    elif re.search(pattern, instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# --- numbers ---------------------------------------------------------------------------------------


class _Unmatchable(Exception):
    pass


_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_LINEBREAK": "\n",
    "CATEGORY_NOT_LINEBREAK": "a",
}
_SPARE_CHARS = "a0A_-. x1zZ9@"


def _category(name: str, char: str) -> bool:
    tests = {
        "CATEGORY_DIGIT": char.isdigit(),
        "CATEGORY_SPACE": char.isspace(),
        "CATEGORY_WORD": char.isalnum() or char == "_",
        "CATEGORY_LINEBREAK": char == "\n",
    }
    positive = name.replace("_NOT_", "_")
    result = tests.get(positive, False)
    return not result if "_NOT_" in name else result


def _in_set(items: list[Any], char: str) -> bool:
    code = ord(char)
    for op, av in items:
        name = op.name
        if (
            (name == "LITERAL" and av == code)
            or (name == "RANGE" and av[0] <= code <= av[1])
            or (name == "CATEGORY" and _category(av.name, char))
        ):
            return True
    return False


def _set_char(items: list[Any]) -> str:
    if items and items[0][0].name == "NEGATE":
        rest = items[1:]
        for char in _SPARE_CHARS:
            if not _in_set(rest, char):
                return char
        raise _Unmatchable
    for op, av in items:
        name = op.name
        if name == "LITERAL":
            return chr(av)
        if name == "RANGE":
            return chr(av[0])
        if name == "CATEGORY":
            return _CATEGORY_CHARS.get(av.name, "a")
    raise _Unmatchable


class _PatternWriter:
    """The shortest string a parsed pattern matches; ``pad`` extra repetitions go to the open repeats."""

    def __init__(self, pad: int) -> None:
        self.pad = pad
        self.groups: dict[int, str] = {}

    def write(self, parsed: Any) -> str:
        out: list[str] = []
        for op, av in parsed:
            name = op.name
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "NOT_LITERAL":
                out.append("a" if av != ord("a") else "b")
            elif name == "ANY":
                out.append("a")
            elif name == "IN":
                out.append(_set_char(av))
            elif name == "CATEGORY":
                out.append(_CATEGORY_CHARS.get(av.name, "a"))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, sub = av
                count = low
                if self.pad and high > low:
                    extra = min(self.pad, high - low)
                    self.pad -= extra
                    count += extra
                if count:
                    out.append(self.write(sub) * count)  # the same text each time: deterministic
            elif name == "SUBPATTERN":
                group, sub = av[0], av[-1]
                text = self.write(sub)
                if group is not None:
                    self.groups[group] = text
                out.append(text)
            elif name == "ATOMIC_GROUP":
                out.append(self.write(av))
            elif name == "BRANCH":
                out.append(self.write(av[1][0]))
            elif name == "GROUPREF":
                out.append(self.groups.get(av, ""))
            elif name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue  # anchors and lookarounds take no characters; the final check judges them
            elif name == "GROUPREF_EXISTS":
                out.append(self.write(av[1]))
            else:
                raise _Unmatchable
        return "".join(out)


def _pattern_strings(pattern: str, min_length: float, max_length: float) -> Iterator[str]:
    """Strings that ``pattern`` matches (``re.search``) within the length limits, shortest first."""
    try:
        parsed = _sre.parse(pattern)
        shortest = _PatternWriter(0).write(parsed)
    except (_Unmatchable, re.error, RecursionError, OverflowError, TypeError, ValueError):
        return
    seen: set[str] = set()
    texts = [shortest]
    if len(shortest) < min_length:
        deficit = int(min_length - len(shortest))
        for pad in range(1, deficit + 1):
            text = _PatternWriter(pad).write(parsed)
            if len(text) >= min_length:
                texts.append(text)
                break
        texts += [shortest + "a" * deficit, "a" * deficit + shortest]
    for text in texts:
        if text not in seen and min_length <= len(text) <= max_length and _search(pattern, text):
            seen.add(text)
            yield text
