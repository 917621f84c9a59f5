"""Build the IR from the bundled, normalised spec dict: the only reader of the spec's operations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .. import naming
from ..diagnostics import Diagnostics
from ..models import ModelsModule
from ..models.unenforced import Unenforced, grouped
from ..openapi.toolkit import HTTP_METHODS, as_dict, as_list
from ..settings import Settings
from . import model_split
from . import nodes as ir
from .client import ClientReader, credential_args
from .names import RawOperation, method_name, plan_names, raw_operations
from .operation import OperationBuilder
from .testing import FAKE_MEMBERS, testing_example

Tags = tuple[str, ...]  # an operation's tags, its home first

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')  # Literal members: text, not names to import
# Types the model generator uses that a result or parameter type can mention.
_TYPE_MODULES = {
    "UUID": "uuid",
    "date": "datetime",
    "datetime": "datetime",
    "time": "datetime",
    "timedelta": "datetime",
    "Decimal": "decimal",
    "Literal": "typing",
    "AnyUrl": "pydantic",
    "AwareDatetime": "pydantic",
    "NaiveDatetime": "pydantic",
    "EmailStr": "pydantic",
    "Base64Str": "pydantic",
    "IPv4Address": "ipaddress",
    "IPv6Address": "ipaddress",
    "Path": "pathlib",
}


class _ApiBuilder:
    def __init__(self, doc: dict[str, Any], models: ModelsModule, settings: Settings, file: str, diags: Diagnostics):
        self.doc = doc
        self.models = models
        self.settings = settings
        self.file = file
        self.diags = diags
        info = as_dict(doc.get("info"))
        self.codegen: dict[str, Any] = as_dict(info.get("x-codegen"))
        envelope = self.codegen.get("envelope")
        self.operations = OperationBuilder(doc, models, file, diags, envelope if isinstance(envelope, str) else None)
        self.client = ClientReader(doc, settings, file, diags)

    def build(self, sha256: str, unenforced: tuple[Unenforced, ...]) -> ir.Api:
        info = as_dict(self.doc.get("info"))
        title = str(info.get("title") or "API")
        package = self.client.package(title)
        schemes = self.client.security_schemes(package)
        self.operations.known_schemes = {s.name for s in schemes}
        operations = self.operations_by_id()
        client_class = self.client.client_class(title)
        api_tags = self.tags(operations)
        taken = set(self.models.classes) | naming.TESTING_NAMES | {tag.fake_class for tag in api_tags}
        return ir.Api(
            title=title,
            version=str(info.get("version") or ""),
            description=str(info.get("description") or "").strip(),
            package=package,
            client_class=client_class,
            async_client_class="Async" + client_class,
            base_url=self.client.base_url(),
            token_env_var=self.client.token_env_var(),
            spec_path=self.file,
            spec_sha256=sha256,
            tags=api_tags,
            models=tuple(sorted(self.models.classes)),
            model_groups=model_split.plan(self.models, api_tags),
            security_schemes=schemes,
            default_security=self.client.default_security({s.name for s in schemes}),
            credential_args=credential_args(schemes),
            unenforced=unenforced,
            unenforced_groups=grouped(unenforced),
            fake_class=naming.unique("Fake" + (client_class.removesuffix("Client") or "Api"), taken),
            fake_base_url=_absolute(self.client.base_url()),
            testing_example=testing_example(api_tags),
        )

    def operations_by_id(self) -> dict[str, tuple[ir.Operation, Tags]]:
        """Every operation that is not a variant of another, with its variants folded in, by id."""
        raws = raw_operations(self.doc)
        names = plan_names(raws)
        first: dict[str, RawOperation] = {}
        for raw in raws:
            if raw.operation_id in first:
                self.diags.error(
                    self.file,
                    raw.pointer + "/operationId",
                    "duplicate-operation-id",
                    f"operationId {raw.operation_id!r} is also used at "
                    f"{first[raw.operation_id].pointer}; make each operationId unique",
                )
                continue
            first[raw.operation_id] = raw
        for raw in first.values():
            if raw.variant_of is not None and raw.variant_of not in first:
                self.diags.error(
                    self.file,
                    raw.pointer + "/x-codegen-variant-of",
                    "unknown-variant-target",
                    f"x-codegen-variant-of names {raw.variant_of!r}, which is not an operationId in this spec",
                )
        variants_of: dict[str, list[RawOperation]] = {}
        for _, raw in sorted(first.items()):
            if raw.variant_of is not None:
                variants_of.setdefault(raw.variant_of, []).append(raw)
        result: dict[str, tuple[ir.Operation, Tags]] = {}
        for op_id, raw in first.items():
            if raw.variant_of is not None:
                continue
            replaced_by = raw.spec.get("x-codegen-replaced-by")
            if isinstance(replaced_by, str) and replaced_by in names:
                replaced_by = names[replaced_by].python_name
            op = self.operations.build(raw, names[op_id], replaced_by if isinstance(replaced_by, str) else None, ())
            if op is None:
                continue
            variants = tuple(
                self.operations.variant(variant, names[variant.operation_id], op)
                for variant in variants_of.get(op_id, ())
            )
            result[op_id] = (replace(op, variants=variants), raw.tags)
        return result

    def tags(self, operations: dict[str, tuple[ir.Operation, Tags]]) -> tuple[ir.Tag, ...]:
        """One resource per tag; an operation lives under its first tag and is shared by the others."""
        declared = as_list(self.doc.get("tags"))
        descriptions = {str(t.get("name")): str(t.get("description") or "") for t in declared if isinstance(t, dict)}
        grouped: dict[str, list[ir.Operation]] = {}
        shared_by: dict[str, list[tuple[str, str]]] = {}  # tag -> (operation id, home tag)
        for op, tags in operations.values():
            grouped.setdefault(tags[0], []).append(op)
            for other in tags[1:]:
                shared_by.setdefault(other, []).append((op.operation_id, tags[0]))
        modules: set[str] = set(_CLIENT_ATTRIBUTES)
        classes: set[str] = set(self.models.classes)
        names: dict[str, tuple[str, str, str, str]] = {}
        raw_names: dict[str, tuple[str, str]] = {}
        for name in sorted(grouped.keys() | shared_by.keys()):
            module = naming.unique(naming.module_name(name), modules)
            modules.add(module)
            base = naming.pascal_case(module, fallback="Default")
            resource = naming.unique(f"{base}Resource", classes)
            async_resource = naming.unique(f"Async{resource}", classes | {resource})
            classes.update({resource, async_resource})
            raw = naming.unique(f"{resource}WithRawResponse", classes)
            async_raw = naming.unique(f"{async_resource}WithRawResponse", classes | {raw})
            classes.update({raw, async_raw})
            fake = naming.unique(f"Fake{base}", classes | naming.TESTING_NAMES)
            classes.add(fake)
            names[name] = (module, resource, async_resource, fake)
            raw_names[name] = (raw, async_raw)
        homes: dict[str, tuple[ir.Operation, ...]] = {
            name: tuple(sorted(ops, key=lambda o: (o.path, HTTP_METHODS.index(o.method.lower()))))
            for name, ops in grouped.items()
        }
        by_id = {op.operation_id: (tag, op) for tag, ops in homes.items() for op in ops}
        result: list[ir.Tag] = []
        for name in sorted(names):
            module, resource, async_resource, fake = names[name]
            ops = homes.get(name, ())
            taken = {op.python_name for op in ops}
            shared: list[ir.SharedOperation] = []
            for op_id, home in sorted(shared_by.get(name, []), key=lambda s: by_id[s[0]][1].python_name):
                home_op = by_id[op_id][1]
                home_module, home_resource, home_async, _ = names[home]
                method = method_name(home_op.python_name, taken)
                taken.add(method)
                shared.append(
                    ir.SharedOperation(
                        operation_id=op_id,
                        python_name=method,
                        home_method=home_op.python_name,
                        home_module=home_module,
                        home_attribute=home_module,
                        home_resource_class=home_resource,
                        home_async_resource_class=home_async,
                        summary=home_op.summary,
                    )
                )
            used, facade = self._names_used(list(ops)), _facade_names(ops)
            result.append(
                ir.Tag(
                    name=name,
                    module=module,
                    resource_class=resource,
                    async_resource_class=async_resource,
                    raw_resource_class=raw_names[name][0],
                    async_raw_resource_class=raw_names[name][1],
                    attribute=module,
                    description=descriptions.get(name, ""),
                    operations=ops,
                    shared_operations=tuple(shared),
                    home_imports=_home_imports(shared),
                    model_imports=self.imports(used),
                    type_imports=self.type_imports(used),
                    has_body=any(op.body and op.body.model for op in ops),
                    has_deprecated=any(op.deprecated for op in ops),
                    parses_json=any(case.model for op in ops for case in op.responses),
                    fake_class=fake,
                    fake_attribute=naming.unique(module, FAKE_MEMBERS),
                    fake_model_imports=self.imports(facade),
                    # testing.py imports nothing from typing by itself; an `Any` result needs it.
                    fake_type_imports=self.type_imports(facade) + ((("typing", "Any"),) if "Any" in facade else ()),
                    encoding_imports=_encoding_imports(ops),
                    chooses_media=any(case.also for op in ops for case in op.responses),
                )
            )
        return tuple(result)

    def _names_used(self, operations: list[ir.Operation]) -> set[str]:
        used: set[str] = set()
        for op in operations:
            hints = [op.result_type, op.body.type_hint if op.body else ""]
            hints += [case.model or "" for case in op.responses]
            hints += [case.model for case in op.errors if case.model]
            hints += [p.type_hint for p in op.path_params + op.query_params + op.header_params + op.cookie_params]
            hints += [p.type_hint for v in op.variants for p in v.extra_params]
            for hint in hints:
                used.update(_IDENTIFIER.findall(_STRINGS.sub("", hint)))
        return used

    def imports(self, used: set[str]) -> tuple[str, ...]:
        """The models' public names among ``used``: classes, and the type aliases a root model's
        annotation can name (``list[IndexName]``)."""
        return tuple(sorted(name for name in used if name in self.models.classes or name in self.models.aliases))

    def type_imports(self, used: set[str]) -> tuple[tuple[str, str], ...]:
        other = used - set(self.models.classes) - set(self.models.aliases)
        return tuple(sorted((_TYPE_MODULES[name], name) for name in other if name in _TYPE_MODULES))


def _absolute(url: str) -> str:
    """An absolute URL for a server URL that may be relative (``/api``) or protocol-relative."""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    return "https://api.invalid" + ("" if not url or url.startswith("/") else "/") + url


def _encoding_imports(operations: Iterable[ir.Operation]) -> tuple[str, ...]:
    names: set[str] = set()
    for op in operations:
        if op.path_params or op.query_params or op.header_params or op.cookie_params or op.variants:
            names.add("ParamEncoding")
        if op.body is not None and op.body.fields:
            names.add("FieldEncoding")
    return tuple(sorted(names))


def _facade_names(operations: Iterable[ir.Operation]) -> set[str]:
    """The names testing.py's typed handles use: ``FakeOperation[<result>, <body>]``."""
    used: set[str] = set()
    for op in operations:
        used.update(_IDENTIFIER.findall(op.result_type))
        if op.body is not None:
            used.update(_IDENTIFIER.findall(op.body.model or op.body.type_hint))
    return used


# Attributes of the generated client classes; a tag may not take one of these names.
_CLIENT_ATTRIBUTES = frozenset(
    {
        "api",
        "errors",
        "models",
        "request",
        "raw_request",
        "close",
        "aclose",
        "base_url",
        "timeout",
        "retry",
        "default_headers",
        "default_base_url",
        "token_env_var",
        "user_agent",
        "logger_name",
        "security_schemes",
        "default_security",
    }
)


def _home_imports(shared: list[ir.SharedOperation]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found: dict[str, set[str]] = {}
    for op in shared:
        found.setdefault(op.home_module, set()).update({op.home_resource_class, op.home_async_resource_class})
    return tuple((module, tuple(sorted(names))) for module, names in sorted(found.items()))


def build_ir(
    doc: dict[str, Any],
    models: ModelsModule,
    *,
    settings: Settings,
    file: str,
    sha256: str,
    diags: Diagnostics,
    unenforced: tuple[Unenforced, ...] = (),
) -> ir.Api:
    return _ApiBuilder(doc, models, settings, file, diags).build(sha256, unenforced)
