"""Format generated Python with black, in-process, with one explicit mode."""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from ..settings import LINE_LENGTH, TARGET_PYTHON

# black does not read pyproject.toml when called as a library; this Mode is the
# whole configuration, shared (LINE_LENGTH, TARGET_PYTHON) with the model generator.
MODE = Mode(
    target_versions={TargetVersion[f"PY{TARGET_PYTHON[0]}{TARGET_PYTHON[1]}"]},
    line_length=LINE_LENGTH,
    string_normalization=True,
    is_pyi=False,
)


class FormatError(Exception):
    """A template or model produced Python that black cannot parse: a generator bug."""


def format_python(text: str, *, path: str) -> str:
    try:
        return black.format_str(text, mode=MODE)
    except InvalidInput as exc:
        raise FormatError(f"black could not parse generated {path}: {exc}") from exc
