"""Operations the spec lists under several tags: one implementation, reachable from each tag.

An operation lives in the resource class of its first tag. Every other tag's
resource names it with ``SameAs``, so ``client.store.list_pets`` is exactly
``client.pets.list_pets``: the same method, signature and docstring, checked by
type checkers through ``ParamSpec``. At run time the method is looked up by
name on the home resource (``SameAs("pets", "list_pets")``), so tag modules
never import each other; type checkers see the method itself
(``SameAs("pets", PetsResource.list_pets)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

__all__ = ["SameAs"]

P = ParamSpec("P")
R = TypeVar("R")
_Self = TypeVar("_Self", bound="SameAs[Any, Any]")


class SameAs(Generic[P, R]):
    """``list_pets = SameAs("pets", PetsResource.list_pets)`` inside another tag's resource."""

    def __init__(self, home: str, method: Callable[Concatenate[Any, P], R] | str) -> None:
        self._home = home
        self._name = method if isinstance(method, str) else method.__name__

    @overload
    def __get__(self: _Self, instance: None, owner: type[object]) -> _Self: ...

    @overload
    def __get__(self, instance: object, owner: type[object]) -> Callable[P, R]: ...

    def __get__(self, instance: object | None, owner: type[object]) -> Any:
        if instance is None:
            return self
        return getattr(getattr(getattr(instance, "_client"), self._home), self._name)

    def __repr__(self) -> str:
        return f"SameAs({self._home!r}, {self._name!r})"
