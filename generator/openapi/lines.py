"""Line numbers of JSON pointers in a spec's text, for diagnostics only."""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

import yaml

from .toolkit import unescape_token

# libyaml's parser where PyYAML was built with it (the events are the same, several times faster).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def lines_of(text: str, pointers: set[str]) -> dict[str, int]:
    """1-based lines of JSON pointers in YAML/JSON text (for diagnostics only).

    One pass, stopping once every pointer is found, and no node tree built (composing GitHub's
    13 MB spec took 10 s and hundreds of MB just to number four warnings): JSON text is walked
    with the json module's C scanner, anything else with libyaml's event stream.
    """
    wanted = {tuple(unescape_token(t) for t in p.split("/")[1:]): p for p in pointers}
    on_the_way = {path[:n] for path in wanted for n in range(len(path) + 1)}
    if text.lstrip()[:1] in ("{", "["):
        numbered = _json_lines_of(text, wanted, on_the_way)
        if numbered is not None:
            return numbered
    return _yaml_lines_of(text, wanted, on_the_way)


def _yaml_lines_of(text: str, wanted: dict[tuple[str, ...], str], on_the_way: set[tuple[str, ...]]) -> dict[str, int]:
    """``lines_of`` by libyaml's event stream: for YAML, and JSON the fast path cannot read."""
    found: dict[str, int] = {}
    # One frame per open collection: [path or None when nothing wanted lies below, next sequence
    # index or -1 for a mapping, the pending mapping key (None while a key is expected)].
    stack: list[list[Any]] = []
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            path: tuple[str, ...] | None = ()
            if stack:
                frame = stack[-1]
                if frame[1] < 0 and frame[2] is None:  # a mapping key: remember it, it is not a node we number
                    frame[2] = str(event.value) if isinstance(event, yaml.ScalarEvent) else ""
                    if isinstance(event, yaml.CollectionStartEvent):
                        stack.append([None, 0, None])
                    continue
                parent = frame[0]
                if frame[1] < 0:
                    path = None if parent is None else (*parent, frame[2])
                    frame[2] = None
                else:
                    path = None if parent is None else (*parent, str(frame[1]))
                    frame[1] += 1
                if path is not None and path not in on_the_way:
                    path = None
            if path is not None and path in wanted and event.start_mark is not None:
                found[wanted[path]] = int(event.start_mark.line) + 1
                if len(found) == len(wanted):
                    break
            if isinstance(event, yaml.MappingStartEvent):
                stack.append([path, -1, None])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append([path, 0, None])
    except yaml.YAMLError:
        return found
    return found


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _AllFound(Exception):
    pass


def _json_lines_of(
    text: str, wanted: dict[tuple[str, ...], str], on_the_way: set[tuple[str, ...]]
) -> dict[str, int] | None:
    """``lines_of`` for JSON text, or None where the text is not plain JSON (then libyaml numbers it).

    Only the containers on the way to a wanted pointer are walked; every other value is skipped
    by the C decoder. On GitHub's 13 MB spec this takes a tenth of libyaml's event stream.
    """
    newlines = [m.start() for m in re.finditer("\n", text)]
    found: dict[str, int] = {}

    def space(pos: int) -> int:
        return _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # the pattern matches ""

    def value(pos: int, path: tuple[str, ...]) -> int:
        if path in wanted:
            found[wanted[path]] = bisect.bisect_left(newlines, pos) + 1
            if len(found) == len(wanted):
                raise _AllFound
        opening = text[pos]
        if opening not in "{[":
            return _DECODER.raw_decode(text, pos)[1]
        closing, index = ("}", -1) if opening == "{" else ("]", 0)
        pos = space(pos + 1)
        if text[pos] == closing:
            return pos + 1
        while True:
            if index < 0:
                if text[pos] != '"':
                    raise ValueError("expected a key")
                key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
                pos = space(pos)
                if text[pos] != ":":
                    raise ValueError("expected ':'")
                pos = space(pos + 1)
                child = (*path, key)
            else:
                child = (*path, str(index))
                index += 1
            pos = value(pos, child) if child in on_the_way else _DECODER.raw_decode(text, pos)[1]
            pos = space(pos)
            if text[pos] == closing:
                return pos + 1
            if text[pos] != ",":
                raise ValueError("expected ','")
            pos = space(pos + 1)

    try:
        value(space(0), ())
    except _AllFound:
        pass
    except (ValueError, IndexError, RecursionError):
        return None
    return found
