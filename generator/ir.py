"""The intermediate representation: plain frozen data, no behaviour.

Only ``build_ir`` creates these from the spec dict; templates read nothing else.
Every tuple is sorted, so two IRs from the same spec compare equal and
serialise to the same JSON (``--dump-ir``, snapshots, breaking-change checks).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Param:
    wire_name: str
    python_name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    type_hint: str
    description: str
    example: str  # a value for examples: the spec's, else the wire name
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Body:
    model: str  # class name in models.py
    schema_name: str  # component the model was generated from
    required: bool
    content_type: str
    description: str
    example_json: str | None  # the spec's first example, as canonical JSON


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "204", "2XX"
    model: str | None  # None for an empty body
    result_type: str  # what the function returns to the caller
    unwrap: str | None  # envelope property returned instead of the whole body
    description: str
    example_json: str | None


@dataclass(frozen=True, slots=True)
class Variant:
    """Another path for the same operation, chosen when its extra params are given."""

    operation_id: str
    constant_name: str
    path: str
    extra_params: tuple[Param, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    python_name: str
    constant_name: str  # module-level Endpoint constant
    method: str
    path: str
    pointer: str  # JSON pointer of the operation in the spec
    summary: str
    description: str
    deprecated: bool
    replaced_by: str | None  # python name of the operation to use instead
    idempotent: bool
    permission: str | None
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    header_params: tuple[Param, ...]
    body: Body | None
    response: Response
    variants: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    module: str  # api/<module>.py
    resource_class: str
    async_resource_class: str
    attribute: str  # client.<attribute>
    description: str
    operations: tuple[Operation, ...]
    model_imports: tuple[str, ...]  # classes the module imports from models.py
    has_body: bool  # some operation validates a request body
    has_deprecated: bool  # some operation warns when called


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str
    description: str
    package: str
    client_class: str
    async_client_class: str
    base_url: str
    token_env_var: str | None
    spec_path: str  # as given, relative, for provenance lines
    spec_sha256: str
    tags: tuple[Tag, ...]
    models: tuple[str, ...]  # every class name models.py exports
