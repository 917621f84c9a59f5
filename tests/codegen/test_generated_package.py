"""The committed client imports, type-checks under mypy --strict, and exposes one method pair per operation."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import warnings
from collections.abc import Iterator

import httpx
import pytest

from generator import ir
from generator.pipeline import Result
from tests.support.repo import GENERATED


@pytest.fixture(scope="module")
def api(northflank: Result) -> ir.Api:
    assert northflank.api is not None
    return northflank.api


def _operations(api: ir.Api) -> Iterator[tuple[ir.Tag, ir.Operation]]:
    for tag in api.tags:
        for op in tag.operations:
            yield tag, op


def test_every_module_imports(api: ir.Api) -> None:
    package = importlib.import_module(api.package)
    names = [m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{api.package}.")]
    assert f"{api.package}.models" in names and f"{api.package}.errors" in names
    for name in names:
        importlib.import_module(name)


def test_sync_use_does_not_import_asyncio_and_models_keep_real_annotations(api: ir.Api) -> None:
    """Import-time costs the benchmark found: asyncio (~25 ms) and string annotations pydantic must eval()."""
    program = (
        "import sys, typing\n"
        f"import {api.package} as pkg, {api.package}.models as models\n"
        f"client = pkg.{api.client_class}(token='t', base_url='http://127.0.0.1:9')\n"
        f"resource = client.{api.tags[0].attribute}\n"
        "assert 'asyncio' not in sys.modules, 'the sync client imported asyncio'\n"
        "strings = [f'{c.__name__}.{n}' for c in vars(models).values() if isinstance(c, type)\n"
        "           for n, a in getattr(c, '__annotations__', {}).items() if isinstance(a, str)]\n"
        "assert not strings, strings[:5]\n"
    )
    proc = subprocess.run([sys.executable, "-c", program], cwd=GENERATED, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_every_operation_has_sync_and_async_methods_with_the_documented_signature(api: ir.Api) -> None:
    module_cache: dict[str, object] = {}
    for tag, op in _operations(api):
        module = module_cache.setdefault(tag.module, importlib.import_module(f"{api.package}.api.{tag.module}"))
        sync_cls = getattr(module, tag.resource_class)
        async_cls = getattr(module, tag.async_resource_class)
        sync = getattr(sync_cls, op.python_name)
        asyn = getattr(async_cls, op.python_name)
        assert not inspect.iscoroutinefunction(sync)
        assert inspect.iscoroutinefunction(asyn)
        sig = inspect.signature(sync)
        assert str(sig) == str(inspect.signature(asyn)), f"{op.python_name}: sync/async differ"
        params = list(sig.parameters.values())[1:]
        positional = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        keyword = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
        # Only the operation's own id (the template's last parameter) may be passed by position.
        assert positional == [p.python_name for p in op.path_params][-1:]
        assert [p.python_name for p in op.path_params][:-1] == keyword[: len(op.path_params) - 1]
        assert keyword[-4:] == ["timeout", "extra_headers", "extra_query", "extra_body"]
        assert ("body" in keyword) == (op.body is not None)
        for variant in op.variants:
            for extra in variant.extra_params:
                assert sig.parameters[extra.python_name].default is None
        assert inspect.getdoc(sync), f"{op.python_name} has no docstring"
        if op.summary:
            assert op.summary.split("\n")[0][:40] in (inspect.getdoc(sync) or "")
        # The raw-response twin is the same method: same signature and docstring.
        for cls, raw_cls in ((sync_cls, tag.raw_resource_class), (async_cls, tag.async_raw_resource_class)):
            resource = cls(client=None)
            raw = getattr(resource.with_raw_response, op.python_name)
            assert type(resource.with_raw_response).__name__ == raw_cls
            assert inspect.signature(raw) == inspect.signature(getattr(resource, op.python_name))
            assert raw.__doc__ == getattr(cls, op.python_name).__doc__


def _mock_client(api: ir.Api, handler: object) -> object:
    package = importlib.import_module(api.package)
    client_cls = getattr(package, api.client_class)
    return client_cls(token="test-token", transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def _example_response(op: ir.Operation) -> bytes:
    example = op.responses[0].example_json
    assert example is not None, f"{op.operation_id} has no response example in the spec"
    return example.encode()


def test_every_operation_round_trips_its_spec_examples_through_mock_transport(api: ir.Api) -> None:
    """Smoke test: the page's example request is accepted, sent as JSON, and the example response parses."""
    for tag, op in _operations(api):
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request, op: ir.Operation = op, seen: list[httpx.Request] = seen) -> httpx.Response:
            seen.append(request)
            return httpx.Response(200, content=_example_response(op), headers={"content-type": "application/json"})

        client = _mock_client(api, handler)
        resource = getattr(client, tag.attribute)
        args = [p.example for p in op.path_params if p.positional]
        kwargs: dict[str, object] = {p.python_name: p.example for p in op.path_params if not p.positional}
        if op.body is not None:
            assert op.body.example_json is not None, f"{op.operation_id} has no request example in the spec"
            kwargs["body"] = json.loads(op.body.example_json)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = getattr(resource.with_raw_response, op.python_name)(*args, **kwargs)
        assert len(seen) == 1
        assert seen[0].method == op.method
        assert seen[0].headers["authorization"] == "Bearer test-token"
        if op.body is not None:
            assert json.loads(seen[0].content) == json.loads(op.body.example_json or "null")
        assert result.status_code == 200
        assert type(result.parsed).__name__ == op.result_type
        deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
        assert bool(deprecations) == op.deprecated, op.operation_id
        if op.deprecated and op.replaced_by:
            assert op.replaced_by in str(deprecations[0].message)
            assert deprecations[0].filename == __file__  # points at the caller, not at generated code


def test_async_client_mirrors_sync(api: ir.Api) -> None:
    package = importlib.import_module(api.package)
    tag, op = next((t, o) for t, o in _operations(api) if o.method == "GET")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=_example_response(op), headers={"content-type": "application/json"})

    async def main() -> object:
        async_cls = getattr(package, api.async_client_class)
        async with async_cls(token="t", transport=httpx.MockTransport(handler)) as client:
            return await getattr(getattr(client, tag.attribute), op.python_name)(
                *[p.example for p in op.path_params if p.positional],
                **{p.python_name: p.example for p in op.path_params if not p.positional},
            )

    assert type(asyncio.run(main())).__name__ == op.result_type
