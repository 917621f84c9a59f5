"""Base classes and types of the generated models, and how responses are read into them.

The models keep the API's contract in both directions:

* ``ApiModel`` is strict: a boolean is not an integer and ``"1"`` is not a
  number. An optional property the caller did not set is ``MISSING`` (never
  ``None``, unless the schema allows null) and is never sent. Validation
  errors never repeat the input values, which may be secrets.
* Request checks (``_base_client.validate_body``) refuse keys a schema does not
  declare, unless it allows additional properties (``__additional_properties__``).
  Responses keep such keys (``model.model_extra``): a newer API may send more.
* ``OpenEnum`` refuses unknown values when the caller builds a request, but
  accepts them while a response is parsed (``parse_json``), so a vendored client
  keeps working when the API adds an enum member. An unknown value becomes a
  pseudo-member named ``UNKNOWN`` that keeps the raw value and serialises back
  unchanged.
* An enum of numbers (``[16384, 32768]``) or of values of several JSON types is a
  ``Literal`` with ``OpenLiteral``: the caller writes the value itself, checked
  like an ``OpenEnum`` (refused when unknown in a request, kept in a response).
* ``UniqueList`` is a list that refuses repeated items (``uniqueItems``) and
  keeps the order the JSON array had.
* Numbers keep their JSON form: a ``number`` property is ``int | float``.

Patterns run on pydantic's linear-time Rust engine; the generator rewrote them
to keep their JavaScript meaning, and switches the few models whose patterns
need lookaround or backreferences to Python's ``re``. Validators are built on
first use, so importing many models stays cheap.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    RootModel,
    ValidationError,
)
from pydantic_core import PydanticCustomError, core_schema

__all__ = [
    "ApiModel",
    "ApiRootModel",
    "ExactLiteral",
    "OpenEnum",
    "OpenLiteral",
    "UniqueList",
    "lenient_enums",
    "parse_json",
]

_LENIENT: contextvars.ContextVar[bool] = contextvars.ContextVar("_LENIENT", default=False)


@contextlib.contextmanager
def lenient_enums() -> Iterator[None]:
    """Within this block, enum fields accept values the spec does not list."""
    token = _LENIENT.set(True)
    try:
        yield
    finally:
        _LENIENT.reset(token)


_ModelT = TypeVar("_ModelT", bound=BaseModel)


class ApiModel(BaseModel):
    """Base of every generated object model.

    Two ways in, two naming rules: the constructor takes Python field names
    (``Billing(deployment_plan=...)``), while ``model_validate`` and
    ``model_validate_json`` read data from the wire, so only wire names
    count there. Otherwise, with both ``fooBar`` and ``foo_bar`` in a schema, a
    key ``foo_bar`` could fill the field whose wire name is ``fooBar``.

    The constructor raises ``pydantic.ValidationError`` for a value the schema
    refuses; its message names the field but not the value.
    """

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        populate_by_name=True,
        use_enum_values=False,
        hide_input_in_errors=True,
        defer_build=True,
        # Field names never collide with pydantic's methods (the generator
        # renames those), so its protected-namespace warning is only noise.
        protected_namespaces=(),
    )

    __additional_properties__ = False
    """Whether the schema allows keys it does not declare (requests refuse them otherwise)."""
    __read_only__ = frozenset[str]()
    """readOnly properties this request model leaves out: the API sets them, callers may not."""

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
    """Base of every generated enum; see the module docstring.

    A field of an enum type takes a member or its exact value (``"never"`` for
    ``RunOnSourceChange.NEVER``); a value of another JSON type is refused
    (``"16384"`` is not ``16384``, ``True`` is not ``1``).
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        members = handler(source)  # pydantic's own enum schema: JSON gives values, Python members

        def member_of(value: object) -> object:
            if isinstance(value, cls):
                return value
            if any(_same_json_type(value, member.value) for member in cls):
                try:
                    return cls(value)  # an unknown value is a member only in lenient_enums()
                except ValueError:
                    pass
            expected = ", ".join(repr(member.value) for member in cls)
            raise PydanticCustomError(
                "enum", "Input should be one of: {expected}", {"expected": expected}
            )

        # One check for JSON and Python input alike: pydantic's own enum schema would take
        # JSON `true` for the member 1, and a number for a string enum's unknown member.
        return core_schema.no_info_plain_validator_function(
            member_of, serialization=members.get("serialization")
        )

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


def _same_json_type(value: object, member: object) -> bool:
    """Whether ``value`` could be ``member``'s value in JSON: a bool is not a number, an int may be a float."""
    if isinstance(member, bool) or isinstance(value, bool):
        return isinstance(member, bool) and isinstance(value, bool)
    if isinstance(member, (int, float)):
        return isinstance(value, (int, float))
    return type(value) is type(member) or (isinstance(member, str) and isinstance(value, str))


class ExactLiteral:
    """``Annotated`` metadata making a ``Literal`` of numbers or booleans compare JSON types.

    pydantic matches ``Literal[1]`` by equality, and ``True == 1``: JSON ``true``
    would be taken for ``1`` and sent back as ``1``. With this marker a value
    matches a member only if it has the member's JSON type as well
    (``Annotated[Literal["A", 1], ExactLiteral("A", 1)]``).
    """

    def __init__(self, *members: object) -> None:
        self.members = members

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def _check(self, value: object) -> object:
        if any(_same_json_type(value, member) and value == member for member in self.members):
            return value
        expected = ", ".join(repr(member) for member in self.members)
        raise PydanticCustomError(
            "literal_error", "Input should be one of: {expected}", {"expected": expected}
        )


class OpenLiteral(ExactLiteral):
    """``ExactLiteral`` for a ``Literal`` that stands for an enum, open like ``OpenEnum``.

    Building a request, a value must be one of the members, with its JSON type.
    While a response is parsed (``parse_json``), a value the spec does not list is
    kept as it came, provided it has a member's JSON type: a newer API may add one
    (``16384`` is read from ``[1024, 2048]`` as the int ``16384``).
    """

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_wrap_validator_function(self._open, handler(source))

    def _open(self, value: object, literal: core_schema.ValidatorFunctionWrapHandler) -> object:
        if (
            _LENIENT.get()
            and any(_same_json_type(value, member) for member in self.members)
            and not any(
                _same_json_type(value, member) and value == member for member in self.members
            )
        ):
            return value
        return literal(self._check(value))


RootT = TypeVar("RootT")


class ApiRootModel(RootModel[RootT], Generic[RootT]):
    """Base of generated root models (lists, unions, scalars of a body)."""

    model_config = ConfigDict(strict=True, hide_input_in_errors=True, defer_build=True)


def json_identity(value: object) -> object:
    """What JSON Schema compares when it asks whether two items are equal.

    Models compare by what they would send; ``1`` equals ``1.0`` but not ``true``.
    """
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", int(value) if math.isfinite(value) and value == int(value) else value)
    if isinstance(value, dict):
        return (
            "object",
            json.dumps(
                {k: json_identity(v) for k, v in value.items()}, sort_keys=True, default=str
            ),
        )
    if isinstance(value, (list, tuple)):
        return ("array", tuple(json_identity(v) for v in value))
    return ("other", repr(value))


ItemT = TypeVar("ItemT")


def _unique_items(items: list[ItemT]) -> list[ItemT]:
    seen: set[object] = set()
    for index, item in enumerate(items):
        key = json_identity(item)
        if key in seen:
            raise PydanticCustomError(
                "unique_items",
                "Array items must be unique: item {index} repeats an earlier item",
                {"index": index},
            )
        seen.add(key)
    return items


UniqueList = Annotated[list[ItemT], AfterValidator(_unique_items)]
"""A JSON array whose items must be unique (``uniqueItems``); its order is kept."""


def parse_json(model: type[_ModelT], content: bytes) -> _ModelT:
    """A response body read into ``model``, tolerant where the API may be ahead of the spec.

    Unknown enum values become ``UNKNOWN`` members and unknown keys are kept.
    A ``null`` on an optional property whose schema does not allow null is
    read as absent (``MISSING``): servers often write null for "not set". A
    null on a required property, or anything else the schema refuses, raises
    ``pydantic.ValidationError`` (the client turns it into a
    ``ResponseValidationError``).
    """
    with lenient_enums():
        try:
            return model.model_validate_json(content)
        except ValidationError as exc:
            data = json.loads(content)
            if not _drop_stray_nulls(data, exc):
                raise
            try:
                return model.model_validate_json(json.dumps(data))
            except ValidationError:
                raise exc from None


def _drop_stray_nulls(data: object, exc: ValidationError) -> bool:
    """Remove the object members that are null where the error says null is refused."""
    dropped = False
    for error in exc.errors(include_url=False):
        if error.get("input", 0) is not None:
            continue
        parent: object = None
        key: object = None
        node = data
        for part in error["loc"]:
            if isinstance(node, dict) and part in node:
                parent, key, node = node, part, node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                parent, key, node = None, None, node[part]
            else:
                break  # a union member's tag: the value sits where we are
        if node is None and isinstance(parent, dict) and key in parent:
            del parent[key]
            dropped = True
    return dropped
