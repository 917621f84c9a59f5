"""Hostile specs: the generated package compiles, importing it runs nothing but definitions,
every value from the spec round-trips exactly, and every name is a safe, distinct identifier.

The corpus is ``tests/fixtures/hostile/*.yaml``. Payloads in it set a ``PWNED_*``
environment variable, builtin or file if they ever run. Everything is checked through the
generated code (imported in-process under a unique package name, or in a fresh interpreter
for the "runs nothing" checks); the IR is used only to find what to call.
"""

from __future__ import annotations

import ast
import builtins
import copy
import inspect
import itertools
import json
import keyword
import re
import typing
import warnings
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pydantic
import pytest
import yaml

from generator import ir
from tests.support.codegen import (
    HOSTILE_FIXTURES,
    REPO,
    Generated,
    attribute_docstrings,
    compile_all,
    describe_syntax_errors,
    fenced_blocks,
    generate,
    import_in_subprocess,
    import_package,
    make_client,
    run_spec,
    squash,
    unique_package,
    write_result,
)

pytestmark = pytest.mark.slow  # a whole generation per hostile fixture

# (fixture, run the OpenAPI validator). names-breakout is not valid OpenAPI on purpose.
FIXTURES: list[tuple[str, bool]] = [
    ("content", True),
    ("root-alias", True),
    ("control-text", True),
    ("control-values", True),
    ("long-lines", True),
    ("long-names", True),
    ("names-schemas", True),
    ("names-dotted", True),
    ("names-properties", True),
    ("names-operations", True),
    ("names-client-attributes", True),
    ("names-breakout", False),
]
# Without the validator, a spec that is not valid OpenAPI may be refused with a diagnostic.
MAY_REFUSE = {"names-breakout"}
STATIC_FILES = {p.name for p in (REPO / "templates" / "static").iterdir()}
BASE_URL = "https://api.test"


def load_spec(name: str) -> dict[str, Any]:
    return yaml.safe_load((HOSTILE_FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))


class Corpus:
    """Generates each fixture once per session and caches the result (or the failure)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._results: dict[str, Any] = {}
        self._generated: dict[str, Generated | BaseException] = {}
        self._modules: dict[str, dict[str, ModuleType] | BaseException] = {}
        self._imports: dict[str, Any] = {}
        self._validate = dict(FIXTURES)

    def spec(self, name: str) -> dict[str, Any]:
        return load_spec(name)

    def result(self, name: str) -> Any:
        """The pipeline's Result (in memory, nothing written); an internal error propagates."""
        if name not in self._results:
            try:
                self._results[name] = run_spec(
                    HOSTILE_FIXTURES / f"{name}.yaml",
                    self.base / f"run-{name}",
                    package=unique_package("hostile"),
                    validate=self._validate.get(name, True),
                )
            except Exception as exc:
                self._results[name] = exc
        value = self._results[name]
        if isinstance(value, BaseException):
            raise value
        return value

    def files(self, name: str) -> tuple[dict[Any, str], ir.Api]:
        """The generated FileMap and IR, without writing anything (so a bad file name cannot hide the rest)."""
        result = self.result(name)
        assert result.files is not None and result.api is not None, result.diagnostics.render()
        return result.files, result.api

    def gen(self, name: str) -> Generated:
        if name not in self._generated:
            try:
                self._generated[name] = write_result(self.result(name), self.base / name / "out")
            except Exception as exc:
                self._generated[name] = exc
        value = self._generated[name]
        if isinstance(value, BaseException):
            raise value
        return value

    def import_report(self, name: str) -> Any:
        """Import every module in a fresh interpreter whose cwd is an empty directory (cached)."""
        if name not in self._imports:
            try:
                cwd = self.base / f"cwd-{name}"
                cwd.mkdir(exist_ok=True)
                self._imports[name] = import_in_subprocess(self.gen(name), cwd)
            except Exception as exc:
                self._imports[name] = exc
        value = self._imports[name]
        if isinstance(value, BaseException):
            raise value
        return value

    def modules(self, name: str) -> dict[str, ModuleType]:
        if name not in self._modules:
            try:
                self._modules[name] = import_package(self.gen(name))
            except Exception as exc:
                self._modules[name] = exc
        value = self._modules[name]
        if isinstance(value, BaseException):
            raise value
        return value


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("hostile"))


def _refused(corpus: Corpus, name: str) -> bool:
    """True when a fixture that may be refused was refused cleanly (then there is no output to check)."""
    if name not in MAY_REFUSE:
        return False
    result = corpus.result(name)
    return result.files is None and result.diagnostics.has_errors


# --- generic checks, every fixture ---------------------------------------------------------


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_generator_succeeds_without_internal_error(corpus: Corpus, name: str, validate: bool) -> None:
    try:
        result = corpus.result(name)
    except Exception as exc:  # the CLI would exit 3: a generator bug
        pytest.fail(f"internal error on {name}.yaml: {type(exc).__name__}: {exc}")
    if name in MAY_REFUSE and result.files is None:
        assert result.diagnostics.has_errors, "refused without saying why"
        return
    assert result.files is not None, result.diagnostics.render()


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_file_names_are_portable(corpus: Corpus, name: str, validate: bool) -> None:
    if _refused(corpus, name):
        return
    result = corpus.result(name)
    assert result.files is not None, result.diagnostics.render()
    for path in result.files:
        for part in path.parts:
            assert part.isascii() and len(part.encode()) <= 255, f"unportable file name {part!r}"
            assert (
                part in ("README.md", "api.md", "py.typed", ".gitattributes", "_fake_operations.json")
                or part.endswith((".py", ".pyi"))
                or (part.isidentifier() and not keyword.iskeyword(part))
            ), f"{part!r} is not importable"


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_every_generated_file_compiles(corpus: Corpus, name: str, validate: bool) -> None:
    if _refused(corpus, name):
        return
    files, _api = corpus.files(name)
    failures = compile_all(files)
    assert not failures, describe_syntax_errors(failures)


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_importing_runs_nothing_but_definitions(corpus: Corpus, name: str, validate: bool) -> None:
    """A fresh interpreter imports every module; no payload may have set a variable or made a file."""
    if _refused(corpus, name):
        return
    report = corpus.import_report(name)
    assert report.errors == {}, report.stderr
    assert report.env == [], f"payloads ran on import and set {report.env}"
    assert report.builtins == [], f"payloads ran on import and set builtins {report.builtins}"
    assert [f for f in report.files if "PWNED" in f] == [], f"payloads ran on import: {report.files}"


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_the_testing_fake_routes_every_operation(corpus: Corpus, name: str, validate: bool) -> None:
    """Hostile names and paths still make a fake whose every operation answers at its own path."""
    if _refused(corpus, name):
        return
    gen = corpus.gen(name)
    testing = corpus.modules(name)[f"{gen.package}.testing"]
    fake = getattr(testing, gen.api.fake_class)()
    for tag, op in _operations(gen.api):
        operation = getattr(getattr(fake, tag.fake_attribute), op.python_name)
        path = re.sub(r"\{[^{}]+\}", "x", op.path)
        request = httpx.Request(op.method, quote(fake.base_url + path, safe=":/"))
        try:
            fake.handle_request(request)
        except testing.FakeError:
            pass  # routed, but the spec has no example to answer with
        routed = [c.operation for c in fake.calls] + [r.operation for r in fake.rejected]
        assert routed[-1:] == [operation.name], (op.method, op.path, routed)
        fake.reset()


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_importing_emits_no_warnings(corpus: Corpus, name: str, validate: bool) -> None:
    """A vendored package must import silently (``-W error`` test suites import it too)."""
    if _refused(corpus, name):
        return
    report = corpus.import_report(name)
    assert report.errors == {}, report.stderr
    assert report.warnings == []


_DANGEROUS_CALLS = {"__import__", "setattr", "exec", "eval", "compile", "open", "breakpoint"}
_DANGEROUS_ATTRS = {"environ", "__setitem__", "touch", "system", "putenv"}


def _payload_nodes(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _DANGEROUS_CALLS:
            found.append(f"line {node.lineno}: call of {node.func.id}()")
        if isinstance(node, ast.Attribute) and node.attr in _DANGEROUS_ATTRS:
            found.append(f"line {node.lineno}: attribute .{node.attr}")
    return found


def _generated_sources(files: dict[Any, str]) -> Iterator[tuple[str, str]]:
    for path, text in sorted(files.items()):
        if path.suffix == ".py" and path.name not in STATIC_FILES:
            yield str(path), text


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_no_spec_text_became_code(corpus: Corpus, name: str, validate: bool) -> None:
    """Payloads that would only run later (inside a function body) are caught by reading the AST."""
    if _refused(corpus, name):
        return
    problems = []
    for path, text in _generated_sources(corpus.files(name)[0]):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError) as exc:
            problems.append(f"{path}: does not parse: {exc}")
            continue
        problems += [f"{path}: {p}" for p in _payload_nodes(tree)]
    assert not problems, "\n".join(problems)


_SOFT_KEYWORDS = frozenset(keyword.softkwlist)
_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))


def _identifier_problems(path: str, tree: ast.AST, *, builtins_only: bool = False) -> list[str]:
    """Unsafe identifiers; with ``builtins_only``, just fields/parameters/functions that shadow a builtin."""
    problems: list[str] = []

    seen: set[tuple[int, str]] = set()

    def check(name: str | None, where: int, what: str, *, api: bool = False) -> None:
        if name is None or (where, name) in seen:
            return
        seen.add((where, name))
        if builtins_only:
            if api and name in _BUILTINS:
                problems.append(f"{path}:{where}: {what} {name!r} shadows a builtin")
            return
        if not name.isascii():
            problems.append(f"{path}:{where}: {what} {name!r} is not ASCII")
        if keyword.iskeyword(name):
            problems.append(f"{path}:{where}: {what} {name!r} is a keyword")
        if api and name in _SOFT_KEYWORDS:
            problems.append(f"{path}:{where}: {what} {name!r} is a soft keyword")

    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            check(node.name, node.lineno, "class")
            is_enum = any("Enum" in ast.unparse(b) for b in node.bases)
            for stmt in node.body:
                targets: list[ast.expr] = []
                if isinstance(stmt, ast.AnnAssign):
                    targets = [stmt.target]
                elif isinstance(stmt, ast.Assign):
                    targets = list(stmt.targets)
                for target in targets:
                    if isinstance(target, ast.Name):
                        what = "enum member" if is_enum else "field"
                        if not builtins_only:
                            check(target.id, stmt.lineno, what, api=not is_enum)
                        if builtins_only:
                            continue
                        if target.id.startswith("_") and not target.id.startswith("__"):
                            problems.append(f"{path}:{stmt.lineno}: {what} {target.id!r} starts with an underscore")
                        if not is_enum and path.endswith("models.py") and hasattr(pydantic.BaseModel, target.id):
                            problems.append(f"{path}:{stmt.lineno}: field {target.id!r} shadows BaseModel.{target.id}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            check(node.name, node.lineno, "function", api=not node.name.startswith("_"))
            for arg in node.args.args + node.args.kwonlyargs + node.args.posonlyargs:
                check(arg.arg, node.lineno, f"parameter of {node.name}", api=arg.arg != "self")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            check(node.id, node.lineno, "name")
        elif isinstance(node, ast.alias):
            check(node.asname or node.name.split(".")[0], getattr(node, "lineno", 0), "import")
    return problems


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_parameters_and_methods_do_not_shadow_builtins(corpus: Corpus, name: str, validate: bool) -> None:
    """Parameters and functions never shadow a builtin (``id`` becomes ``id_``).

    Model fields are exempt by design (see generator/naming.py ``field_name``): a
    field is an attribute (``job.id``, ``job.type``), so it shadows nothing, and
    the API's own name reads best, as in openai-python.
    """
    if _refused(corpus, name):
        return
    problems = []
    for path, text in _generated_sources(corpus.files(name)[0]):
        try:
            problems += _identifier_problems(path, ast.parse(text), builtins_only=True)
        except (SyntaxError, ValueError) as exc:
            problems.append(f"{path}: does not parse: {exc}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_every_identifier_is_sanitised(corpus: Corpus, name: str, validate: bool) -> None:
    """ASCII, no keywords; fields, parameters and public functions are no soft keyword;
    fields and enum members do not start with an underscore or shadow BaseModel's API."""
    if _refused(corpus, name):
        return
    problems = []
    for path, text in _generated_sources(corpus.files(name)[0]):
        try:
            problems += _identifier_problems(path, ast.parse(text))
        except (SyntaxError, ValueError) as exc:
            problems.append(f"{path}: does not parse: {exc}")
    assert not problems, "\n".join(problems)


def _operations(api: ir.Api) -> Iterator[tuple[ir.Tag, ir.Operation]]:
    for tag in api.tags:
        for op in tag.operations:
            yield tag, op


# Python blocks of the README's "Testing code that uses the client" section (tests/fake/test_fake.py runs them).
TESTING_README_BLOCKS = 6


def _python_blocks(readme: str) -> list[str]:
    return [body for info, body in fenced_blocks(readme) if info == "python"]


@pytest.mark.parametrize(("name", "validate"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_readme_structure_and_python_examples(corpus: Corpus, name: str, validate: bool) -> None:
    """Spec text cannot open or close a fence: the README and api.md have exactly the generator's code
    blocks (README: install, usage and testing; api.md: per tag its models, per operation its signature
    and an example), and every Python block compiles safely."""
    if _refused(corpus, name):
        return
    files, api = corpus.files(name)
    [readme] = [text for path, text in files.items() if path.name == "README.md"]
    [reference] = [text for path, text in files.items() if path.name == "api.md"]
    n_ops = sum(1 for _ in _operations(api))
    blocks = list(fenced_blocks(readme))
    python = _python_blocks(readme)
    testing = TESTING_README_BLOCKS if n_ops else 0  # the section on the testing module
    assert len(python) == 1 + testing, f"{len(python)} python blocks for {n_ops} operations: {python}"
    assert len(blocks) == 2 + testing, [info for info, _ in blocks]
    with_models = sum(1 for tag in api.tags if any(op.body or op.result_type != "None" for op in tag.operations))
    api_blocks = list(fenced_blocks(reference))
    assert all(info == "python" for info, _ in api_blocks), [info for info, _ in api_blocks]
    assert n_ops <= len(api_blocks) <= 2 * n_ops + with_models, [body for _, body in api_blocks]
    for block in python + _python_blocks(reference):
        # A signature is the head of a function definition; anything else is a module.
        source = f"def {block.split('.', 2)[2]}: ..." if block.startswith("client.") else block
        tree = ast.parse(source)  # SyntaxError here: spec text broke the example
        assert not _payload_nodes(tree), block


# --- content.yaml: every text round-trips ------------------------------------------------------


@pytest.fixture(scope="module")
def content(corpus: Corpus) -> tuple[Generated, dict[str, ModuleType], dict[str, Any]]:
    return corpus.gen("content"), corpus.modules("content"), corpus.spec("content")


def _client(
    gen: Generated, mods: dict[str, ModuleType], handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any
) -> Any:
    kwargs.setdefault("base_url", BASE_URL)
    return make_client(gen, mods, handler, **kwargs)


class Recorder:
    """A MockTransport handler: records requests and answers 200 with ``reply`` (or echoes the body)."""

    def __init__(self, reply: Any = None) -> None:
        self.requests: list[httpx.Request] = []
        self.reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        content = json.dumps(self.reply).encode() if self.reply is not None else (request.content or b"{}")
        return httpx.Response(200, content=content, headers={"content-type": "application/json"})


def _wire(name: str, field: Any) -> str:
    """The key a field is read from and dumped to (an alias may be the empty string)."""
    return name if field.alias is None else str(field.alias)


def _field_by_alias(model: type[pydantic.BaseModel], wire: str) -> tuple[str, Any]:
    matches = [(n, f) for n, f in model.model_fields.items() if _wire(n, f) == wire]
    assert len(matches) == 1, (
        f"{model.__name__} has {len(matches)} fields for wire name {wire!r}: "
        f"{ {n: f.alias for n, f in model.model_fields.items()} }"
    )
    return matches[0]


def _classes(annotation: Any) -> Iterator[type]:
    if isinstance(annotation, type):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _classes(arg)


def _enum_of(model: type[pydantic.BaseModel], wire: str) -> type[Enum]:
    _, field = _field_by_alias(model, wire)
    enums = [c for c in _classes(field.annotation) if issubclass(c, Enum)]
    assert len(enums) == 1, f"{model.__name__}.{wire}: {field.annotation}"
    return enums[0]


def _literal_values(model: type[pydantic.BaseModel], wire: str) -> list[Any]:
    """The values of the ``Literal`` a number enum became (``Annotated[Literal[...], OpenLiteral(...)]``)."""
    _, field = _field_by_alias(model, wire)
    found = [
        arg
        for arg in typing.get_args(field.annotation) or (field.annotation,)
        if typing.get_origin(arg) is typing.Annotated
    ]
    assert len(found) == 1, f"{model.__name__}.{wire}: {field.annotation}"
    literal = typing.get_args(found[0])[0]
    assert typing.get_origin(literal) is typing.Literal, literal
    return list(typing.get_args(literal))


def _alias_doc(source: str, name: str) -> str:
    """The docstring written under a type alias (``Name = ...`` then a string)."""
    body = ast.parse(source).body
    for node, after in itertools.pairwise(body):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name:
            assert isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant), name
            return str(after.value.value)
    raise AssertionError(f"no alias {name}")


def _model_of(model: type[pydantic.BaseModel], wire: str) -> type[pydantic.BaseModel]:
    _, field = _field_by_alias(model, wire)
    models = [c for c in _classes(field.annotation) if issubclass(c, pydantic.BaseModel)]
    assert len(models) == 1, f"{model.__name__}.{wire}: {field.annotation}"
    return models[0]


def _field_doc(model: type[pydantic.BaseModel], wire: str, source: str) -> str:
    name, field = _field_by_alias(model, wire)
    return (field.description or "") + " " + attribute_docstrings(source, model.__name__).get(name, "")


def _models(content: tuple[Generated, dict[str, ModuleType], dict[str, Any]]) -> ModuleType:
    gen, mods, _ = content
    return mods[f"{gen.package}.models"]


def _content_op(gen: Generated) -> tuple[ir.Tag, ir.Operation]:
    [(tag, op)] = list(_operations(gen.api))
    return tag, op


def test_title_and_version_round_trip(content: Any) -> None:
    gen, mods, spec = content
    title, version = spec["info"]["title"], spec["info"]["version"]
    assert squash(title) in squash(mods[gen.package].__doc__)
    for cls_name in (gen.api.client_class, gen.api.async_client_class):
        assert squash(title) in squash(getattr(mods[gen.package], cls_name).__doc__)
    assert version == mods[f"{gen.package}._meta"].API_VERSION
    assert mods[gen.package].__version__ == version


def test_server_url_and_token_env_var_round_trip(content: Any) -> None:
    gen, mods, spec = content
    server = spec["servers"][0]
    expected = server["url"].replace("{region}", server["variables"]["region"]["default"]).rstrip("/")
    for cls_name in (gen.api.client_class, gen.api.async_client_class):
        cls = getattr(mods[gen.package], cls_name)
        assert cls.default_base_url == expected
        assert cls.token_env_var == spec["info"]["x-codegen"]["tokenEnvVar"]


def test_tag_name_and_description_round_trip(content: Any) -> None:
    gen, mods, spec = content
    tag, _ = _content_op(gen)
    [declared] = spec["tags"]
    module = mods[f"{gen.package}.api.{tag.module}"]
    assert squash(declared["name"]) in squash(module.__doc__)
    assert squash(declared["description"]) in squash(module.__doc__)
    assert squash(declared["name"]) in squash(getattr(module, tag.resource_class).__doc__)


def test_operation_docstrings_round_trip(content: Any) -> None:
    gen, mods, spec = content
    tag, op = _content_op(gen)
    [(path, item)] = spec["paths"].items()
    raw = item["post"]
    module = mods[f"{gen.package}.api.{tag.module}"]
    for cls_name in (tag.resource_class, tag.async_resource_class):
        for doc_of in (getattr(getattr(module, cls_name), op.python_name),):
            doc = squash(doc_of.__doc__)
            assert squash(raw["summary"]) in doc
            assert squash(raw["description"]) in doc
            assert squash(raw["x-required-permission"]) in doc
            assert squash(path) in doc
            for param in raw["parameters"]:
                assert squash(param["description"]) in doc, param["name"]


def test_operation_id_and_path_literals_round_trip(content: Any) -> None:
    gen, mods, spec = content
    tag, _op = _content_op(gen)
    [(path, item)] = spec["paths"].items()
    endpoint_cls = mods[f"{gen.package}._base_client"].Endpoint
    module = mods[f"{gen.package}.api.{tag.module}"]
    endpoints = [v for v in vars(module).values() if isinstance(v, endpoint_cls)]
    assert [(e.method, e.path, e.operation_id) for e in endpoints] == [("POST", path, item["post"]["operationId"])]


def test_request_uses_the_exact_wire_names(content: Any) -> None:
    gen, mods, spec = content
    tag, op = _content_op(gen)
    [(path, item)] = spec["paths"].items()
    body = item["post"]["requestBody"]["content"]["application/json"]["examples"]["first"]["value"]
    [_path_param] = op.path_params
    [query_param] = op.query_params
    [header_param] = op.header_params
    path_value = spec["x-hostile"]["str"]
    recorder = Recorder()
    client = _client(gen, mods, recorder)
    method = getattr(getattr(client, tag.attribute), op.python_name)
    method(path_value, body=body, **{query_param.python_name: "q-value", header_param.python_name: "h-value"})
    [request] = recorder.requests
    assert request.url.path == path.replace("{thing id}", path_value)
    assert list(request.url.params.multi_items()) == [(query_param.wire_name, "q-value")]
    assert request.headers[header_param.wire_name] == "h-value"
    assert json.loads(request.content) == body
    # The apiKey scheme's (hostile) query parameter name reaches the wire too.
    key_recorder = Recorder()
    key_client = _client(gen, mods, key_recorder, token=None, api_key="secret")
    getattr(getattr(key_client, tag.attribute), op.python_name)(path_value, body=body)
    [keyed] = key_recorder.requests
    assert (spec["components"]["securitySchemes"]["apiKey"]["name"], "secret") in keyed.url.params.multi_items()


def test_constructing_and_calling_the_client_runs_no_payload(content: Any) -> None:
    """Code after import: the client constructor and an operation call, sync and async."""
    import asyncio
    import os

    gen, mods, spec = content
    tag, op = _content_op(gen)
    [(_path, item)] = spec["paths"].items()
    body = item["post"]["requestBody"]["content"]["application/json"]["examples"]["first"]["value"]
    before = {k for k in os.environ if k.startswith("PWNED")}
    errors = []
    try:
        client = _client(gen, mods, Recorder())
        getattr(getattr(client, tag.attribute), op.python_name)("x", body=body)
    except Exception as exc:
        errors.append(f"sync: {type(exc).__name__}: {exc}")

    async def main() -> None:
        async with make_client(gen, mods, Recorder(), async_=True, base_url=BASE_URL) as client:
            await getattr(getattr(client, tag.attribute), op.python_name)("x", body=body)

    try:
        asyncio.run(main())
    except Exception as exc:
        errors.append(f"async: {type(exc).__name__}: {exc}")
    ran = sorted({k for k in os.environ if k.startswith("PWNED")} - before)
    for key in ran:
        del os.environ[key]
    assert not ran, f"payloads ran: {ran}"
    assert not errors, errors


def test_enum_values_round_trip(content: Any) -> None:
    _gen, _mods, spec = content
    models = _models(content)
    schemas = spec["components"]["schemas"]
    thing = models.Thing
    cases = [
        (_enum_of(thing, "kind"), schemas["Kind"]["enum"], "kind"),
        (_enum_of(thing, "inline_enum"), schemas["Thing"]["properties"]["inline_enum"]["enum"], "inline_enum"),
    ]
    required = {"a\"b'c\\d": "x"}
    # A number enum is a Literal of its values (kept open like an enum, docs/design.md "Names").
    assert _literal_values(thing, "numbers") == schemas["IntKind"]["enum"]
    for value in schemas["IntKind"]["enum"]:
        dumped = thing.model_validate({**required, "numbers": value}).model_dump(
            mode="json", by_alias=True, exclude_unset=True
        )
        assert dumped == {**required, "numbers": value}
    for enum_cls, values, wire in cases:
        assert [m.value for m in enum_cls] == values, f"{enum_cls.__name__}: members alias or lose values"
        for value in values:
            assert enum_cls(value).value == value
            dumped = thing.model_validate({**required, wire: value}).model_dump(
                mode="json", by_alias=True, exclude_unset=True
            )
            assert dumped == {**required, wire: value}


def test_enum_member_names_are_distinct_safe_identifiers(content: Any) -> None:
    thing = _models(content).Thing
    for wire in ("kind", "inline_enum"):  # "numbers" is a Literal: values, no members
        enum_cls = _enum_of(thing, wire)
        names = list(enum_cls.__members__)
        assert len(names) == len(set(names)) == len(list(enum_cls))
        for member in names:
            assert member.isascii() and member.isidentifier() and not keyword.iskeyword(member), member
            assert not member.startswith("_"), member


def test_defaults_round_trip(content: Any) -> None:
    _gen, _mods, spec = content
    thing = _models(content).Thing
    properties = spec["components"]["schemas"]["Thing"]["properties"]
    instance = thing.model_validate({"a\"b'c\\d": "x"})
    dumped = instance.model_dump(mode="json", by_alias=True)
    for wire, schema in properties.items():
        if "default" not in schema:
            continue
        name, _field = _field_by_alias(thing, wire)
        value = getattr(instance, name)
        assert (value.value if isinstance(value, Enum) else value) == schema["default"], wire
        assert dumped[wire] == schema["default"], wire


# ECMA-262 semantics (what JSON Schema means by `pattern`): unanchored search, `$` only at the
# very end, \d and \w ASCII-only.
PATTERN_PROBES: dict[str, tuple[list[str], list[str]]] = {
    "quotes": (['"', "'\"'", '"\'"'], ['""""', "a", '"\n']),
    "triple": (['a"""b'], ['a""b', 'a"""b\n']),
    "backslash": (["\\d\\"], ["5", "\\d", "d\\"]),
    "escaped_quote": (["\"x'"], ["\\\"x\\'"]),
    "bracket_class": (["]", ";]"], ["[", "a"]),
    "unanchored": (["a1b", "9"], ["abc", ""]),
    "dollar": (["abc"], ["abc\n", "ABC"]),
    "digits": (["123"], ["\u0661\u0662\u0663", "12a"]),
    "word": (["abc_1"], ["h\u00e9llo"]),
    "jinja": (["{{ x }}"], ["{{x}}", "49"]),
}


def _patterns(schema: Any) -> list[str]:
    """Every `pattern` in a (pydantic) JSON schema fragment; nullable fields nest it in anyOf."""
    if isinstance(schema, dict):
        own = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
        return own + [p for key, value in schema.items() if key != "pattern" for p in _patterns(value)]
    if isinstance(schema, list):
        return [p for item in schema for p in _patterns(item)]
    return []


@pytest.mark.parametrize("prop", sorted(PATTERN_PROBES))
def test_pattern_matches_and_rejects_the_same_strings(content: Any, prop: str) -> None:
    _gen, _mods, spec = content
    holder = _models(content).PatternHolder
    pattern = spec["components"]["schemas"]["PatternHolder"]["properties"][prop]["pattern"]
    assert len(_patterns(holder.model_json_schema()["properties"][prop])) == 1, "the constraint was lost"
    accept, reject = PATTERN_PROBES[prop]
    for value in accept:
        holder.model_validate({prop: value})
    wrongly_accepted = []
    for value in reject:
        try:
            holder.model_validate({prop: value})
        except pydantic.ValidationError:
            continue
        wrongly_accepted.append(value)
    assert not wrongly_accepted, f"pattern {pattern!r} accepted {wrongly_accepted!r}"


def test_schema_and_property_descriptions_round_trip(content: Any) -> None:
    gen, _mods, spec = content
    models = _models(content)
    source = gen.text("models.py")
    schemas = spec["components"]["schemas"]
    thing = models.Thing
    assert squash(schemas["Thing"]["description"]) in squash(thing.__doc__)
    assert squash(schemas["Kind"]["description"]) in squash(_enum_of(thing, "kind").__doc__)
    assert squash(schemas["IntKind"]["description"]) in squash(_alias_doc(source, "IntKind"))
    nested = _model_of(thing, "nested")
    assert squash(schemas["Thing"]["properties"]["nested"]["description"]) in squash(nested.__doc__)
    for wire, schema in schemas["Thing"]["properties"].items():
        if "description" in schema and "$ref" not in schema:
            assert squash(schema["description"]) in squash(_field_doc(thing, wire, source)), wire
    inner = schemas["Thing"]["properties"]["nested"]["properties"]['r"""']
    assert squash(inner["description"]) in squash(_field_doc(nested, 'r"""', source))


def test_property_names_round_trip_as_aliases(content: Any) -> None:
    _gen, _mods, _spec = content
    thing = _models(content).Thing
    data = {"a\"b'c\\d": "x", "nested": {'r"""': "y"}, "kind": 'a"b'}
    instance = thing.model_validate(data)
    assert not instance.model_extra
    assert not instance.nested.model_extra
    assert instance.model_dump(mode="json", by_alias=True, exclude_unset=True) == data


def test_readme_examples_round_trip(content: Any) -> None:
    gen, _mods, spec = content
    _tag, op = _content_op(gen)
    [(_path, item)] = spec["paths"].items()
    example = item["post"]["requestBody"]["content"]["application/json"]["examples"]["first"]["value"]
    blocks = [b for b in _python_blocks(gen.text("README.md")) if f".{op.python_name}(" in b]
    [block] = [b for b in _python_blocks(gen.text("api.md")) if "model_validate" in b]  # the operation's example
    tree = ast.parse(block)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    [validate] = [c for c in calls if c.func.attr == "model_validate"]
    assert ast.literal_eval(validate.args[0]) == example
    [call] = [c for c in calls if c.func.attr == op.python_name]
    assert ast.literal_eval(call.args[0]) == item["post"]["parameters"][0]["example"]
    # The testing section's examples call the same operation with the same value.
    testing_calls = [
        node
        for other in blocks
        for node in ast.walk(ast.parse(other))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == op.python_name
    ]
    assert len(testing_calls) == 9  # the quick start's call, and eight in the testing section
    assert {ast.literal_eval(c.args[0]) for c in testing_calls} == {item["post"]["parameters"][0]["example"]}


def test_readme_title_and_description_do_not_break_the_document(content: Any) -> None:
    """The title is a heading, the description prose: neither may start a code block or end the header."""
    gen, _mods, spec = content
    readme = gen.text("README.md")
    first_heading = next(line for line in readme.split("\n") if line.startswith("# "))
    assert squash(spec["info"]["title"]) in first_heading
    # Spec text may appear inside the examples' string literals, never as code.
    for block in _python_blocks(readme):
        assert not _payload_nodes(ast.parse(block)), block


# --- the spec's own file name and package identity -----------------------------------------------


MINIMAL: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Minimal", "version": "1"},
    "paths": {"/things": {"get": {"operationId": "listThings", "responses": {"204": {"description": "none"}}}}},
}


def test_spec_file_name_cannot_break_out_of_the_marker_comment(tmp_path: Path) -> None:
    name = 'x\n__import__("os").environ.__setitem__("PWNED_FILENAME", "1")\n#.json'
    spec_path = tmp_path / name
    spec_path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    gen = generate(spec_path, tmp_path)
    failures = compile_all(gen)
    assert not failures, describe_syntax_errors(failures)
    for path, text in gen.python_files().items():
        if PurePosixPath(path).name in STATIC_FILES:  # the hand-written runtime reads os.environ itself
            text = text.split("\n", 1)[0]
        assert not _payload_nodes(ast.parse(text)), f"{path}: the spec file name became code"
    report = import_in_subprocess(gen, tmp_path)
    assert report.errors == {} and report.env == [], report
    meta = import_package(gen)[f"{gen.package}._meta"]
    assert name == meta.SPEC_PATH


def test_spec_without_paths_generates(tmp_path: Path) -> None:
    """`paths` is optional in OpenAPI 3.1: a components-only spec still yields an importable package."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Only models", "version": "1"},
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"a": {"type": "string"}}}}},
    }
    gen = generate(spec, tmp_path)
    models = import_package(gen)[f"{gen.package}.models"]
    assert models.Thing.model_validate({"a": "x"}).model_dump(by_alias=True, exclude_unset=True) == {"a": "x"}


def test_hostile_package_name_is_refused_or_sanitised(tmp_path: Path) -> None:
    spec = copy.deepcopy(MINIMAL)
    spec["info"]["x-codegen"] = {"package": 'evil"; __import__("os").environ.__setitem__("PWNED_PKG", "1"); x = "'}
    result = run_spec(spec, tmp_path)
    if result.files is None:
        assert result.diagnostics.has_errors
        return
    assert result.api is not None
    package = result.api.package
    assert package.isascii() and package.isidentifier() and not keyword.iskeyword(package), package
    gen = generate(spec, tmp_path / "gen", use_spec_package=True)
    failures = compile_all(gen)
    assert not failures, describe_syntax_errors(failures)
    report = import_in_subprocess(gen, tmp_path)
    assert report.errors == {} and report.env == [], report


def test_hostile_client_name_becomes_a_safe_class_name(tmp_path: Path) -> None:
    spec = copy.deepcopy(MINIMAL)
    spec["info"]["x-codegen"] = {
        "clientName": 'Evil"Client\'\n__import__("os").environ.__setitem__("PWNED_CLIENT", "1")'
    }
    gen = generate(spec, tmp_path)
    assert gen.api.client_class.isascii() and gen.api.client_class.isidentifier()
    failures = compile_all(gen)
    assert not failures, describe_syntax_errors(failures)
    report = import_in_subprocess(gen, tmp_path)
    assert report.errors == {} and report.env == [], report


# --- root-alias.yaml, control-*.yaml, long-lines.yaml ------------------------------------------------


def test_root_alias_keeps_constraints_and_docstring(corpus: Corpus) -> None:
    gen, mods, spec = corpus.gen("root-alias"), corpus.modules("root-alias"), corpus.spec("root-alias")
    models = mods[f"{gen.package}.models"]
    holder = models.Holder
    holder.model_validate({"tag": "abc", "tags": ["ab"]})
    for bad in ({"tag": "ABC"}, {"tag": "abcdef"}, {"tag": "abc", "tags": ["A"]}):
        with pytest.raises(pydantic.ValidationError):
            holder.model_validate(bad)
    tree = ast.parse(gen.text("models.py"))
    docs = [
        following.value.value
        for stmt, following in zip(tree.body, tree.body[1:], strict=False)
        if isinstance(stmt, ast.Assign)
        and [ast.unparse(t) for t in stmt.targets] == ["Tagish"]
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
    ]
    assert docs, "no docstring after the Tagish alias"
    assert squash(spec["components"]["schemas"]["Tagish"]["description"]) == squash(docs[0])
    assert squash(spec["components"]["schemas"]["Aardvark"]["description"]) in squash(
        _model_of(holder, "aardvark").__doc__
    )


def test_control_characters_in_descriptions_survive_in_docstrings(corpus: Corpus) -> None:
    gen, mods, spec = corpus.gen("control-text"), corpus.modules("control-text"), corpus.spec("control-text")
    models = mods[f"{gen.package}.models"]
    controls, breakout = spec["x-hostile"]["controls"], spec["x-hostile"]["breakout"]
    assert squash(controls) in squash(models.Thing.__doc__)
    assert squash(breakout) in squash(_enum_of(models.Thing, "kind").__doc__)
    assert squash(breakout) in squash(_field_doc(models.Thing, "name", gen.text("models.py")))
    assert squash(spec["info"]["title"]) in squash(mods[gen.package].__doc__)
    tag = gen.api.tags[0]
    module = mods[f"{gen.package}.api.{tag.module}"]
    assert squash(breakout) in squash(module.__doc__)
    doc = squash(getattr(getattr(module, tag.resource_class), tag.operations[0].python_name).__doc__)
    assert squash(controls) in doc and squash(breakout) in doc


def test_control_characters_in_values_round_trip(corpus: Corpus) -> None:
    gen, mods, spec = corpus.gen("control-values"), corpus.modules("control-values"), corpus.spec("control-values")
    models = mods[f"{gen.package}.models"]
    schemas = spec["components"]["schemas"]
    thing = models.Thing
    assert [m.value for m in _enum_of(thing, "kind")] == schemas["Kind"]["enum"]
    instance = thing.model_validate({})
    assert instance.model_dump(mode="json", by_alias=True)["name"] == schemas["Thing"]["properties"]["name"]["default"]
    weird = "p\x00\x0c\u2028"
    data = {weird: "v", "kind": "\x1b[31m"}
    dumped = thing.model_validate(data)
    assert not dumped.model_extra
    assert dumped.model_dump(mode="json", by_alias=True, exclude_unset=True) == data
    client_cls = getattr(mods[gen.package], gen.api.client_class)
    assert client_cls.default_base_url == spec["servers"][0]["url"].rstrip("/")
    assert spec["info"]["version"] == mods[f"{gen.package}._meta"].API_VERSION
    [(tag, _op)] = list(_operations(gen.api))
    endpoint_cls = mods[f"{gen.package}._base_client"].Endpoint
    module = mods[f"{gen.package}.api.{tag.module}"]
    assert [e.operation_id for e in vars(module).values() if isinstance(e, endpoint_cls)] == [
        spec["paths"]["/things/{id}"]["post"]["operationId"]
    ]


def test_long_lines_round_trip_without_breaking_words(corpus: Corpus) -> None:
    gen, mods, spec = corpus.gen("long-lines"), corpus.modules("long-lines"), corpus.spec("long-lines")
    models = mods[f"{gen.package}.models"]
    schemas = spec["components"]["schemas"]
    prose, token = spec["x-hostile"]["prose"], spec["x-hostile"]["token"]
    thing = models.Thing
    assert squash(prose) in squash(thing.__doc__)
    assert squash(token) in squash(_field_doc(thing, "name", gen.text("models.py"))), "a long URL was split"
    assert [m.value for m in _enum_of(thing, "kind")] == schemas["Thing"]["properties"]["kind"]["enum"]
    assert thing.model_validate({}).name == schemas["Thing"]["properties"]["name"]["default"]
    [(tag, op)] = list(_operations(gen.api))
    module = mods[f"{gen.package}.api.{tag.module}"]
    doc = squash(getattr(getattr(module, tag.resource_class), op.python_name).__doc__)
    assert squash(token) in doc, "a long summary/parameter description was split"
    assert squash(prose) in doc


# --- names: schemas ------------------------------------------------------------------------------


def _body_schema_name(spec: dict[str, Any], raw_op: dict[str, Any]) -> str | None:
    schema = raw_op["requestBody"]["content"]["application/json"]["schema"]
    return schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else None


def _marker(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return str(schema["required"][0])


def _call_body_operation(gen: Generated, mods: dict[str, ModuleType], spec: dict[str, Any], path: str) -> None:
    raw = spec["paths"][path]["post"]
    body_schema = raw["requestBody"]["content"]["application/json"]["schema"]
    response_schema = raw["responses"]["200"]["content"]["application/json"]["schema"]
    body = {_marker(spec, body_schema): 1}
    reply = {_marker(spec, response_schema): 2}
    [(tag, op)] = [(t, o) for t, o in _operations(gen.api) if o.operation_id == raw["operationId"]]
    recorder = Recorder(reply)
    client = _client(gen, mods, recorder)
    resource = getattr(client, tag.attribute)
    parsed = getattr(resource, op.python_name)(body=body)
    assert isinstance(parsed, pydantic.BaseModel), parsed
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == reply
    assert not parsed.model_extra, f"{type(parsed).__name__} is not the class of {response_schema}"
    full = getattr(resource.with_raw_response, op.python_name)(body=body)
    assert full.status_code == 200 and full.parsed == parsed
    assert [json.loads(r.content) for r in recorder.requests] == [body, body]
    assert [r.url.path for r in recorder.requests] == [path, path]
    hints = typing.get_type_hints(getattr(type(resource), op.python_name))
    [body_cls] = [c for c in _classes(hints["body"]) if issubclass(c, pydantic.BaseModel)]
    assert _marker(spec, body_schema) in {_wire(n, f) for n, f in body_cls.model_fields.items()}
    assert type(full) is mods[f"{gen.package}._response"].ApiResponse
    with pytest.raises(Exception) as caught:
        getattr(resource, op.python_name)(body={"unrelated": 1})
    assert "Validation" in type(caught.value).__name__, caught.value


# Operations whose schemas collide with each other after sanitising share one generation; a schema
# that shadows a name the api module imports (Endpoint, Mapping, ...) breaks its whole package,
# so each of those gets a spec of its own. Each spec keeps only the schemas its operations use.
SCHEMA_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "collisions": (
        "names-schemas",
        (
            "/job-upper",
            "/job-lower",
            "/job-dash",
            "/thing",
            "/thing-kind",
            "/inline-body",
            "/client",
            "/client-class",
            "/lenient-enums",
        ),
    ),
    **{
        f"shadows-{path.strip('/')}": ("names-schemas", (path,))
        for path in (
            "/api-response",
            "/endpoint",
            "/mapping",
            "/not-given",
            "/annotated",
            "/api-root-model",
            "/field",
            "/any",
        )
    },
    "dotted": ("names-dotted", ("/v1-job", "/v2-job", "/pod")),
}


@pytest.mark.parametrize("group", sorted(SCHEMA_GROUPS))
def test_each_operation_uses_its_own_schema_class(group: str, tmp_path: Path) -> None:
    fixture, paths = SCHEMA_GROUPS[group]
    spec = load_spec(fixture)
    used = {ref.rsplit("/", 1)[-1] for p in paths for ref in re.findall(r"'\$ref': '([^']+)'", repr(spec["paths"][p]))}
    spec = {
        **spec,
        "paths": {p: spec["paths"][p] for p in paths},
        "components": {"schemas": {k: v for k, v in spec["components"]["schemas"].items() if k in used}},
    }
    gen = generate(spec, tmp_path)
    mods = import_package(gen)
    problems = []
    for path in paths:
        try:
            _call_body_operation(gen, mods, spec, path)
        except Exception as exc:
            problems.append(
                f"{path} ({spec['paths'][path]['post']['operationId']}): {type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}"
            )
    assert not problems, "\n".join(problems)


def test_schema_named_like_a_typing_name_stays_out_of_unrelated_api_modules(tmp_path: Path) -> None:
    """A `Mapping` schema no operation uses must not replace collections.abc.Mapping in the api module."""
    spec = load_spec("names-schemas")
    spec = {
        **spec,
        "paths": {"/thing": spec["paths"]["/thing"]},
        "components": {"schemas": {k: spec["components"]["schemas"][k] for k in ("Thing", "Mapping", "NotGiven")}},
    }
    gen = generate(spec, tmp_path)
    mods = import_package(gen)
    _call_body_operation(gen, mods, spec, "/thing")


def test_every_schema_has_its_own_class(tmp_path: Path) -> None:
    spec = load_spec("names-schemas")
    # One operation that uses no schema: the api module imports no model, so only models.py can fail.
    ping = {"/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "No content"}}}}}
    gen = generate({**spec, "paths": ping}, tmp_path)
    models = import_package(gen)[f"{gen.package}.models"]
    owners: dict[str, list[str]] = {}
    for cls in vars(models).values():
        if isinstance(cls, type) and issubclass(cls, pydantic.BaseModel) and cls.__module__ == models.__name__:
            for field_name, field in cls.model_fields.items():
                owners.setdefault(_wire(field_name, field), []).append(cls.__name__)
    for schema_name, schema in spec["components"]["schemas"].items():
        marker = schema["required"][0]
        assert len(owners.get(marker, [])) == 1, f"{schema_name}: classes with {marker!r}: {owners.get(marker)}"


def test_client_and_model_with_the_client_name_coexist(tmp_path: Path) -> None:
    spec = load_spec("names-schemas")
    spec = {**spec, "paths": {p: spec["paths"][p] for p in ("/client", "/client-class")}}
    gen = generate(spec, tmp_path)
    mods = import_package(gen)
    package, models = mods[gen.package], mods[f"{gen.package}.models"]
    client_cls = getattr(package, gen.api.client_class)
    assert issubclass(client_cls, mods[f"{gen.package}._base_client"].SyncApiClient)
    model = getattr(models, gen.api.client_class)
    assert issubclass(model, pydantic.BaseModel) and "client_class_marker" in model.model_fields


COLLISION_PATHS = ("/job-upper", "/job-lower", "/job-dash", "/thing", "/thing-kind", "/inline-body")


def _collisions() -> dict[str, Any]:
    """names-schemas.yaml cut down to the operations whose schemas collide after sanitising."""
    spec = load_spec("names-schemas")
    return {**spec, "paths": {p: spec["paths"][p] for p in COLLISION_PATHS}}


def test_schema_name_collisions_resolve_deterministically(tmp_path: Path) -> None:
    spec = _collisions()
    first = generate(spec, tmp_path / "a", package="same_name")
    second = generate(spec, tmp_path / "b", package="same_name")
    assert first.files == second.files


def test_collision_resolution_does_not_depend_on_schema_order(tmp_path: Path) -> None:
    """JSON objects are unordered: reordering `components.schemas` must not rename classes."""
    spec = _collisions()
    reordered = {**spec, "components": {"schemas": dict(reversed(list(spec["components"]["schemas"].items())))}}
    first = generate(spec, tmp_path / "a", package="same_order")
    second = generate(reordered, tmp_path / "b", package="same_order")
    assert set(first.files) == set(second.files)
    for path in first.files:
        if path.name == "models.py" or path.parent.name == "models":  # one module, or the split package
            assert sorted(first.files[path].split("\n\n\n")[1:]) == sorted(second.files[path].split("\n\n\n")[1:])
        elif path.name != "_meta.py":
            assert first.files[path] == second.files[path], path


# --- names: properties ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def props(corpus: Corpus) -> tuple[Generated, dict[str, ModuleType], dict[str, Any]]:
    return corpus.gen("names-properties"), corpus.modules("names-properties"), corpus.spec("names-properties")


def _props_instance(spec: dict[str, Any]) -> dict[str, Any]:
    required = spec["components"]["schemas"]["Props"]["required"]
    return {wire: index for index, wire in enumerate(required)}


def test_every_property_name_is_a_field_alias(props: Any) -> None:
    gen, mods, spec = props
    model = mods[f"{gen.package}.models"].Props
    wires = set(spec["components"]["schemas"]["Props"]["properties"])
    aliases = [_wire(n, f) for n, f in model.model_fields.items()]
    assert sorted(aliases) == sorted(wires), set(aliases) ^ wires


def test_property_names_round_trip_through_validate_and_dump(props: Any) -> None:
    gen, mods, spec = props
    model = mods[f"{gen.package}.models"].Props
    data = {
        **_props_instance(spec),
        "date": "2024-01-02",
        "datetime": "2024-01-02T03:04:05Z",
        "Dated": {"date": "2024-02-03"},
        "dated": {"date": "2024-03-04"},
    }
    instance = model.model_validate(data)
    assert not instance.model_extra, f"keys that missed their field: {sorted(instance.model_extra or {})}"
    assert instance.model_dump(mode="json", by_alias=True, exclude_unset=True) == data


@pytest.mark.parametrize("wire", load_spec("names-properties")["components"]["schemas"]["Props"]["required"])
def test_each_property_key_reaches_its_own_field(props: Any, wire: str) -> None:
    """Each required integer rejects a string under its own key: the key maps to its field."""
    gen, mods, spec = props
    model = mods[f"{gen.package}.models"].Props
    data = _props_instance(spec)
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate({**data, wire: "not an integer"})
    assert [e["loc"] for e in caught.value.errors()] == [(wire,)]
    missing = {k: v for k, v in data.items() if k != wire}
    try:
        instance = model.model_validate(missing)
    except pydantic.ValidationError as exc:
        assert [e["loc"] for e in exc.errors()] == [(wire,)]
    else:
        pytest.fail(
            f"without {wire!r} the body still validated, as "
            f"{ {wire: instance.model_dump(by_alias=True).get(wire)} }: another key filled its field"
        )


def test_model_api_survives_hostile_property_names(props: Any) -> None:
    gen, mods, spec = props
    model = mods[f"{gen.package}.models"].Props
    assert model.model_config.get("extra") == "allow" and model.model_config.get("populate_by_name") is True
    instance = model.model_validate(_props_instance(spec))
    assert callable(instance.model_dump) and callable(model.model_validate) and callable(instance.model_copy)
    assert isinstance(model.model_fields, dict)
    assert set(model.model_json_schema()["properties"]) == set(spec["components"]["schemas"]["Props"]["properties"])
    for python_name in model.model_fields:
        assert python_name.isascii() and python_name.isidentifier(), python_name
        assert not keyword.iskeyword(python_name) and python_name not in _SOFT_KEYWORDS, python_name
        assert not python_name.startswith("_") and not hasattr(pydantic.BaseModel, python_name), python_name


def test_property_names_round_trip_through_the_client(props: Any) -> None:
    gen, mods, spec = props
    data = _props_instance(spec)
    [(tag, op)] = list(_operations(gen.api))
    recorder = Recorder()
    result = getattr(getattr(_client(gen, mods, recorder), tag.attribute), op.python_name)(body=data)
    assert json.loads(recorder.requests[0].content) == data
    assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == data


# --- names: operations, parameters, tags ------------------------------------------------------------


@pytest.fixture(scope="module")
def ops(corpus: Corpus) -> tuple[Generated, dict[str, ModuleType], dict[str, Any]]:
    return corpus.gen("names-operations"), corpus.modules("names-operations"), corpus.spec("names-operations")


def _raw_operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        raw["operationId"]: (path, method, raw) for path, item in spec["paths"].items() for method, raw in item.items()
    }


def test_tags_get_distinct_attributes_modules_and_classes(ops: Any) -> None:
    gen, _mods, _spec = ops
    tags = gen.api.tags
    for attr in ("attribute", "module", "resource_class", "async_resource_class"):
        values = [getattr(t, attr) for t in tags]
        assert len(values) == len(set(values)), f"{attr}: {values}"


def _call_no_param_operations(
    gen: Generated, spec: dict[str, Any], client: Any, recorder: Recorder, base: str
) -> list[str]:
    raw_ops = _raw_operations(spec)
    problems = []
    for tag, op in _operations(gen.api):
        path, _method, raw = raw_ops[op.operation_id]
        if raw.get("parameters") or raw.get("requestBody"):
            continue
        resource = getattr(client, tag.attribute)
        for label, holder in (("", resource), (".with_raw_response", resource.with_raw_response)):
            before = len(recorder.requests)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    getattr(holder, op.python_name)()
            except Exception as exc:
                problems.append(
                    f"client.{tag.attribute}{label}.{op.python_name}() for {op.operation_id!r}: "
                    f"{type(exc).__name__}: {exc}"
                )
                continue
            sent = [str(r.url) for r in recorder.requests[before:]]
            if sent != [base + path]:
                problems.append(
                    f"client.{tag.attribute}{label}.{op.python_name}() for {op.operation_id!r} "
                    f"sent {sent}, expected {[base + path]}"
                )
    return problems


def test_every_operation_is_reachable_and_calls_its_own_path(ops: Any) -> None:
    gen, mods, spec = ops
    recorder = Recorder()
    client = _client(gen, mods, recorder)
    problems = _call_no_param_operations(gen, spec, client, recorder, BASE_URL)
    assert not problems, "\n".join(problems)


def test_operation_names_within_a_resource_are_distinct(ops: Any) -> None:
    gen, _mods, _spec = ops
    for tag in gen.api.tags:
        names = [op.python_name for op in tag.operations] + [s.python_name for s in tag.shared_operations]
        assert len(names) == len(set(names)), f"{tag.name}: {names}"
        assert "with_raw_response" not in names


@pytest.mark.parametrize("operation_id", ["manyParams", "bodyParams"])
def test_colliding_parameters_each_reach_the_wire(ops: Any, operation_id: str) -> None:
    gen, mods, spec = ops
    [(tag, op)] = [(t, o) for t, o in _operations(gen.api) if o.operation_id == operation_id]
    path, _, raw = _raw_operations(spec)[operation_id]
    params = op.path_params + op.query_params + op.header_params
    assert sorted((p.location, p.wire_name) for p in params) == sorted((p["in"], p["name"]) for p in raw["parameters"])
    values = {p.python_name: f"v{i}-{p.location}" for i, p in enumerate(params)}
    assert len(values) == len(params), [p.python_name for p in params]
    recorder = Recorder()
    resource = getattr(_client(gen, mods, recorder), tag.attribute)
    method = getattr(resource, op.python_name)
    signature = inspect.signature(method)
    assert set(values) <= set(signature.parameters), set(values) - set(signature.parameters)
    body = {"body": {"value": 1}} if "requestBody" in raw else {}
    method(
        *[values[p.python_name] for p in op.path_params if p.positional],
        **body,
        **{
            p.python_name: values[p.python_name]
            for p in [*(p for p in op.path_params if not p.positional), *op.query_params, *op.header_params]
        },
    )
    [request] = recorder.requests
    expected_path = path
    for p in op.path_params:
        expected_path = expected_path.replace("{" + p.wire_name + "}", values[p.python_name])
    assert request.url.path == expected_path
    sent_query = sorted(request.url.params.multi_items())
    expected_query = sorted((p.wire_name, values[p.python_name]) for p in op.query_params)
    assert sent_query == expected_query, (
        f"sent but not expected: {sorted(set(sent_query) - set(expected_query))}; "
        f"expected but not sent: {sorted(set(expected_query) - set(sent_query))}"
    )
    for p in op.header_params:
        assert request.headers.get(p.wire_name) == values[p.python_name], p.wire_name
    if body:
        assert json.loads(request.content) == body["body"]


def test_parameter_named_warnings_does_not_break_the_deprecation_warning(ops: Any) -> None:
    gen, mods, _spec = ops
    [(tag, op)] = [(t, o) for t, o in _operations(gen.api) if o.operation_id == "deprecatedOp"]
    recorder = Recorder()
    method = getattr(getattr(_client(gen, mods, recorder), tag.attribute), op.python_name)
    kwargs = {p.python_name: f"value-{p.wire_name}" for p in op.query_params + op.header_params}
    with pytest.warns(DeprecationWarning, match="is deprecated"):
        method(**kwargs)
    [request] = recorder.requests
    assert dict(request.url.params) == {"warnings": "value-warnings"}
    assert request.headers["str"] == "value-str"


def test_async_client_reaches_every_tag(ops: Any) -> None:
    import asyncio

    gen, mods, _spec = ops
    recorder = Recorder()

    async def main() -> list[str]:
        sent = []
        async with make_client(gen, mods, recorder, async_=True, base_url=BASE_URL) as client:
            for tag, op in _operations(gen.api):
                if op.path_params or op.query_params or op.header_params or op.body:
                    continue
                await getattr(getattr(client, tag.attribute), op.python_name)()
                sent.append(op.path)
        return sent

    sent = asyncio.run(main())
    assert [r.url.path for r in recorder.requests] == sent


# --- names: tags that collide with the client's own attributes ---------------------------------------


def test_tags_do_not_shadow_the_clients_own_attributes(corpus: Corpus) -> None:
    gen, mods, spec = (
        corpus.gen("names-client-attributes"),
        corpus.modules("names-client-attributes"),
        corpus.spec("names-client-attributes"),
    )
    base_client = mods[f"{gen.package}._base_client"]
    recorder = Recorder()
    with make_client(gen, mods, recorder) as client:
        assert client.base_url == spec["servers"][0]["url"]
        assert inspect.ismethod(client.request) and client.request.__func__ is base_client.SyncApiClient.request
        assert inspect.ismethod(client.close) and client.close.__func__ is base_client.SyncApiClient.close
        problems = _call_no_param_operations(gen, spec, client, recorder, spec["servers"][0]["url"])
    assert not problems, "\n".join(problems)


# --- names: breakout names (not valid OpenAPI; --no-validate) -------------------------------------------


def test_breakout_schema_names_are_refused_or_usable(corpus: Corpus) -> None:
    if _refused(corpus, "names-breakout"):
        return
    gen, mods, spec = corpus.gen("names-breakout"), corpus.modules("names-breakout"), corpus.spec("names-breakout")
    for path in spec["paths"]:
        _call_body_operation(gen, mods, spec, path)
    models = mods[f"{gen.package}.models"]
    for schema_name, schema in spec["components"]["schemas"].items():
        owners = [
            c
            for c in vars(models).values()
            if isinstance(c, type) and issubclass(c, pydantic.BaseModel) and schema["required"][0] in c.model_fields
        ]
        assert len(owners) == 1, schema_name
        assert squash(schema["description"]) in squash(owners[0].__doc__)
        assert [m.value for m in _enum_of(owners[0], "kind")] == schema["properties"]["kind"]["enum"]
