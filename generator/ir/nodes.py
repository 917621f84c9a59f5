"""The intermediate representation: plain frozen data, no behaviour.

Only ``build_ir`` creates these from the spec dict; templates read nothing else.
Every tuple is sorted, so two IRs from the same spec compare equal and
serialise to the same JSON (``--dump-ir``, snapshots, breaking-change checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..models.unenforced import Unenforced, UnenforcedGroup
from ..openapi.media import Encoding

Location = Literal["path", "query", "header", "cookie"]
CaseKind = Literal["json", "text", "binary", "empty"]
GroupKind = Literal["tag", "shared", "unreferenced"]
SchemeKind = Literal["bearer", "basic", "api_key"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    wire_name: str
    python_name: str
    location: Location
    required: bool
    type_hint: str
    description: str
    example: str  # a value for examples: the spec's, else derived from the wire name
    style: str  # OpenAPI serialisation style ("form", "simple", "deepObject", ...)
    explode: bool
    deprecated: bool = False
    # Only the last path parameter (the operation's own resource id) is positional; parent ids
    # are keyword-only, so two ids of one type can never be swapped silently.
    positional: bool = False
    # The schema as JSON, reduced to the keywords the testing fake checks (param_checks.py).
    schema_json: str = "{}"
    allow_reserved: bool = False  # query only: RFC 3986 reserved characters go unencoded
    example_json: str = '"value"'  # a value its schema accepts (the spec's, else built), as JSON


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldEncoding:
    """The spec's ``encoding`` entry for one property of a form or multipart body."""

    name: str  # the property's wire name
    content_type: str | None  # explicit ``contentType``
    style: str | None  # explicit ``style`` (or implied by an explicit ``explode``/``allowReserved``)
    explode: bool | None
    allow_reserved: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    content_type: str
    encoding: Encoding
    model: str | None  # class the body is validated into (structured encodings only)
    type_hint: str  # what the caller passes
    required: bool
    description: str
    example_json: str | None  # the spec's first example, as JSON
    fields: tuple[FieldEncoding, ...] = ()  # form and multipart only, sorted by name


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorCase:
    """A non-2xx status (``"404"``, ``"4XX"``, ``"default"``) whose body the spec declares as JSON."""

    status: str
    model: str | None  # the class its body parses into (a named schema), else None
    example_json: str | None = None  # the spec's example, for the testing fake's answers
    media_type: str = "application/json"


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvelopeMember:
    """The member of a response body the caller's value is taken from (``info.x-codegen.envelope``)."""

    wire_name: str  # "data"
    python_name: str  # the model's attribute for it


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseCase:
    """One success status and how its body becomes a Python value."""

    status: str  # "200", "201", "2XX"
    # The exact status that selects this case; None when it is chosen by elimination (a range such
    # as "2XX", or the operation's only case), which is why such cases come last.
    status_code: int | None
    kind: CaseKind
    model: str | None  # class parsed from JSON
    # What the caller gets out of the parsed model: the model itself, its ``.root`` (a RootModel),
    # or one member of an envelope.
    root: bool
    envelope: EnvelopeMember | None
    result_type: str
    description: str
    example_json: str | None
    media_type: str = ""  # the response's media type ("" for an empty body)
    # Other kinds the same status may answer with (its other media types): the client then
    # chooses by the response's Content-Type, and the result type is the union.
    also: tuple[CaseKind, ...] = ()
    synthesized: bool = False  # example_json was built from the schema (the spec gives none)


@dataclass(frozen=True, slots=True, kw_only=True)
class Variant:
    """Another path for the same operation, chosen when its extra params are given."""

    operation_id: str
    constant_name: str
    path: str
    extra_params: tuple[Param, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
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
    permission: str | None  # x-required-permission, when the description does not already say it
    path_params: tuple[Param, ...]  # in the path template's order
    query_params: tuple[Param, ...]
    header_params: tuple[Param, ...]
    cookie_params: tuple[Param, ...]
    body: Body | None
    responses: tuple[ResponseCase, ...]  # at least one; sorted by status
    result_type: str  # union of the cases' result types
    # Alternatives, each the scheme names it needs together; None: the API's default, (): none.
    security: tuple[tuple[str, ...], ...] | None
    variants: tuple[Variant, ...]
    # What an invalid request is answered with: the declared 422, else the declared 400, else 422
    # (as Stoplight Prism does); the testing fake answers so.
    invalid_request_status: int = 422
    accept: str = "application/json"  # the Accept header: the media types the responses declare
    errors: tuple[ErrorCase, ...] = ()  # declared error bodies, exact statuses first, then ranges, then default


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedOperation:
    """An operation of another tag (its first, its home) that the spec also lists under this one."""

    operation_id: str
    python_name: str  # the method's name under this tag (the home's, unless taken here)
    home_method: str
    home_module: str
    home_attribute: str  # client.<home_attribute>
    home_resource_class: str
    home_async_resource_class: str
    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Tag:
    name: str
    module: str  # api/<module>.py
    resource_class: str
    async_resource_class: str
    attribute: str  # client.<attribute>
    description: str
    operations: tuple[Operation, ...]  # those whose first tag this is
    shared_operations: tuple[SharedOperation, ...]  # those listed here after another tag
    home_imports: tuple[tuple[str, tuple[str, ...]], ...]  # (module, resource classes) of their homes
    model_imports: tuple[str, ...]  # classes the module imports from models.py
    type_imports: tuple[tuple[str, str], ...]  # (module, name) of other types its signatures use
    has_body: bool  # some operation validates a request body
    has_deprecated: bool  # some operation warns when called
    parses_json: bool  # some operation parses a JSON response into a model
    # client.<attribute>.with_raw_response (unique among the module's names; build.py sets them)
    raw_resource_class: str = ""
    async_raw_resource_class: str = ""
    fake_class: str = ""  # its class in testing.py
    fake_attribute: str = ""  # fake.<fake_attribute>: the attribute, unless the fake's own members take it
    # What its class in testing.py annotates with: each operation's result and body types.
    fake_model_imports: tuple[str, ...] = ()
    fake_type_imports: tuple[tuple[str, str], ...] = ()
    encoding_imports: tuple[str, ...] = ()  # what its Endpoints use from _encoding
    chooses_media: bool = False  # some response is parsed by its Content-Type (ResponseCase.also)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelGroup:
    """One module of a ``models`` package split by tag (see model_split.py)."""

    module: str  # models/<module>.py
    kind: GroupKind
    tag: str  # the tag whose operations alone use these models ("" unless kind is "tag")
    names: tuple[str, ...]  # classes and type aliases it defines, in source order
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (module, names), relative to the models package


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    name: str  # key in components.securitySchemes
    kind: SchemeKind
    location: Literal["header", "query", "cookie"]  # where an api_key goes; "header" otherwise
    parameter: str  # header/query/cookie name (api_key); "Authorization" otherwise
    # The client constructor's arguments for it (one; basic: user name and password), and the
    # environment variable each falls back to.
    arguments: tuple[str, ...] = ()
    env_vars: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
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
    models: tuple[str, ...]  # every class name the models module exports
    model_groups: tuple[ModelGroup, ...]  # empty: one models.py; otherwise a models/ package
    security_schemes: tuple[SecurityScheme, ...]
    default_security: tuple[tuple[str, ...], ...]  # requirement alternatives when an operation names none
    credential_args: tuple[str, ...]  # client constructor arguments the schemes need, e.g. ("token",)
    unenforced: tuple[Unenforced, ...] = ()  # sorted by pointer
    unenforced_groups: tuple[UnenforcedGroup, ...] = ()  # the same, by keyword, for the README
    fake_class: str = ""  # the fake API of testing.py
    fake_base_url: str = "https://api.invalid"  # where it serves: base_url made absolute
    # "<tag fake_attribute>.<method>" of the operation the README's testing examples use ("" without operations)
    testing_example: str = ""
