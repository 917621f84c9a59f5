"""Read a spec file into a dict: bytes, sha256, YAML/JSON parse and top-level shape checks."""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Diagnostics, Level
from .toolkit import unescape_token

# Bigger than any public spec we know (GitHub's REST spec is 13 MB as JSON);
# refusing early keeps a runaway file from eating the CI machine's memory.
MAX_SPEC_BYTES = 40 * 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedSpec:
    path: Path
    display_path: str  # what diagnostics and generated files call it
    # The text is needed again only for line numbers, after model generation; held compressed,
    # a large spec's text (GitHub's: 13 MB → 1 MB) stays out of that stage's peak memory.
    compressed_text: bytes
    size: int  # characters of text
    sha256: str
    document: dict[str, Any]

    @property
    def text(self) -> str:
        return zlib.decompress(self.compressed_text).decode("utf-8")


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedFile:
    text: str
    data: Any
    sha256: str  # of the file's bytes, as `sha256sum` prints it (a byte order mark included)


class _DuplicateKey(ValueError):
    """A JSON object holds a key twice."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def read_document(path: Path, display: str, diags: Diagnostics) -> ParsedFile | None:
    """Parse one YAML or JSON file; on failure add a diagnostic and return None."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        diags.error(display, "", "file-not-found", f"cannot read the spec: {exc.strerror}; check the path")
        return None
    if size > MAX_SPEC_BYTES:
        diags.error(
            display,
            "",
            "spec-too-large",
            f"the file is {size / 1048576:.1f} MiB, over the {MAX_SPEC_BYTES // 1048576} MiB limit; "
            "split it with relative $refs or check that it is the right file",
        )
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark is legal UTF-8 and common on Windows
    except UnicodeDecodeError as exc:
        diags.error(display, "", "not-utf8", f"the file is not UTF-8 (byte {exc.start}); re-save it as UTF-8")
        return None
    if not text.strip():
        diags.error(display, "", "empty-spec", "the file is empty; expected an OpenAPI 3.x document")
        return None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text, object_pairs_hook=_refuse_duplicates)
        else:
            data = yaml.load(text, Loader=_StrictLoader)
    except _DuplicateKey as exc:
        diags.error(
            display,
            "",
            "duplicate-key",
            f"duplicate key {exc.args[0]!r}: JSON parsers silently keep the last one; merge or rename the keys",
        )
        return None
    except json.JSONDecodeError as exc:
        diags.items.append(_at_line(display, "invalid-json", f"invalid JSON: {exc.msg}; fix the syntax", exc.lineno))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if problem.startswith("duplicate key"):
            diags.items.append(
                _at_line(
                    display,
                    "duplicate-key",
                    f"{problem}: YAML would silently keep the last one; merge or rename the keys",
                    line,
                )
            )
        else:
            diags.items.append(_at_line(display, "invalid-yaml", f"invalid YAML: {problem}; fix the syntax", line))
        return None
    return ParsedFile(text=text, data=data, sha256=hashlib.sha256(raw).hexdigest())


def load_spec(path: Path, display: str, diags: Diagnostics) -> LoadedSpec | None:
    """Load the root spec and check it is an OpenAPI 3.0/3.1 document."""
    parsed = read_document(path, display, diags)
    if parsed is None:
        return None
    text, data = parsed.text, parsed.data
    if not isinstance(data, dict):
        diags.error(
            display,
            "",
            "not-openapi",
            f"the top level is a {type(data).__name__}, not a mapping; expected an OpenAPI 3.x document",
        )
        return None
    if "swagger" in data:
        diags.error(
            display,
            "/swagger",
            "swagger-2",
            f"this is a Swagger {data['swagger']} document; convert it "
            "to OpenAPI 3 first (e.g. `npx swagger2openapi in.yaml -o out.yaml`)",
        )
        return None
    version = data.get("openapi")
    if not isinstance(version, str):
        diags.error(
            display, "", "not-openapi", "no `openapi: 3.x.y` field; this does not look like an OpenAPI document"
        )
        return None
    if not (version.startswith(("3.0", "3.1"))):
        diags.error(
            display, "/openapi", "unsupported-version", f"OpenAPI {version} is not supported; use 3.0.x or 3.1.x"
        )
        return None
    encoded = text.encode("utf-8")
    return LoadedSpec(
        path=path,
        display_path=display,
        compressed_text=zlib.compress(encoded, 1),
        size=len(text),
        sha256=parsed.sha256,
        document=data,
    )


def _at_line(file: str, code: str, message: str, line: int | None) -> Diagnostic:
    return Diagnostic(file=file, pointer="", code=code, level=Level.ERROR, message=message, line=line)


# libyaml's C parser is ~10x faster than the pure-Python one on large specs.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    # A key written twice in the mapping itself is refused; a key that overrides one merged in
    # with `<<` is YAML's own rule and is kept (flatten_mapping puts the merged keys first).
    written: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        if key in written:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        written.add(key)
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        result[loader.construct_object(key_node, deep=deep)] = loader.construct_object(value_node, deep=deep)
    return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# YAML 1.1 turns `on`/`yes`/dates into bools and datetimes; OpenAPI means JSON
# values, so timestamps stay strings (an `example: 2024-01-01` is a string).
_StrictLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in _SafeLoader.yaml_implicit_resolvers.items()
}


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
