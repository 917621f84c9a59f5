"""Unit tests of generator/openapi/load.py: YAML and JSON, the diagnostics of bad files, hashes, line numbers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostics, Level
from generator.openapi import lines, load
from generator.openapi.lines import lines_of
from generator.openapi.load import LoadedSpec, load_spec, read_document
from tests.support.real_specs import APPWRITE, GOVUK_PAY

MINIMAL = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def _only(diags: Diagnostics) -> tuple[str, str, str, int | None]:
    """The single diagnostic as (file, pointer, code, line); fails when there is not exactly one."""
    assert len(diags) == 1, diags.render()
    (d,) = diags
    assert d.level is Level.ERROR
    return d.file, d.pointer, d.code, d.line


# --- read_document: parsing -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["spec.yaml", "spec.yml", "spec.txt"])
def test_yaml_is_parsed_for_non_json_suffixes(tmp_path: Path, name: str) -> None:
    """Any suffix other than .json is read as YAML, and the text comes back with the data."""
    text = "openapi: 3.1.0\nlist: [1, two]\nnested: {a: null}\n"
    parsed = read_document(_write(tmp_path, name, text), name, Diagnostics())
    assert parsed is not None
    assert (parsed.text, parsed.data) == (text, {"openapi": "3.1.0", "list": [1, "two"], "nested": {"a": None}})


@pytest.mark.parametrize("name", ["spec.json", "SPEC.JSON"])
def test_json_suffix_uses_the_json_parser(tmp_path: Path, name: str) -> None:
    """A .json file (any case) is parsed as JSON: flow YAML that is not JSON is refused as invalid-json."""
    good = read_document(_write(tmp_path, name, '{"openapi": "3.0.3", "n": 1.5}'), name, Diagnostics())
    assert good is not None and good.data == {"openapi": "3.0.3", "n": 1.5}
    diags = Diagnostics()
    assert read_document(_write(tmp_path, name, "{openapi: 3.0.3}"), name, diags) is None
    assert _only(diags) == (name, "", "invalid-json", 1)


def test_the_same_flow_text_is_fine_as_yaml(tmp_path: Path) -> None:
    """Unquoted keys parse as YAML, showing the parser is chosen by suffix and not by content."""
    parsed = read_document(_write(tmp_path, "spec.yaml", "{openapi: 3.0.3}"), "spec.yaml", Diagnostics())
    assert parsed is not None and parsed.data == {"openapi": "3.0.3"}


def test_yaml_timestamps_stay_strings_while_numbers_and_bools_are_typed(tmp_path: Path) -> None:
    """Dates are JSON strings (not datetime), while ints, floats, bools and int keys keep YAML's typing."""
    text = "a: 2024-01-01\nb: 2024-01-01T10:00:00Z\nc: 200\nd: 1.5\ne: true\n200: ok\n"
    parsed = read_document(_write(tmp_path, "s.yaml", text), "s.yaml", Diagnostics())
    assert parsed is not None
    assert parsed.data == {"a": "2024-01-01", "b": "2024-01-01T10:00:00Z", "c": 200, "d": 1.5, "e": True, 200: "ok"}


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("openapi: 3.1.0\ninfo: {}\nopenapi: 3.0.0\n", 3, "openapi"),
        ("a:\n  b: 1\n  c: 2\n  b: 3\n", 4, "b"),
        ("a: [{x: 1, x: 2}]\n", 1, "x"),
        ("paths:\n  /pets: {}\n  /pets: {}\n", 3, "/pets"),
    ],
)
def test_yaml_duplicate_keys_are_refused_at_the_second_key(tmp_path: Path, text: str, line: int, key: str) -> None:
    """A duplicate key, top-level or nested, is a duplicate-key error on the line of its second occurrence."""
    diags = Diagnostics()
    assert read_document(_write(tmp_path, "dup.yaml", text), "api/dup.yaml", diags) is None
    assert _only(diags) == ("api/dup.yaml", "", "duplicate-key", line)
    assert repr(key) in next(iter(diags)).message


def test_json_duplicate_keys_are_refused(tmp_path: Path) -> None:
    """A .json spec with a duplicate key is refused with duplicate-key, like YAML."""
    diags = Diagnostics()
    text = '{\n  "openapi": "3.1.0",\n  "openapi": "3.0.0"\n}\n'
    assert read_document(_write(tmp_path, "dup.json", text), "dup.json", diags) is None
    assert [d.code for d in diags] == ["duplicate-key"]


def test_yaml_merge_keys_are_applied(tmp_path: Path) -> None:
    """A `<<` merge with no overlapping key is not mistaken for a duplicate."""
    text = "base: &b {type: string}\nother:\n  <<: *b\n  format: uuid\n"
    parsed = read_document(_write(tmp_path, "m.yaml", text), "m.yaml", Diagnostics())
    assert parsed is not None and parsed.data["other"] == {"type": "string", "format": "uuid"}


def test_yaml_merge_key_override_is_not_a_duplicate(tmp_path: Path) -> None:
    """YAML merge semantics: a key written in the mapping overrides the merged one; that is no duplicate."""
    text = "base: &b {type: string, description: x}\nother:\n  <<: *b\n  description: y\n"
    diags = Diagnostics()
    parsed = read_document(_write(tmp_path, "m.yaml", text), "m.yaml", diags)
    assert not diags.has_errors, diags.render()
    assert parsed is not None and parsed.data["other"] == {"type": "string", "description": "y"}


@pytest.mark.parametrize(
    ("name", "content", "code", "line"),
    [
        ("bad.yaml", "a: [1, 2\nb: 3\n", "invalid-yaml", 2),
        ("bad.yaml", "a: b: c\n", "invalid-yaml", 1),
        ("bad.json", '{\n "a": 1,\n}\n', "invalid-json", 3),
        ("empty.yaml", "", "empty-spec", None),
        ("blank.yaml", "  \n\n\t\n", "empty-spec", None),
        ("latin1.yaml", b"title: caf\xe9\n", "not-utf8", None),
    ],
)
def test_unreadable_files_give_one_diagnostic(
    tmp_path: Path, name: str, content: str | bytes, code: str, line: int | None
) -> None:
    """Syntax errors, empty files and non-UTF-8 bytes each give their code (with a line where known)."""
    diags = Diagnostics()
    assert read_document(_write(tmp_path, name, content), f"spec/{name}", diags) is None
    assert _only(diags) == (f"spec/{name}", "", code, line)


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    """A path that does not exist is file-not-found, not an exception."""
    diags = Diagnostics()
    assert read_document(tmp_path / "nope.yaml", "nope.yaml", diags) is None
    assert _only(diags) == ("nope.yaml", "", "file-not-found", None)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file larger than MAX_SPEC_BYTES is spec-too-large; one at the limit is read."""
    path = _write(tmp_path, "big.yaml", "a: 1234567\n")  # 11 bytes
    monkeypatch.setattr(load, "MAX_SPEC_BYTES", 11)
    assert read_document(path, "big.yaml", Diagnostics()) is not None
    monkeypatch.setattr(load, "MAX_SPEC_BYTES", 10)
    diags = Diagnostics()
    assert read_document(path, "big.yaml", diags) is None
    assert _only(diags) == ("big.yaml", "", "spec-too-large", None)


@pytest.mark.parametrize(("name", "body"), [("bom.yaml", "openapi: 3.1.0\n"), ("bom.json", '{"openapi": "3.1.0"}')])
def test_a_byte_order_mark_is_dropped(tmp_path: Path, name: str, body: str) -> None:
    """A UTF-8 BOM is not part of the text: the first key is `openapi`, not `\\ufeffopenapi`."""
    parsed = read_document(_write(tmp_path, name, b"\xef\xbb\xbf" + body.encode()), name, Diagnostics())
    assert parsed is not None
    text, data = parsed.text, parsed.data
    assert text == body and data == {"openapi": "3.1.0"}


# --- load_spec: top-level shape ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "pointer", "code", "mentions"),
    [
        ("- openapi: 3.1.0\n", "", "not-openapi", "list"),
        ("just a string\n", "", "not-openapi", "str"),
        ("42\n", "", "not-openapi", "int"),
        ("info: {title: t}\n", "", "not-openapi", "openapi"),
        ("openapi: 3.1\n", "", "not-openapi", "openapi"),  # a YAML float, not a version string
        ("swagger: '2.0'\ninfo: {}\n", "/swagger", "swagger-2", "2.0"),
        ("openapi: 2.0.0\n", "/openapi", "unsupported-version", "2.0.0"),
        ("openapi: 4.0.0\n", "/openapi", "unsupported-version", "4.0.0"),
        ("openapi: '3.2'\n", "/openapi", "unsupported-version", "3.2"),
    ],
)
def test_load_spec_refuses_what_is_not_openapi_3_0_or_3_1(
    tmp_path: Path, content: str, pointer: str, code: str, mentions: str
) -> None:
    """A non-mapping top level, Swagger 2, a missing or unsupported version each get their code and pointer."""
    diags = Diagnostics()
    assert load_spec(_write(tmp_path, "s.yaml", content), "s.yaml", diags) is None
    assert _only(diags)[:3] == ("s.yaml", pointer, code)
    assert mentions in next(iter(diags)).message


def test_load_spec_passes_read_errors_through(tmp_path: Path) -> None:
    """A duplicate key found while reading stops load_spec with that diagnostic."""
    diags = Diagnostics()
    assert load_spec(_write(tmp_path, "s.yaml", "openapi: 3.1.0\nopenapi: 3.1.0\n"), "s.yaml", diags) is None
    assert [d.code for d in diags] == ["duplicate-key"]


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.1.0", "3.1.1"])
def test_load_spec_accepts_3_0_and_3_1(tmp_path: Path, version: str) -> None:
    """Every 3.0.x and 3.1.x version loads without a diagnostic."""
    diags = Diagnostics()
    loaded = load_spec(_write(tmp_path, "s.yaml", f"openapi: {version}\n"), "s.yaml", diags)
    assert loaded is not None and loaded.document == {"openapi": version}
    assert len(diags) == 0


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("lf.yaml", MINIMAL),
        ("crlf.yaml", MINIMAL.replace("\n", "\r\n")),
        ("utf8.yaml", MINIMAL + "x-note: Größe — 日本\n"),
        ("api.json", '{"openapi": "3.0.3", "info": {"title": "é"}}'),
    ],
)
def test_loaded_spec_records_bytes_hash_text_and_size(tmp_path: Path, name: str, text: str) -> None:
    """sha256 is the file's bytes' hash; text round-trips through compression; size counts characters."""
    path = _write(tmp_path, name, text)
    loaded = load_spec(path, f"spec/{name}", Diagnostics())
    assert isinstance(loaded, LoadedSpec)
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert loaded.text == text
    assert loaded.size == len(text)
    assert loaded.path == path and loaded.display_path == f"spec/{name}"
    assert loaded.document["openapi"].startswith("3.")


def test_loaded_spec_hash_of_a_file_with_a_bom_is_the_hash_of_its_bytes(tmp_path: Path) -> None:
    """The recorded sha256 is what `sha256sum` prints for the file, BOM included."""
    path = _write(tmp_path, "bom.yaml", b"\xef\xbb\xbf" + MINIMAL.encode())
    loaded = load_spec(path, "bom.yaml", Diagnostics())
    assert loaded is not None
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_different_content_gives_a_different_hash(tmp_path: Path) -> None:
    """One changed character changes the sha256."""
    a = load_spec(_write(tmp_path, "a.yaml", MINIMAL), "a.yaml", Diagnostics())
    b = load_spec(_write(tmp_path, "b.yaml", MINIMAL.replace("t,", "u,")), "b.yaml", Diagnostics())
    assert a is not None and b is not None and a.sha256 != b.sha256


# --- lines_of ---------------------------------------------------------------------------------

YAML_TEXT = (
    "openapi: 3.1.0\n"  # 1
    "paths:\n"  # 2
    "  /pets/{id}:\n"  # 3
    "    get:\n"  # 4
    "      operationId: getPet\n"  # 5
    "      tags: [a, b]\n"  # 6
    "      parameters:\n"  # 7
    "        - name: id\n"  # 8
    "          in: path\n"  # 9
    "      responses:\n"  # 10
    "        200: {description: ok}\n"  # 11
    "components:\n"  # 12
    "  schemas:\n"  # 13
    "    a~b:\n"  # 14
    "      type: string\n"  # 15
    "      x-alias: &anchor {k: v}\n"  # 16
    "      x-use: *anchor\n"  # 17
)


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("", 1),
        ("/openapi", 1),
        ("/paths/~1pets~1{id}/get/operationId", 5),
        ("/paths/~1pets~1{id}/get/tags", 6),  # a flow sequence starts on its key's line
        ("/paths/~1pets~1{id}/get/tags/1", 6),
        ("/paths/~1pets~1{id}/get/parameters/0/in", 9),
        ("/paths/~1pets~1{id}/get/responses/200", 11),  # an unquoted int key
        ("/paths/~1pets~1{id}/get/responses/200/description", 11),
        ("/paths/~1pets~1{id}/get", 5),  # a block mapping's node starts at its first key
        ("/components/schemas/a~0b/type", 15),
        ("/components/schemas/a~0b/x-use", 17),  # an alias is numbered where it is used
    ],
)
def test_lines_of_yaml(pointer: str, line: int) -> None:
    """Each pointer (with ~0/~1 escapes, list indices and int keys) maps to its node's 1-based line."""
    assert lines_of(YAML_TEXT, {pointer}) == {pointer: line}


def test_lines_of_many_pointers_at_once_leaves_out_the_missing() -> None:
    """Found pointers are numbered; pointers into nothing (or through a scalar) are absent."""
    wanted = {
        "/openapi",
        "/components/schemas/a~0b/type",
        "/paths/~1pets/get",
        "/openapi/x",
        "/paths/~1pets~1{id}/get/parameters/1",
        "/components/schemas/a~1b",
    }
    assert lines_of(YAML_TEXT, wanted) == {"/openapi": 1, "/components/schemas/a~0b/type": 15}
    assert lines_of(YAML_TEXT, set()) == {}


def test_lines_of_json() -> None:
    """JSON text is numbered the same way (it is YAML to the event parser)."""
    text = (
        "{\n"  # 1
        '  "paths": {\n'  # 2
        '    "/a/b": {\n'  # 3
        '      "get": {"operationId": "x"}\n'  # 4
        "    }\n"  # 5
        "  },\n"  # 6
        '  "list": [\n'  # 7
        "    1,\n"  # 8
        '    {"k": 2}\n'  # 9
        "  ]\n"  # 10
        "}\n"  # 11
    )
    wanted = {"/paths/~1a~1b/get/operationId", "/list/1/k", "/list/0", "/paths/~1a~1b/put"}
    assert lines_of(text, wanted) == {"/paths/~1a~1b/get/operationId": 4, "/list/1/k": 9, "/list/0": 8}


def test_lines_of_stops_quietly_at_a_syntax_error() -> None:
    """What precedes a syntax error is still numbered; nothing raises."""
    assert lines_of("a: 1\nb: {c: [\nd: 2\n", {"/a", "/d"}) == {"/a": 1}


def test_lines_of_ignores_complex_keys_without_losing_its_place() -> None:
    """A sequence used as a mapping key does not shift the numbering of later keys."""
    text = "a:\n  ? [x, y]\n  : v\n  b: 1\nc: 2\n"
    found: dict[str, Any] = lines_of(text, {"/a/b", "/c"})
    assert found == {"/a/b": 4, "/c": 5}


def _every_pointer(node: Any, at: str = "") -> list[str]:
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _every_pointer(value, at + "/" + key.replace("~", "~0").replace("/", "~1"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _every_pointer(value, f"{at}/{index}")
    return found


@pytest.mark.parametrize("spec", [GOVUK_PAY, APPWRITE], ids=["govuk-pay", "appwrite"])
def test_json_fast_path_numbers_like_libyaml(spec: Path) -> None:
    """JSON is walked by the json module's scanner; every node gets the line libyaml's events give it."""
    text = spec.read_text(encoding="utf-8")
    pointers = set(_every_pointer(json.loads(text))) | {"/paths/~1nowhere", "/info/title/x"}
    wanted = {tuple(lines.unescape_token(t) for t in p.split("/")[1:]): p for p in pointers}
    on_the_way = {path[:n] for path in wanted for n in range(len(path) + 1)}
    by_json = lines._json_lines_of(text, wanted, on_the_way)
    assert by_json is not None
    assert by_json == lines._yaml_lines_of(text, wanted, on_the_way)
    assert len(by_json) == len(pointers) - 2


def test_json_like_yaml_falls_back_to_libyaml() -> None:
    """A YAML flow mapping that is not JSON (unquoted keys, a trailing comma) is numbered by libyaml."""
    text = "{openapi: 3.1.0,\n paths: {/a: {get: {}}},\n}\n"
    assert lines_of(text, {"/paths/~1a/get"}) == {"/paths/~1a/get": 2}
