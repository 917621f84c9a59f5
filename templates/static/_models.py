"""Base classes of the generated models.

Two behaviours live here so the generated ``models.py`` stays declarative:

* ``ApiModel`` keeps fields it does not know (a newer API may send more) and
  checks ``pattern`` constraints with Python's ``re``: the spec's patterns are
  ECMA-style and some of them (character classes such as ``[\\];]``) are
  refused by pydantic's default Rust engine.
* ``OpenEnum`` refuses unknown values when the caller builds a request, but
  accepts them while a response is parsed (inside ``lenient_enums()``), so a
  vendored client keeps working when the API adds an enum member. An unknown
  value becomes a pseudo-member named ``UNKNOWN`` that keeps the raw value and
  serialises back unchanged.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, RootModel

__all__ = ["ApiModel", "ApiRootModel", "OpenEnum", "lenient_enums"]

_LENIENT: contextvars.ContextVar[bool] = contextvars.ContextVar("_LENIENT", default=False)


@contextlib.contextmanager
def lenient_enums() -> Iterator[None]:
    """Within this block, enum fields accept values the spec does not list."""
    token = _LENIENT.set(True)
    try:
        yield
    finally:
        _LENIENT.reset(token)


class ApiModel(BaseModel):
    """Base of every generated object model."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        regex_engine="python-re",
        use_enum_values=False,
        defer_build=True,
    )


class OpenEnum(Enum):
    """Base of every generated enum; see the module docstring."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not _LENIENT.get():
            return None
        mixin = next((base for base in cls.__mro__[1:] if base in (str, int, float)), None)
        # Built the way Enum builds members of a mixed-in type; typed as Any
        # because the type checker cannot follow Enum's metaclass here.
        new: Any = object.__new__ if mixin is None else mixin.__new__
        member = new(cls) if mixin is None else new(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member


RootT = TypeVar("RootT")


class ApiRootModel(RootModel[RootT], Generic[RootT]):
    """Base of generated root models (lists, unions): same regex engine as ``ApiModel``."""

    model_config = ConfigDict(regex_engine="python-re")
