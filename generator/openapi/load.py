"""Read a spec file into a dict: bytes, sha256, YAML/JSON parse and top-level shape checks."""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Diagnostics, Level

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
