"""Hand-made IR for the unit tests of generator/ir: the smallest valid node of each kind, fields overridable."""

from __future__ import annotations

from typing import Any

from generator.ir import nodes as ir


def param(wire: str, location: ir.Location = "query", **more: Any) -> ir.Param:
    values: dict[str, Any] = {
        "wire_name": wire,
        "python_name": wire.lower(),
        "location": location,
        "required": location == "path",
        "type_hint": "str",
        "description": "",
        "example": "x",
        "style": "simple" if location in ("path", "header") else "form",
        "explode": location not in ("path", "header"),
    }
    values.update(more)
    return ir.Param(**values)


def case(model: str | None = None, status: str = "200", result: str = "None") -> ir.ResponseCase:
    return ir.ResponseCase(
        status=status,
        status_code=None,
        kind="json" if model else "empty",
        model=model,
        root=False,
        envelope=None,
        result_type=result,
        description="",
        example_json=None,
    )


def op(op_id: str, path: str = "/a", method: str = "GET", **more: Any) -> ir.Operation:
    values: dict[str, Any] = {
        "operation_id": op_id,
        "python_name": op_id.lower(),
        "constant_name": "_" + op_id.upper(),
        "method": method,
        "path": path,
        "pointer": f"/paths/{path.replace('/', '~1')}/{method.lower()}",
        "summary": "",
        "description": "",
        "deprecated": False,
        "replaced_by": None,
        "idempotent": method != "POST",
        "permission": None,
        "path_params": (),
        "query_params": (),
        "header_params": (),
        "cookie_params": (),
        "body": None,
        "responses": (case(),),
        "result_type": "None",
        "security": None,
        "variants": (),
    }
    values.update(more)
    return ir.Operation(**values)


def tag(name: str, *operations: ir.Operation, model_imports: tuple[str, ...] = ()) -> ir.Tag:
    return ir.Tag(
        name=name,
        module=name,
        resource_class=name.title() + "Resource",
        async_resource_class="Async" + name.title() + "Resource",
        attribute=name,
        description="",
        operations=operations,
        shared_operations=(),
        home_imports=(),
        model_imports=model_imports,
        type_imports=(),
        has_body=False,
        has_deprecated=False,
        parses_json=False,
    )


def api(*tags: ir.Tag, package: str = "pkg") -> ir.Api:
    return ir.Api(
        title="T",
        version="1",
        description="",
        package=package,
        client_class="TClient",
        async_client_class="AsyncTClient",
        base_url="",
        token_env_var=None,
        spec_path="spec.yaml",
        spec_sha256="0",
        tags=tags,
        models=(),
        model_groups=(),
        security_schemes=(),
        default_security=(),
        credential_args=(),
    )
