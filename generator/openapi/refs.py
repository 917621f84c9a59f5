"""Find definitions that contain themselves (``A`` → ``B`` → ``A``), each with its pointer.

A schema may refer to itself through its properties or items (a tree). A
reference whose target is only another reference, round and round, or an
``allOf`` that comes back to the schema it builds, defines nothing: left alone
it makes a request body disappear silently or overflows the validator's stack.
It is refused here, naming the loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from ..diagnostics import Diagnostics, pointer
from .toolkit import unescape_token

Tokens = tuple[str | int, ...]


def _refs(node: Any, at: Tokens = ()) -> Iterator[Tokens]:
    """Where every object with a ``$ref`` or an ``allOf`` is."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) or isinstance(node.get("allOf"), list):
            yield at
        for key, value in node.items():
            if key != "$ref":
                yield from _refs(value, (*at, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, (*at, index))


def _tokens(ref: str) -> Tokens | None:
    if not ref.startswith("#"):
        return None  # external references were bundled before; anything left is reported elsewhere
    return tuple(unescape_token(unquote(t)) for t in ref[1:].split("/")[1:])


def _node(document: dict[str, Any], tokens: Tokens) -> Any:
    node: Any = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and str(token).isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _structural(document: dict[str, Any], at: Tokens) -> list[Tokens]:
    """What the object at ``at`` is made of: its ``$ref`` target and its ``allOf`` members."""
    node = _node(document, at)
    if not isinstance(node, dict):
        return []
    found: list[Tokens] = []
    if isinstance(node.get("$ref"), str):
        target = _tokens(node["$ref"])
        if target is not None:
            found.append(target)
    if isinstance(node.get("allOf"), list):
        found += [(*at, "allOf", index) for index in range(len(node["allOf"]))]
    return found


def check_ref_cycles(document: dict[str, Any], *, file: str, diags: Diagnostics) -> None:
    """An ERROR at the first component of each loop of references and ``allOf`` members."""
    state: dict[Tokens, str] = {}
    reported: set[frozenset[Tokens]] = set()
    for start in _refs(document):
        if start in state:
            continue
        stack: list[tuple[Tokens, Iterator[Tokens]]] = [(start, iter(_structural(document, start)))]
        path = [start]
        state[start] = "open"
        while stack:
            here, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                state[here] = "done"
                stack.pop()
                path.pop()
                continue
            if state.get(step) == "open":
                loop = path[path.index(step) :]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    _report(loop, file, diags)
                continue
            if step not in state:
                state[step] = "open"
                path.append(step)
                stack.append((step, iter(_structural(document, step))))


def _report(loop: list[Tokens], file: str, diags: Diagnostics) -> None:
    components = [t for t in loop if t[:1] == ("components",) and len(t) == 3]
    first = min(components or loop, key=lambda t: [str(x) for x in t])
    names = [pointer(*t) for t in loop if t in components] or [pointer(*t) for t in loop]
    diags.error(
        file,
        pointer(*first),
        "ref-cycle",
        "this definition contains itself through `$ref`/`allOf` alone: "
        + " → ".join([*names, names[0]])
        + "; a chain of references must end at a definition (recursion through properties or items is fine)",
    )
