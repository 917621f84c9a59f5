"""Spec patterns keep their JavaScript meaning in the generated models, on a linear-time engine."""

from __future__ import annotations

import re
import time

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.models.patterns import python_compatible, rust_compatible


def _rust_model(pattern: str) -> type[BaseModel]:
    class M(BaseModel):
        value: str = Field(pattern=pattern)

    return M


def _python_model(pattern: str) -> type[BaseModel]:
    class M(BaseModel):
        model_config = ConfigDict(regex_engine="python-re")
        value: str = Field(pattern=pattern)

    return M


def _accepts(model: type[BaseModel], value: str) -> bool:
    try:
        model(value=value)
    except ValidationError:
        return False
    return True


# (ECMA pattern, value, does JavaScript accept it?)
CASES = [
    (r"^\d+$", "123", True),
    (r"^\d+$", "١٢٣", False),  # JavaScript's \d is ASCII only
    (r"^\w+$", "é", False),
    (r"^[a-z]+$", "abc\n", False),  # JavaScript's $ never matches before a final newline
    (r"^\s$", "\ufeff", True),  # BOM is JavaScript whitespace
    (r"^\s$", "\x1c", False),  # ...and the file separator is not
    (r"^\S+$", "a b", False),
    (r"^[a-zA-Z0-9.,?\s\\/'\"()[\];`%^&*\-_:!]+$", "A (short) [text]; ok!", True),  # the job description pattern
    (r"^[a-zA-Z0-9.,?\s\\/'\"()[\];`%^&*\-_:!]+$", "no <tags>", False),
    (r"^[^\]x]+$", "abc", True),
    (r"^[^\]x]+$", "a]c", False),
]


@pytest.mark.parametrize(("pattern", "value", "expected"), CASES)
def test_rust_translation_has_javascript_semantics(pattern: str, value: str, expected: bool) -> None:
    translated = rust_compatible(pattern)
    assert translated is not None
    assert _accepts(_rust_model(translated), value) is expected


@pytest.mark.parametrize(("pattern", "value", "expected"), CASES)
def test_python_translation_has_javascript_semantics(pattern: str, value: str, expected: bool) -> None:
    assert _accepts(_python_model(python_compatible(pattern)), value) is expected


def test_lookaround_needs_python_and_keeps_its_meaning() -> None:
    pattern = r"^(?!admin$)[a-z]+$"
    assert rust_compatible(pattern) is None
    model = _python_model(python_compatible(pattern))
    assert _accepts(model, "alice") and not _accepts(model, "admin") and not _accepts(model, "bob\n")


def test_nested_quantifier_pattern_runs_in_linear_time() -> None:
    """The health-check path pattern backtracks exponentially under Python's re; Rust does not."""
    pattern = (
        r"^\/([a-zA-Z0-9-._]+\/)*[a-zA-Z0-9-._]*"
        r"((\?([a-zA-Z0-9-._]+(=[a-zA-Z0-9-._]+)?)*)(&([a-zA-Z0-9-._]+(=[a-zA-Z0-9-._]+)?)*)*)?$"
    )
    translated = rust_compatible(pattern)
    assert translated is not None
    model = _rust_model(translated)
    started = time.perf_counter()
    assert not _accepts(model, "/?" + "a" * 5000 + "!")
    assert time.perf_counter() - started < 1.0
    assert re.fullmatch(pattern.replace("$", ""), "/health?ready=1")
    assert _accepts(model, "/health?ready=1")
