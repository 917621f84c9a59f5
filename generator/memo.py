"""Values computed once per object, told apart by identity, for objects that do not change while held."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ByIdentity(Generic[T]):
    """Each object's value, computed on first request. Keyed by ``id``, so two equal objects get a
    value each and no object need be hashable (a spec's dicts); each object is held here with its
    value, so its ``id`` cannot pass to another while the memo lives."""

    def __init__(self) -> None:
        self._held: dict[tuple[Hashable, int], tuple[object, T]] = {}

    def get(self, node: object, compute: Callable[[], T], kind: Hashable = None) -> T:
        """``compute()`` for ``node`` (and ``kind``, where one object has values of several kinds)."""
        key = (kind, id(node))
        held = self._held.get(key)
        if held is None or held[0] is not node:
            held = (node, compute())
            self._held[key] = held
        return held[1]
