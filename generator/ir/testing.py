"""What the generated testing module needs decided from the spec, beyond what the client needs.

See ``templates/testing.py.jinja`` and ``templates/static/_fake.py``.
"""

from __future__ import annotations

from typing import Any

from . import nodes as ir


def invalid_request_status(responses: dict[Any, Any]) -> int:
    """What the API answers an invalid request with: the declared 422, else the declared 400, else 422.

    Stoplight Prism's rule (``tests/runtime/test_against_prism.py`` relies on it); the testing fake follows it.
    """
    declared = {str(status) for status in responses}
    return 400 if "400" in declared and "422" not in declared else 422


# Public members of the testing fake (templates/static/_fake.py FakeApi and testing.py's subclass):
# a tag's attribute on the fake may not take one of these names.
FAKE_MEMBERS = frozenset(
    {
        "aclose",
        "async_client",
        "base_url",
        "calls",
        "client",
        "close",
        "handle_async_request",
        "handle_request",
        "rejected",
        "reset",
        "sleeps",
    }
)


def testing_example(tags: tuple[ir.Tag, ...]) -> str:
    """The operation the README's testing examples call: the simplest that the spec's examples answer.

    In order of preference: a call without a body, answered with the spec's JSON example; one whose
    body and answer both have examples; a call without a body (answered with a value built from the
    schema); any non-deprecated operation; any operation. Ties go to the first.
    """

    def rank(op: ir.Operation) -> int:
        first = op.responses[0]
        answered = first.kind == "json" and first.example_json is not None and not first.synthesized
        if op.deprecated:
            return 4
        if answered and op.body is None:
            return 0
        if answered and op.body is not None and op.body.example_json is not None:
            return 1
        if op.body is None:  # answered with a value built from the schema
            return 2
        return 3

    ops = [f"{tag.fake_attribute}.{op.python_name}" for tag in tags for op in tag.operations]
    ranks = [rank(op) for tag in tags for op in tag.operations]
    return ops[ranks.index(min(ranks))] if ops else ""
