"""Build the IR from the bundled, normalised spec dict: the only reader of the spec's operations."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from . import ir, naming
from .diagnostics import Diagnostics, pointer
from .models import ModelsModule
from .normalize import HTTP_METHODS, deref, operation_key
from .settings import Settings

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Names every generated method already uses for itself.
_METHOD_RESERVED = frozenset({"self", "body", "timeout", "extra_headers"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


class _Builder:
    def __init__(self, doc: dict[str, Any], models: ModelsModule, settings: Settings, file: str, diags: Diagnostics):
        self.doc = doc
        self.models = models
        self.settings = settings
        self.file = file
        self.diags = diags
        info = doc.get("info") or {}
        self.codegen: dict[str, Any] = info.get("x-codegen") if isinstance(info.get("x-codegen"), dict) else {}

    # -- types ---------------------------------------------------------------
    def type_hint(self, schema: Any) -> str:
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            component = schema["$ref"].rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            cls = self.models.class_for(component)
            if cls is not None and self.models.classes[cls].kind == "enum":
                return cls
            return self.type_hint(deref(self.doc, schema))
        if not isinstance(schema, dict):
            return "Any"
        kind = schema.get("type")
        if isinstance(kind, list):
            hints = [self.type_hint({**schema, "type": k}) for k in kind if k != "null"]
            hint = " | ".join(dict.fromkeys(hints)) or "None"
            return hint + " | None" if "null" in kind and hint != "None" else hint
        if kind == "array":
            return f"list[{self.type_hint(schema.get('items'))}]"
        return _SCALARS.get(str(kind), "Any")

    # -- pieces of an operation ----------------------------------------------
    def params(self, path_item: dict[str, Any], operation: dict[str, Any], at: tuple[str, ...]) -> list[ir.Param]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for source, where in ((path_item.get("parameters"), at[:-1]), (operation.get("parameters"), at)):
            for index, raw in enumerate(source or []):
                param = deref(self.doc, raw)
                if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                    self.diags.error(self.file, pointer(*where, "parameters", index), "invalid-parameter",
                                     "parameter is not an object with a `name`; fix or remove it")
                    continue
                merged[(str(param.get("in")), param["name"])] = (param, pointer(*where, "parameters", index))
        taken = set(_METHOD_RESERVED)
        result: list[ir.Param] = []
        for (location, wire), (param, _where) in sorted(merged.items(), key=lambda kv: (kv[0][0] != "path", kv[0])):
            python_name = naming.unique(naming.snake_case(wire), taken)
            taken.add(python_name)
            result.append(ir.Param(
                wire_name=wire, python_name=python_name, location=location,
                required=bool(param.get("required")) or location == "path",
                type_hint=self.type_hint(param.get("schema")), description=str(param.get("description") or ""),
                example=_param_example(param, wire), deprecated=bool(param.get("deprecated")),
            ))
        return result

    def model_for(self, schema: Any, at: str) -> str | None:
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return None
        component = schema["$ref"].rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        cls = self.models.class_for(component)
        if cls is None:
            self.diags.error(self.file, at, "model-not-found",
                             f"no model class was generated for {schema['$ref']!r}; check that it is an object schema")
        return cls

    def body(self, operation: dict[str, Any], at: tuple[str, ...]) -> tuple[bool, ir.Body | None]:
        raw = operation.get("requestBody")
        if raw is None:
            return True, None
        body = deref(self.doc, raw)
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            return True, None
        json_types = sorted(m for m in content if m == "application/json" or m.endswith("+json"))
        if not json_types:
            self.diags.warning(self.file, pointer(*at, "requestBody", "content"), "unsupported-media-type",
                               f"request bodies of type {', '.join(sorted(content))} are not supported yet; "
                               "the operation was skipped")
            return False, None
        media = content[json_types[0]] or {}
        model = self.model_for(media.get("schema"), pointer(*at, "requestBody", "content", json_types[0], "schema"))
        if model is None:
            return False, None
        return True, ir.Body(
            model=model, schema_name=str(media["schema"]["$ref"]).rsplit("/", 1)[-1], required=bool(body.get("required")),
            content_type=json_types[0], description=str(body.get("description") or ""),
            example_json=_first_example(media),
        )

    def response(self, operation: dict[str, Any], at: tuple[str, ...]) -> ir.Response:
        responses = operation.get("responses") if isinstance(operation.get("responses"), dict) else {}
        success = sorted(str(s) for s in responses if str(s).startswith("2"))
        if not success:
            return ir.Response(status="2XX", model=None, result_type="None", unwrap=None, description="", example_json=None)
        status = success[0]
        response = deref(self.doc, responses.get(status, responses.get(int(status)) if status.isdigit() else None)) or {}
        content = response.get("content") if isinstance(response.get("content"), dict) else {}
        json_types = sorted(m for m in content if m == "application/json" or m.endswith("+json"))
        description = str(response.get("description") or "")
        if not json_types:
            return ir.Response(status=status, model=None, result_type="None", unwrap=None,
                               description=description, example_json=None)
        media = content[json_types[0]] or {}
        model = self.model_for(media.get("schema"), pointer(*at, "responses", status, "content", json_types[0], "schema"))
        if model is None:
            return ir.Response(status=status, model=None, result_type="None", unwrap=None,
                               description=description, example_json=None)
        envelope = self.codegen.get("envelope")
        fields = {f.wire_name: f for f in self.models.classes[model].fields}
        unwrap = None
        result_type = model
        if isinstance(envelope, str) and envelope in fields and not fields[envelope].annotation.endswith("| None"):
            unwrap = fields[envelope].python_name
            result_type = fields[envelope].annotation
        return ir.Response(status=status, model=model, result_type=result_type, unwrap=unwrap,
                           description=description, example_json=_first_example(media))

    # -- operations ------------------------------------------------------------
    def operation(self, path: str, method: str, path_item: dict[str, Any], op: dict[str, Any]) -> ir.Operation | None:
        at = ("paths", path, method)
        op_id = operation_key(method, path, op)
        ok, body = self.body(op, at)
        if not ok:
            return None
        params = self.params(path_item, op, at)
        python_name = naming.snake_case(op_id, fallback="operation")
        return ir.Operation(
            operation_id=op_id, python_name=python_name,
            constant_name="_" + naming.constant_case(op_id),
            method=method.upper(), path=path, pointer=pointer(*at),
            summary=str(op.get("summary") or "").strip(), description=str(op.get("description") or "").strip(),
            deprecated=bool(op.get("deprecated")),
            replaced_by=op.get("x-codegen-replaced-by") if isinstance(op.get("x-codegen-replaced-by"), str) else None,
            idempotent=method.upper() in IDEMPOTENT_METHODS,
            permission=op.get("x-required-permission") if isinstance(op.get("x-required-permission"), str) else None,
            path_params=tuple(p for p in params if p.location == "path"),
            query_params=tuple(p for p in params if p.location == "query"),
            header_params=tuple(p for p in params if p.location == "header"),
            body=body, response=self.response(op, at), variants=(),
        )

    def build(self) -> ir.Api:
        info = self.doc.get("info") or {}
        title = str(info.get("title") or "API")
        raw_ops: dict[str, tuple[ir.Operation, str, dict[str, Any]]] = {}
        tag_of: dict[str, str] = {}
        variant_of: dict[str, str] = {}
        paths = self.doc.get("paths") or {}
        for path in sorted(paths):
            item = paths[path]
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                built = self.operation(path, method, item, op)
                if built is None:
                    continue
                if built.operation_id in raw_ops:
                    self.diags.error(self.file, built.pointer + "/operationId", "duplicate-operation-id",
                                     f"operationId {built.operation_id!r} is also used at "
                                     f"{raw_ops[built.operation_id][0].pointer}; make each operationId unique")
                    continue
                tags = op.get("tags") if isinstance(op.get("tags"), list) and op.get("tags") else ["default"]
                raw_ops[built.operation_id] = (built, str(tags[0]), op)
                tag_of[built.operation_id] = str(tags[0])
                if isinstance(op.get("x-codegen-variant-of"), str):
                    variant_of[built.operation_id] = op["x-codegen-variant-of"]
        operations = self.fold_variants(raw_ops, variant_of)
        return ir.Api(
            title=title, version=str(info.get("version") or ""), description=str(info.get("description") or "").strip(),
            package=self.settings.package or str(self.codegen.get("package") or naming.snake_case(title)),
            client_class=self.client_class(title), async_client_class="Async" + self.client_class(title),
            base_url=self.base_url(), token_env_var=self.token_env_var(),
            spec_path=self.file, spec_sha256="", tags=self.tags(operations, tag_of),
            models=tuple(sorted(self.models.classes)),
        )

    def fold_variants(self, raw_ops: dict[str, tuple[ir.Operation, str, dict[str, Any]]],
                      variant_of: dict[str, str]) -> dict[str, ir.Operation]:
        result: dict[str, ir.Operation] = {}
        for op_id, (op, _tag, _raw) in raw_ops.items():
            if op_id in variant_of:
                continue
            variants = []
            for variant_id, primary in sorted(variant_of.items()):
                if primary != op_id:
                    continue
                variant = raw_ops[variant_id][0]
                known = {p.wire_name for p in op.path_params}
                variants.append(ir.Variant(variant_id, variant.constant_name, variant.path,
                                           tuple(p for p in variant.path_params if p.wire_name not in known)))
            replaced = op.replaced_by
            if replaced is not None:
                target = raw_ops.get(replaced)
                replaced = target[0].python_name if target else replaced
            result[op_id] = replace(op, variants=tuple(variants), replaced_by=replaced)
        for variant_id, primary in sorted(variant_of.items()):
            if primary not in raw_ops:
                self.diags.error(self.file, raw_ops[variant_id][0].pointer + "/x-codegen-variant-of", "unknown-variant-target",
                                 f"x-codegen-variant-of names {primary!r}, which is not an operationId in this spec")
        return result

    def tags(self, operations: dict[str, ir.Operation], tag_of: dict[str, str]) -> tuple[ir.Tag, ...]:
        descriptions = {str(t.get("name")): str(t.get("description") or "") for t in self.doc.get("tags") or []
                        if isinstance(t, dict)}
        grouped: dict[str, list[ir.Operation]] = {}
        for op_id, op in operations.items():
            grouped.setdefault(tag_of[op_id], []).append(op)
        result: list[ir.Tag] = []
        modules: set[str] = {"models"}
        for name in sorted(grouped):
            module = naming.unique(naming.module_name(name), modules)
            modules.add(module)
            base = naming.pascal_case(name, fallback="Default")
            ops = sorted(grouped[name], key=lambda o: (o.path, HTTP_METHODS.index(o.method.lower())))
            taken: set[str] = set()
            unique_ops = []
            for op in ops:
                python_name = naming.unique(op.python_name, taken)
                taken.add(python_name)
                unique_ops.append(op if python_name == op.python_name else replace(op, python_name=python_name))
            result.append(ir.Tag(name=name, module=module, resource_class=f"{base}Resource",
                                 async_resource_class=f"Async{base}Resource", attribute=module,
                                 description=descriptions.get(name, ""), operations=tuple(unique_ops),
                                 model_imports=self.imports(unique_ops),
                                 has_body=any(op.body for op in unique_ops),
                                 has_deprecated=any(op.deprecated for op in unique_ops)))
        return tuple(result)

    def imports(self, operations: list[ir.Operation]) -> tuple[str, ...]:
        used: set[str] = set()
        for op in operations:
            hints = [op.response.result_type, op.response.model or "", op.body.model if op.body else ""]
            hints += [p.type_hint for p in op.path_params + op.query_params + op.header_params]
            hints += [p.type_hint for v in op.variants for p in v.extra_params]
            for hint in hints:
                used.update(_IDENTIFIER.findall(hint))
        return tuple(sorted(name for name in used if name in self.models.classes))

    def client_class(self, title: str) -> str:
        name = self.settings.client_name or self.codegen.get("clientName") or title
        base = naming.pascal_case(str(name), fallback="Api")
        return base if base.endswith("Client") else base + "Client"

    def token_env_var(self) -> str | None:
        value = self.settings.token_env_var or self.codegen.get("tokenEnvVar")
        return str(value) if value else None

    def base_url(self) -> str:
        servers = self.doc.get("servers") or []
        if not servers or not isinstance(servers[0], dict) or not isinstance(servers[0].get("url"), str):
            return ""
        url: str = servers[0]["url"]
        for var, spec in (servers[0].get("variables") or {}).items():
            if isinstance(spec, dict) and "default" in spec:
                url = url.replace("{" + str(var) + "}", str(spec["default"]))
        return url.rstrip("/")


def _param_example(param: dict[str, Any], wire: str) -> str:
    schema = param.get("schema") if isinstance(param.get("schema"), dict) else {}
    for value in (param.get("example"), schema.get("example")):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    return f"my-{'-'.join(naming.words(wire)) or 'value'}"


def _first_example(media: dict[str, Any]) -> str | None:
    examples = media.get("examples")
    if isinstance(examples, dict) and examples:
        first = examples[sorted(examples)[0]]
        if isinstance(first, dict) and "value" in first:
            return json.dumps(first["value"], indent=2, ensure_ascii=False)
    if "example" in media:
        return json.dumps(media["example"], indent=2, ensure_ascii=False)
    return None


def build_ir(doc: dict[str, Any], models: ModelsModule, *, settings: Settings, file: str, sha256: str,
             diags: Diagnostics) -> ir.Api:
    api = _Builder(doc, models, settings, file, diags).build()
    return replace(api, spec_sha256=sha256)
