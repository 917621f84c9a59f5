"""The generated README's Python blocks and api.md's examples run, as written, for APIs nobody here wrote.

For Northflank's spec and four real public ones (GOV.UK Pay, Appwrite's server API, Stripe's
POST /v1/customers with every schema it reaches, and ReadMe's petstore example), the client is
generated and every Python block of its README is run, unchanged and in order, in one namespace, as
a reader pasting them would: the quick start, then the "Testing code that uses the client"
section. The async block's test function is awaited. The quick start constructs the client as a
user does (``Client()``, credentials from the environment); here that name serves from the
package's own testing fake, so the call is answered without a network and checked as the API would
check it. The examples of api.md run the same way, each against a fresh fake (an operation whose
body the spec gives no example for has none: an empty body would not pass validation).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.codegen import Generated, fenced_blocks, generate, import_package
from tests.support.real_specs import APPWRITE, GOVUK_PAY, OAS_PETSTORE, load, reduced_stripe
from tests.support.repo import SPEC

pytestmark = pytest.mark.slow  # four real specs generated

SPECS: dict[str, Callable[[], dict[str, Any] | Path]] = {
    "northflank": lambda: SPEC,
    "govuk-pay": lambda: load(GOVUK_PAY),
    "appwrite": lambda: load(APPWRITE),
    "stripe-customers": reduced_stripe,
    "oas-petstore": lambda: load(OAS_PETSTORE),
}


def _python_blocks(markdown: str) -> list[str]:
    return [body for info, body in fenced_blocks(markdown) if info == "python"]


def _testing_blocks(readme: str) -> list[str]:
    start = readme.index("## Testing code that uses the client")
    end = readme.index("\n## Operations", start)
    return _python_blocks(readme[start:end])


class _Served:
    """The package's client names, as the README imports them, serving from a testing fake."""

    def __init__(self, gen: Generated, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gen, self.monkeypatch = gen, monkeypatch
        modules = import_package(gen)
        self.package: ModuleType = modules[gen.package]
        self.fake_class = getattr(modules[f"{gen.package}.testing"], gen.api.fake_class)
        self.fakes: list[Any] = []

    def new_fake(self) -> Any:
        fake = self.fake_class()
        self.fakes.append(fake)
        api = self.gen.api
        self.monkeypatch.setattr(self.package, api.client_class, lambda **kw: fake.client(**kw))
        self.monkeypatch.setattr(self.package, api.async_client_class, lambda **kw: fake.async_client(**kw))
        return fake


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path / "out"))


def _run(block: str, where: str, namespace: dict[str, Any]) -> None:
    try:
        exec(compile(block, where, "exec"), namespace)
    except Exception as exc:  # the block as the reader sees it, with what went wrong
        raise AssertionError(f"{where} failed:\n{block}\n{exc!r}") from exc


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_readme_python_block_runs_as_written(name: str, on_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen = generate(SPECS[name](), on_path)
    served = _Served(gen, monkeypatch)
    readme = gen.text("README.md")
    blocks = _python_blocks(readme)
    testing = _testing_blocks(readme)
    assert len(testing) >= 5, f"{name}: the README's testing section has {len(testing)} Python blocks"
    assert blocks[-len(testing) :] == testing and len(blocks) > len(testing), f"{name}: no quick start"
    quick = served.new_fake()
    namespace: dict[str, Any] = {"__name__": f"readme_{gen.package}"}
    for index, block in enumerate(blocks):
        _run(block, f"{name} README Python block {index}", namespace)
    if "test_async" in namespace:
        asyncio.run(namespace["test_async"]())
    # The quick start called the API (the fake answered it) with nothing the API would refuse.
    assert quick.calls and quick.rejected == [], f"{name}: quick start: {quick.calls} {quick.rejected}"
    fake = namespace["fake"]
    assert fake.rejected == [], f"{name}: the fake refused what the README's calls sent: {fake.rejected}"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_api_md_examples_run_as_written(name: str, on_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen = generate(SPECS[name](), on_path)
    served = _Served(gen, monkeypatch)
    examples = [b for b in _python_blocks(gen.text("api.md")) if b.startswith("from ")]
    calls = [b for b in examples if "with " in b]
    # Every operation has one, but an operation whose body model the spec gives no example for.
    ops = [op for tag in gen.api.tags for op in tag.operations]
    expected = [op for op in ops if not (op.body and op.body.model and not op.body.example_json)]
    assert len(calls) == len(expected), f"{name}: {len(calls)} api.md examples for {len(expected)} operations"
    for index, block in enumerate(calls):
        fake = served.new_fake()
        _run(block, f"{name} api.md example {index}", {"__name__": f"api_md_{gen.package}"})
        assert fake.calls or fake.rejected, f"{name}: api.md example {index} called nothing"
