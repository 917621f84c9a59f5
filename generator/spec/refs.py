"""Find ``$ref`` chains that never reach a definition (``A`` → ``B`` → ``A``), each with its pointer.

A schema may refer to itself through its properties or items (a tree); a
reference whose target is only another reference, round and round, defines
nothing. Left alone such a chain makes a request body disappear silently or
overflows the validator's stack, so it is refused here, naming the chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from ..diagnostics import Diagnostics, pointer
from .toolkit import unescape_token

_MAX_CHAIN = 64


def _refs(node: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every ``$ref`` string in the document, with where it is."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield at, ref
        for key, value in node.items():
            if key != "$ref":
                yield from _refs(value, (*at, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, (*at, index))


def _target(document: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#"):
        return None  # external references were bundled before; anything left is reported elsewhere
    node: Any = document
    for token in (unescape_token(unquote(t)) for t in ref[1:].split("/")[1:]):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def check_ref_cycles(document: dict[str, Any], *, file: str, diags: Diagnostics) -> None:
    """An ERROR at the first reference of each chain of bare references that comes back on itself."""
    reported: set[str] = set()
    for at, ref in _refs(document):
        chain = [ref]
        node = _target(document, ref)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and len(chain) < _MAX_CHAIN:
            if node["$ref"] in chain:
                cycle = [*chain[chain.index(node["$ref"]) :], node["$ref"]]
                key = min(cycle)
                if key not in reported:
                    reported.add(key)
                    diags.error(
                        file,
                        pointer(*at),
                        "ref-cycle",
                        "`$ref` cycle: " + " → ".join(cycle) + "; a reference must end at a definition "
                        "(a schema, parameter, body or response object): point one of these at it",
                    )
                break
            chain.append(node["$ref"])
            node = _target(document, node["$ref"])
