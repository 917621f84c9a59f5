"""Base classes of the generated models.

Two behaviours live here so the generated ``models.py`` stays declarative:

* ``ApiModel`` keeps fields it does not know (a newer API may send more) and
  builds its validator on first use, so importing many models stays cheap.
  Patterns run on pydantic's linear-time Rust engine; the generator rewrote
  them to keep their JavaScript meaning, and switches the few models whose
  patterns need lookaround or backreferences to Python's ``re``.
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


_ModelT = TypeVar("_ModelT", bound="ApiModel")


class ApiModel(BaseModel):
    """Base of every generated object model.

    Two ways in, two naming rules: the constructor takes Python field names
    (``Billing(deployment_plan=...)``), while ``model_validate`` and
    ``model_validate_json`` read data from the wire, so only wire names
    count there. Otherwise, with both ``fooBar`` and ``foo_bar`` in a schema, a
    key ``foo_bar`` could fill the field whose wire name is ``fooBar``.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        use_enum_values=False,
        defer_build=True,
        # Field names never collide with pydantic's methods (the generator
        # renames those), so its protected-namespace warning is only noise.
        protected_namespaces=(),
    )

    @classmethod
    def model_validate(cls: type[_ModelT], obj: Any, **options: Any) -> _ModelT:
        options.setdefault("by_name", False)
        return super().model_validate(obj, **options)

    @classmethod
    def model_validate_json(
        cls: type[_ModelT], json_data: str | bytes | bytearray, **options: Any
    ) -> _ModelT:
        options.setdefault("by_name", False)
        return super().model_validate_json(json_data, **options)


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
    """Base of generated root models (lists, unions, scalars of a body)."""

    model_config = ConfigDict(defer_build=True)
