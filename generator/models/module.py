"""What the models stage hands on: the model source as definitions, and an index of its classes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..openapi.toolkit import component_ref

ClassKind = Literal["model", "root", "enum"]
Role = Literal["request", "response"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelField:
    python_name: str
    wire_name: str
    annotation: str  # the type a caller sees (``Annotated`` metadata stripped)
    required: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldKeyword:
    """A keyword of a field's ``Field(...)`` that limits its values or tells callers something.

    ``keyword`` is pydantic's: ``max_length``, ``min_length``, ``ge``, ``gt``,
    ``le``, ``lt``, ``multiple_of``, ``pattern``, ``deprecated``, and
    ``unique_items`` for the ``UniqueList`` the rewrite gives a ``uniqueItems`` array.
    """

    field: str  # the field's Python name (``root`` for a root model or a type alias)
    keyword: str
    value: str  # as JSON: ``52``, ``"^[a-z]+$"``, ``true``


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelClass:
    name: str
    kind: ClassKind
    fields: tuple[ModelField, ...]
    source: str = ""  # JSON pointer of the schema it was generated from, as the tool reported it
    values: tuple[str, ...] = ()  # an enum's member values as JSON (``"allow"``, ``16384``), in source order
    bases: tuple[str, ...] = ()  # its bases as the tool wrote them (``Pet``: a model inherits Pet's fields)
    keywords: tuple[FieldKeyword, ...] = ()  # by field, in source order


@dataclass(frozen=True, slots=True, kw_only=True)
class Definition:
    """One top-level definition: a class, a type alias with its docstring, or a rebuild.

    A rebuild (``Thing.model_rebuild()``, for forward references) defines
    nothing; ``name`` is the model it belongs to and ``defines`` is False.
    """

    name: str
    defines: bool
    text: str  # its source, edited, unformatted
    uses: frozenset[str]  # every name it mentions, quoted forward references included


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportFrom:
    """``from <module> import <names>`` in the models' header; ``module`` keeps its leading dots."""

    module: str
    names: tuple[str, ...]  # as written: ``date`` or ``date as date_aliased``
    binds: tuple[str, ...]  # the name each one binds

    def render(self) -> str:
        return f"from {self.module} import {', '.join(self.names)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelsModule:
    header: str  # the marker line
    imports: tuple[ImportFrom, ...]
    definitions: tuple[Definition, ...]
    classes: dict[str, ModelClass] = field(default_factory=dict)
    by_source: dict[str, tuple[str, ...]] = field(default_factory=dict)  # schema pointer -> its classes
    # component -> the component holding its request (response) shape, for readOnly/writeOnly schemas
    request_shapes: dict[str, str] = field(default_factory=dict)
    response_shapes: dict[str, str] = field(default_factory=dict)
    # False when the source holds a top-level statement the split cannot place (model_split keeps one module).
    splittable: bool = True
    # The root models and enums that became type aliases (``Tag = Annotated[str, Field(...)]``, a
    # ``Literal`` for an enum of mixed types), indexed like classes: public names too.
    aliases: dict[str, ModelClass] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """The whole module, unformatted (black runs later with the shared mode)."""
        head = "\n".join([self.header, "", *(i.render() for i in self.imports)])
        return "\n\n\n".join([head, *(d.text for d in self.definitions)]) + "\n"

    def class_for(
        self, component: str, *, kinds: tuple[ClassKind, ...] = ("model", "root", "enum"), role: Role = "request"
    ) -> str | None:
        """The class generated for ``components/schemas/<component>``, of one of ``kinds``.

        Found by the schema the tool says each class came from, never by
        guessing its naming. A schema with readOnly/writeOnly properties has a
        shape per direction; ``role`` picks one.
        """
        shapes = self.request_shapes if role == "request" else self.response_shapes
        ref = component_ref(shapes.get(component, component))
        return next((n for n in self.by_source.get(ref, ()) if self.classes[n].kind in kinds), None)

    def root_annotation(self, name: str) -> str | None:
        """The type a root model wraps, or None for ordinary models and enums."""
        model = self.classes.get(name)
        if model is None or model.kind != "root":
            return None
        return next((f.annotation for f in model.fields if f.python_name == "root"), None)
