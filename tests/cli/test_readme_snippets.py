"""The generated README's testing section runs, as written, for APIs nobody here wrote (issue 22).

For Northflank's spec and three real public ones (GOV.UK Pay, Appwrite's server API, and Stripe's
POST /v1/customers with every schema it reaches), the client is generated and every Python block
of its README's "Testing code that uses the client" section is run, unchanged and in order, in one
namespace, as a reader pasting them into a test would. The async block's test function is awaited.
The quick start's first call must also be an operation the fake answers.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.test_wire_real_specs import APPWRITE, GOVUK_PAY, load, reduced_stripe
from tests.support.codegen import fenced_blocks, generate, import_package
from tests.support.repo import SPEC

pytestmark = pytest.mark.slow  # three real specs generated

SPECS: dict[str, Callable[[], dict[str, Any] | Path]] = {
    "northflank": lambda: SPEC,
    "govuk-pay": lambda: load(GOVUK_PAY),
    "appwrite": lambda: load(APPWRITE),
    "stripe-customers": reduced_stripe,
}


def _testing_blocks(readme: str) -> list[str]:
    start = readme.index("## Testing code that uses the client")
    end = readme.index("\n## Operations", start)
    return [body for info, body in fenced_blocks(readme[start:end]) if info == "python"]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_readme_testing_section_runs_as_written(name: str, tmp_path: Path) -> None:
    gen = generate(SPECS[name](), tmp_path)
    import_package(gen)
    readme = gen.text("README.md")
    blocks = _testing_blocks(readme)
    assert len(blocks) >= 5, f"{name}: the README's testing section has {len(blocks)} Python blocks"
    namespace: dict[str, Any] = {"__name__": f"readme_{gen.package}"}
    sys.path.insert(0, str(gen.out))
    try:
        for index, block in enumerate(blocks):
            try:
                exec(compile(block, f"{name} README testing block {index}", "exec"), namespace)
            except Exception as exc:  # the block as the reader sees it, with what went wrong
                raise AssertionError(f"{name}: README testing block {index} failed:\n{block}\n{exc!r}") from exc
        if "test_async" in namespace:
            asyncio.run(namespace["test_async"]())
    finally:
        sys.path.remove(str(gen.out))
    fake = namespace["fake"]
    assert fake.rejected == [], f"{name}: the fake refused what the README's calls sent: {fake.rejected}"
