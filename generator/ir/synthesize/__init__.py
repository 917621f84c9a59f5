"""A JSON value that satisfies a schema of the spec: what the testing fake answers when the spec gives no example.

Deterministic (issue 22): at every schema node the first candidate that validates wins, in this order:
the node's own ``example`` (3.1: each of ``examples``, then ``example``), its ``default``, its ``const``,
its ``enum`` members in order, then a value built from the declared type and format that honours the
node's limits and patterns. Every candidate is checked against its schema with ``jsonschema`` (draft 4
with ``nullable`` for OpenAPI 3.0, 2020-12 for 3.1; formats are not asserted), so an example that
breaks its own schema is passed over rather than served.

Objects carry their required properties and those optional ones that have their own example or
default; ``allOf`` members are merged into one schema before building; ``oneOf``/``anyOf`` take the
first branch whose value validates against the whole, with the discriminator property set to the
branch's mapping key. A recursive required property gives up on its branch (an array of it stays empty).

Python's backtracking ``re`` can take exponential time to fail a string against a pattern with nested
unbounded repeats (``(\\w+\\.?)*``). For such a pattern a string longer than a few characters is only
accepted when the pattern with all its quantifiers made possessive matches it (proof enough); the
builder's own strings match at once, and a spec example that fails is passed over instead of hanging.

The work is cached per document, by identity: a document must not change between calls.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ...diagnostics import pointer
from ...memo import ByIdentity
from ...openapi.toolkit import as_dict, is_openapi30
from .builder import _Synthesizer

__all__ = ["derived", "synthesize", "warm"]

T = TypeVar("T")
Result = tuple[bool, Any]
_FAIL: Result = (False, None)


def warm(document: dict[str, Any]) -> Iterator[None]:
    """Build what each component schema builds to into the memo ``synthesize`` reads, one per step.

    The IR's examples are built from the same memo, in whatever order; a value is kept in it only
    where it does not depend on the path to it (builder.py), so warming changes no result, only when
    the work is done: a caller that would wait for something else steps through this and stops when
    that arrives (the pipeline, while the models are made).
    """
    synthesizer = _synthesizer(document, is_openapi30(document))
    for name in sorted(as_dict(as_dict(document.get("components")).get("schemas"))):
        try:
            with synthesizer.lock:
                synthesizer.build({"$ref": "#" + pointer("components", "schemas", name)})
        except Exception:  # never a new failure: a schema the IR uses fails there, as it always did
            return
        yield


def synthesize(document: dict[str, Any], schema: Any, *, openapi30: bool) -> tuple[bool, Any]:
    """(True, value) with a value valid against ``schema``; (False, None) when none could be built.

    ``schema`` may hold local ``$ref``s into ``document``. The work is cached per document (by
    identity), so the document must not change between calls; the value returned is the caller's own.
    """
    synthesizer = _synthesizer(document, openapi30)
    with synthesizer.lock:
        ok, value = synthesizer.build(schema)
    return (True, copy.deepcopy(value)) if ok else _FAIL


def derived(document: dict[str, Any], node: object, kind: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, a value of ``kind`` computed from ``document`` alone for ``node`` (one of its
    objects: a parameter, a media type), computed once per node and kept with the synthesizer's
    memo, under the same rule: the document must not change."""
    found: T = _entry(document, is_openapi30(document))[2].get(node, compute, kind)
    return found


_Entry = tuple[dict[str, Any], _Synthesizer, ByIdentity[Any]]
_SYNTHESIZERS: dict[tuple[int, bool], _Entry] = {}
_SYNTHESIZERS_LOCK = threading.Lock()


def _synthesizer(document: dict[str, Any], openapi30: bool) -> _Synthesizer:
    return _entry(document, openapi30)[1]


def _entry(document: dict[str, Any], openapi30: bool) -> _Entry:
    key = (id(document), openapi30)
    with _SYNTHESIZERS_LOCK:
        entry = _SYNTHESIZERS.get(key)
        if entry is not None and entry[0] is document:
            return entry
        if len(_SYNTHESIZERS) >= 8:  # a few documents at a time: the oldest goes
            del _SYNTHESIZERS[next(iter(_SYNTHESIZERS))]
        entry = (document, _Synthesizer(document, openapi30), ByIdentity())
        _SYNTHESIZERS[key] = entry
        return entry
