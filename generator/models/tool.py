"""Run datamodel-code-generator in-process with every output-shaping option pinned.

The tool reports, beside the source, which schema each class came from and
each class's fields (``emit_model_metadata``); the rest of the stage reads
classes from that report, never from guesses about the tool's naming.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import naming
from ..settings import TARGET_PYTHON

# datamodel-code-generator only accepts absolute import paths for the base
# class; the placeholder's import is rebuilt as a relative one (rewrite.py), so
# the package still works when vendored under another parent package.
PLACEHOLDER = "__generated_package__"


class ToolFailed(Exception):
    """datamodel-code-generator could not build the models; the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolField:
    name: str
    alias: str
    required: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolClass:
    name: str
    source: str  # JSON pointer of the schema, as the tool reports it (``#/components/schemas/Job``)
    fields: tuple[ToolField, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolOutput:
    source: str
    classes: tuple[ToolClass, ...]
    notes: tuple[str, ...]  # the tool's warnings, one line each

    def to_json(self) -> str:
        return json.dumps(
            {
                "source": self.source,
                "classes": [
                    [c.name, c.source, [[f.name, f.alias, f.required] for f in c.fields]] for c in self.classes
                ],
                "notes": list(self.notes),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> ToolOutput:
        data = json.loads(text)
        classes = tuple(
            ToolClass(
                name=name, source=source, fields=tuple(ToolField(name=n, alias=a, required=r) for n, a, r in fields)
            )
            for name, source, fields in data["classes"]
        )
        return cls(source=data["source"], classes=classes, notes=tuple(data["notes"]))


def options(header: str) -> dict[str, Any]:
    """Every option that shapes the output; nothing is left to the tool's defaults or pyproject discovery."""
    from datamodel_code_generator.enums import DataModelType, InputFileType, NamingStrategy, OpenAPIScope
    from datamodel_code_generator.format import PythonVersion

    return {
        "input_file_type": InputFileType.OpenAPI,
        "openapi_scopes": [OpenAPIScope.Schemas],
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion(f"{TARGET_PYTHON[0]}.{TARGET_PYTHON[1]}"),
        "target_pydantic_version": "2.14",
        "base_class": f"{PLACEHOLDER}._models.ApiModel",
        "custom_file_header": header,
        "disable_timestamp": True,
        "formatters": [],  # black runs once, in-process, on the whole file map
        "naming_strategy": NamingStrategy.ParentPrefixed,
        "custom_class_name_generator": naming.pascal_case,
        "snake_case_field": True,
        "capitalise_enum_members": True,
        "use_subclass_enum": True,
        "use_specialized_enum": False,
        "set_default_enum_member": True,
        "field_constraints": True,
        "use_annotated": True,
        "use_field_description": True,
        "use_schema_description": True,
        "use_standard_collections": True,
        "use_union_operator": True,
        "strict_nullable": True,
        "collapse_root_models": True,
        "use_title_as_name": False,
        "keep_model_order": False,
        # Real annotations, not strings: pydantic would eval() every field's string at import
        # (~35% of importing the models). The tool already orders classes before their uses.
        "disable_future_imports": True,
        "treat_dot_as_module": False,  # `v1.Job` is a schema name, not a module path
        # The client's contract (docs/design.md): an absent field is MISSING rather than None
        # (None only where the schema allows null). No coercion comes from ApiModel's strict
        # config, readOnly/writeOnly shapes from prepare, uniqueItems from rewrite (the tool's
        # own set[...] drops the items' constraints and the array's order).
        "use_missing_sentinel": True,
    }


# What the tool reads of a document's top level in its Schemas scope (``options``): the version and
# dialect, and the components. Anything else would only be hashed into each run's cache key and
# handed to the tool for nothing (GitHub's spec: 0.6 MB of webhooks and 2 MB of paths, per group).
_READ = ("openapi", "jsonSchemaDialect")


def tool_document(document: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """The document the tool is given: ``document``'s version and dialect, no paths, ``components``."""
    return {**{key: document[key] for key in _READ if key in document}, "paths": {}, "components": components}


_WARM_UP = {
    "openapi": "3.1.0",
    "info": {"title": "warm-up", "version": "1"},
    "paths": {},
    "components": {"schemas": {"Warm": {"type": "object", "properties": {"up": {"type": "string"}}}}},
}


def warm() -> None:
    """Pay the tool's one-time costs (its imports and first use: about 0.4 s, on a small spec the
    most of a run) on a one-schema document, so a process can do so before its spec is read."""
    run_tool(_WARM_UP, header="", aliases={})


def run_tool(
    document: dict[str, Any], *, header: str, aliases: dict[str, str], overrides: dict[str, str] | None = None
) -> ToolOutput:
    """The tool's source, class report and warnings for ``document`` (prepared by ``prepare``);
    ``overrides`` maps schemas the tool imports instead of generating to their import paths."""
    from datamodel_code_generator import generate

    fd, metadata_path = tempfile.mkstemp(prefix="dmcg-", suffix=".json")
    os.close(fd)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                source = generate(
                    document,
                    **options(header),
                    aliases=aliases or None,
                    type_overrides=overrides or None,
                    emit_model_metadata=Path(metadata_path),
                )
            except Exception as exc:  # the tool raises many types; report, never crash
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ToolFailed(first) from exc
        with open(metadata_path, encoding="utf-8") as handle:
            report = json.load(handle)
    finally:
        os.unlink(metadata_path)
    if not isinstance(source, str):
        raise ToolFailed("it returned several modules; expected one")
    classes = tuple(
        ToolClass(
            name=str(m["class_name"]),
            source=str(m["source_ref"]),
            fields=tuple(
                ToolField(name=str(f["name"]), alias=str(f.get("alias") or f["name"]), required=bool(f.get("required")))
                for f in m.get("fields") or ()
            ),
        )
        for m in report.get("models") or ()
    )
    notes = tuple(sorted({str(w.message).splitlines()[0] for w in caught}))
    return ToolOutput(source=source, classes=classes, notes=notes)
