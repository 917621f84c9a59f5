"""Give every request and response body schema a name in `components/schemas`.

Both the model generator and the IR builder then see only `$ref`s to named
components, so every body type is a class with a stable, meaningful name
(``CreateManualJobRequest``) rather than whatever an inline schema would get.
"""

from __future__ import annotations

from typing import Any

from . import naming
from .diagnostics import pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_key(method: str, path: str, operation: dict[str, Any]) -> str:
    """The operation's id, or a stable one derived from method and path."""
    op_id = operation.get("operationId")
    if isinstance(op_id, str) and op_id.strip():
        return op_id
    return naming.snake_case(f"{method} {path.replace('{', 'by ').replace('}', '')}")


def deref(document: dict[str, Any], node: Any) -> Any:
    """Follow `$ref` chains inside the document (refs are local after bundling)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        ref = node["$ref"]
        seen.add(ref)
        target: Any = document
        for raw in ref.lstrip("#/").split("/") if ref != "#" else []:
            token = raw.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or token not in target:
                return None
            target = target[token]
        node = target
    return node


def _json_media(content: Any) -> tuple[str, Any] | None:
    if not isinstance(content, dict):
        return None
    for media_type in sorted(content):
        if media_type == "application/json" or media_type.endswith("+json"):
            return media_type, content[media_type]
    return None


_UNION_KEYS = ("oneOf", "anyOf")


def _branch_name(parent: str, branch: dict[str, Any], index: int) -> str:
    """A meaningful class name for an inline union branch (never just a number when avoidable)."""
    if isinstance(branch.get("title"), str) and branch["title"].strip():
        return naming.pascal_case(branch["title"])
    values = branch.get("enum") if isinstance(branch.get("enum"), list) else None
    if "const" in branch:
        values = [branch["const"]]
    if values and len(values) == 1 and isinstance(values[0], (str, int)):
        return parent + naming.pascal_case(str(values[0]), fallback="Value")
    required = branch.get("required")
    props = branch.get("properties")
    if isinstance(props, dict) and isinstance(required, list) and required and isinstance(required[0], str):
        return parent + naming.pascal_case(required[0])
    if isinstance(props, dict) and len(props) == 1:
        return parent + naming.pascal_case(next(iter(props)))
    if branch.get("type") == "object" and not props:
        return parent + "Empty"
    kind = branch.get("type")
    if isinstance(kind, str):
        detail = branch.get("format") or ("pattern" if "pattern" in branch else "")
        return parent + naming.pascal_case(f"{detail} {kind}" if detail else kind)
    return f"{parent}Option{index + 1}"


def _hoist_union_branches(node: Any, parent: str, schemas: dict[str, Any], taken: set[str]) -> Any:
    """Copy of a schema in which inline union branches are named components."""
    if isinstance(node, list):
        return [_hoist_union_branches(item, parent, schemas, taken) for item in node]
    if not isinstance(node, dict) or "$ref" in node:
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in _UNION_KEYS and isinstance(value, list):
            branches = []
            for index, branch in enumerate(value):
                if isinstance(branch, dict) and "$ref" not in branch and branch:
                    name = naming.unique(_branch_name(parent, branch, index), taken)
                    taken.add(name)
                    schemas[name] = _hoist_union_branches(branch, name, schemas, taken)
                    branches.append({"$ref": "#" + pointer("components", "schemas", name)})
                else:
                    branches.append(branch)
            result[key] = branches
        elif key == "properties" and isinstance(value, dict):
            result[key] = {
                prop: _hoist_union_branches(sub, parent + naming.pascal_case(prop), schemas, taken)
                for prop, sub in value.items()
            }
        elif key in ("items", "additionalProperties", "allOf", "not"):
            result[key] = _hoist_union_branches(value, parent, schemas, taken)
        else:
            result[key] = value
    return result


def name_union_branches(document: dict[str, Any]) -> dict[str, Any]:
    """A new document whose inline oneOf/anyOf branches are named components.

    Tools name such branches ``Parent1``, ``Parent2``; here a branch is named
    from its title, its single enum/const value, its first required property or
    its type, so the classes say what they are (``BuildShaLatest``).
    """
    components = dict(document.get("components") or {})
    schemas = dict(components.get("schemas") or {})
    if not schemas:
        return document
    taken = {naming.pascal_case(name) for name in schemas}
    originals = list(schemas.items())
    for name, schema in originals:
        schemas[name] = _hoist_union_branches(schema, naming.pascal_case(name), schemas, taken)
    components["schemas"] = schemas
    return {**document, "components": components}


def hoist_body_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """A new document in which every JSON body schema is a `$ref` to a named component."""
    doc = dict(document)
    components = dict(doc.get("components") or {})
    schemas = dict(components.get("schemas") or {})
    paths = dict(doc.get("paths") or {})
    taken = {naming.pascal_case(name) for name in schemas}

    def hoist(schema: Any, name: str) -> Any:
        if not isinstance(schema, dict) or "$ref" in schema:
            return schema
        unique = naming.unique(naming.pascal_case(name), taken)
        taken.add(unique)
        schemas[unique] = schema
        return {"$ref": "#" + pointer("components", "schemas", unique)}

    for path in sorted(paths):
        item = paths[path]
        if not isinstance(item, dict):
            continue
        item = dict(item)
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            operation = dict(operation)
            base = naming.pascal_case(operation_key(method, path, operation))
            body = deref(doc, operation.get("requestBody"))
            media = _json_media(body.get("content")) if isinstance(body, dict) else None
            if media is not None and isinstance(media[1], dict) and "schema" in media[1]:
                new_media = {**media[1], "schema": hoist(media[1]["schema"], f"{base}Request")}
                operation["requestBody"] = {**body, "content": {**body["content"], media[0]: new_media}}
            responses = operation.get("responses")
            if isinstance(responses, dict):
                new_responses = dict(responses)
                for status in sorted(responses, key=str):
                    if not str(status).startswith("2"):
                        continue
                    response = deref(doc, responses[status])
                    media = _json_media(response.get("content")) if isinstance(response, dict) else None
                    if media is None or not isinstance(media[1], dict) or "schema" not in media[1]:
                        continue
                    suffix = "Response" if str(status) in ("200", "201", "2XX") else f"Response{status}"
                    new_media = {**media[1], "schema": hoist(media[1]["schema"], f"{base}{suffix}")}
                    new_responses[status] = {**response, "content": {**response["content"], media[0]: new_media}}
                operation["responses"] = new_responses
            item[method] = operation
        paths[path] = item
    doc["paths"] = paths
    components["schemas"] = schemas
    doc["components"] = components
    return doc
