"""Generate `models.py` by driving datamodel-code-generator in-process, every output option pinned.

The result is read back with `ast`, so the rest of the pipeline knows each
class and its fields by fact rather than by guessing the tool's naming.
"""

from __future__ import annotations

import ast
import hashlib
import json
import keyword
import re
import warnings
from dataclasses import dataclass
from typing import Any

from . import naming
from .cache import Cache, NoCache, json_key
from .diagnostics import Diagnostics
from .settings import TARGET_PYTHON

# datamodel-code-generator only accepts absolute import paths for the base
# class; we give it a placeholder and make the import relative afterwards, so
# the package still works when vendored under another parent package.
_PLACEHOLDER = "__generated_package__"
_ENUM_HEADER = re.compile(r"^class (\w+)\(((?:str|int|float), )?Enum\):$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ModelField:
    python_name: str
    wire_name: str
    annotation: str


@dataclass(frozen=True, slots=True)
class ModelClass:
    name: str
    kind: str  # "model" | "root" | "enum"
    fields: tuple[ModelField, ...]


@dataclass(frozen=True, slots=True)
class Definition:
    """One top-level definition of the models: a class, a type alias with its docstring, or a rebuild.

    A rebuild (``Thing.model_rebuild()``, for forward references) defines
    nothing; ``name`` is the model it belongs to and ``defines`` is False.
    """

    name: str
    defines: bool
    start: int  # first line, 0-based
    end: int  # one past its last line (up to the next top-level statement)
    uses: frozenset[str]  # every name it mentions, quoted forward references included


@dataclass(frozen=True, slots=True)
class ImportFrom:
    """``from <module> import <names>`` in the models' header; ``module`` keeps its leading dots."""

    module: str
    names: tuple[str, ...]  # as written: ``date`` or ``date as date_aliased``
    binds: tuple[str, ...]  # the name each one binds


@dataclass(frozen=True, slots=True)
class ModelsModule:
    source: str  # unformatted; black runs later with the shared mode
    classes: dict[str, ModelClass]
    # The module's structure, for splitting it per tag (model_split.py); empty when the
    # source holds a top-level statement other than imports, classes and aliases.
    imports: tuple[ImportFrom, ...] = ()
    definitions: tuple[Definition, ...] = ()

    def class_for(self, component: str, kinds: tuple[str, ...] = ("model", "root", "enum")) -> str | None:
        """The class generated for a component, of one of ``kinds``.

        Component names are canonical before generation (``normalize``), but
        the tool may still give the name to a class it invented for an inline
        schema (``Thing.kind`` → ``ThingKind``) and suffix the component's own
        class (``ThingKind1``); the kind tells them apart.
        """
        name = naming.pascal_case(component)
        candidates = [name] + [f"{name}{i}" for i in range(1, 10)]
        return next((c for c in candidates if c in self.classes and self.classes[c].kind in kinds), None)

    def root_annotation(self, name: str) -> str | None:
        """The type a root model wraps, or None for ordinary models and enums."""
        model = self.classes.get(name)
        if model is None or model.kind != "root":
            return None
        return next((f.annotation for f in model.fields if f.python_name == "root"), None)


def _options(header: str) -> dict[str, Any]:
    from datamodel_code_generator.enums import DataModelType, InputFileType, NamingStrategy, OpenAPIScope
    from datamodel_code_generator.format import PythonVersion

    return dict(
        input_file_type=InputFileType.OpenAPI,
        openapi_scopes=[OpenAPIScope.Schemas],
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion(f"{TARGET_PYTHON[0]}.{TARGET_PYTHON[1]}"),
        base_class=f"{_PLACEHOLDER}._models.ApiModel",
        custom_file_header=header,
        disable_timestamp=True,
        formatters=[],  # black runs once, in-process, on the whole file map
        naming_strategy=NamingStrategy.ParentPrefixed,
        custom_class_name_generator=naming.pascal_case,
        snake_case_field=True,
        capitalise_enum_members=True,
        use_subclass_enum=True,
        use_specialized_enum=False,
        set_default_enum_member=True,
        field_constraints=True,
        use_annotated=True,
        use_field_description=True,
        use_schema_description=True,
        use_standard_collections=True,
        use_union_operator=True,
        strict_nullable=True,
        collapse_root_models=True,
        use_title_as_name=False,
        keep_model_order=False,
        # Real annotations, not strings: pydantic would eval() every field's string at import
        # (~35% of importing the models). The tool already orders classes before their uses.
        disable_future_imports=True,
        treat_dot_as_module=False,  # `v1.Job` is a schema name, not a module path
    )


class _ToolFailed(Exception):
    """datamodel-code-generator could not build the models; the message says why."""


def generate_models(document: dict[str, Any], *, header: str, diags: Diagnostics, spec_file: str,
                    keep_root_models: frozenset[str] = frozenset(),
                    python_patterns: frozenset[str] = frozenset(), cache: Cache | None = None) -> ModelsModule | None:
    """Run datamodel-code-generator on the (bundled, normalised) document; cached by content."""
    if not (document.get("components") or {}).get("schemas"):
        return ModelsModule(source=header + "\n\nfrom __future__ import annotations\n", classes={})

    def compute() -> str:
        return _build_source(document, header, keep_root_models, python_patterns)

    def compute_with_warnings() -> str:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            source = compute()
        notes = sorted({str(w.message).splitlines()[0] for w in caught})
        return json.dumps({"source": source, "notes": notes})

    key = json_key([document, header, sorted(keep_root_models), sorted(python_patterns)])
    try:
        stored = json.loads((cache or NoCache()).get_or_compute("models", key, compute_with_warnings))
    except _ToolFailed as exc:
        diags.error(spec_file, "/components/schemas", "model-generation-failed",
                    f"datamodel-code-generator could not build the models: {exc}")
        return None
    for note in stored["notes"]:
        diags.warning(spec_file, "/components/schemas", "model-generator-note", f"datamodel-code-generator: {note}")
    raw = str(stored["source"])
    tree = ast.parse(raw)
    source = _mark_narrowed_overrides(raw, tree)
    imports, definitions = _read_structure(tree, source.count("\n") + 1)
    return ModelsModule(source=source, classes=_read_classes(tree), imports=imports, definitions=definitions)


def _build_source(document: dict[str, Any], header: str, keep_root_models: frozenset[str],
                  python_patterns: frozenset[str]) -> str:
    from datamodel_code_generator import generate

    try:
        source = generate(document, **_options(header), aliases=_non_ascii_field_names(document) or None)
    except Exception as exc:  # the tool raises many types; report, never crash
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _ToolFailed(first) from exc
    if not isinstance(source, str):
        raise _ToolFailed("it returned several modules; expected one")
    source = _escape_control_characters(source)
    source = _ascii_enum_members(_make_relative(_root_models_to_aliases(source, keep=keep_root_models)))
    if python_patterns:
        source = _use_python_regex(source, python_patterns)
    return source


# ``unused-ignore`` too: whether mypy accepts a narrowing (``str`` over
# ``str | None``) or refuses it (``list[Trip]`` over ``list[dict[str, Any]]``)
# is its own subtyping judgement, and --strict reports an ignore it did not need.
_OVERRIDE_IGNORE = "  # type: ignore[assignment, unused-ignore]"


def _mark_narrowed_overrides(source: str, tree: ast.Module) -> str:
    """Silence mypy where an allOf child redeclares an inherited field with another type.

    The schema says so on purpose (the child narrows the parent), pydantic
    validates the child's type, but mypy sees an incompatible override of the
    base class's attribute. ``tree`` is ``source`` parsed; only line ends
    change, so its line numbers stay right for the marked source.
    """
    inherited: dict[str, dict[str, ast.expr]] = {}  # class -> field -> annotation, own and its bases'
    lines = source.split("\n")
    marked: set[int] = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        from_bases: dict[str, ast.expr] = {}
        for base in reversed(node.bases):  # the first base wins, as in the MRO
            if isinstance(base, ast.Name):
                from_bases.update(inherited.get(base.id, {}))
        fields = dict(from_bases)
        for stmt in node.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            before = from_bases.get(stmt.target.id)
            # Only a one-line statement with nothing after it can take the comment safely.
            if (before is not None and stmt.end_lineno == stmt.lineno
                    and stmt.end_col_offset == len(lines[stmt.lineno - 1].rstrip())
                    and not _surely_accepted(_plain_type(stmt.annotation), _plain_type(before))):
                marked.add(stmt.lineno - 1)
            fields[stmt.target.id] = stmt.annotation
        inherited[node.name] = fields
    for index in marked:
        lines[index] = lines[index].rstrip() + _OVERRIDE_IGNORE
    return "\n".join(lines)


def _surely_accepted(child: str, parent: str) -> bool:
    """Whether mypy certainly accepts ``child`` overriding ``parent``, so no comment is needed.

    Each member of the child's union is one of the parent's, or a literal of a
    parent member's type (``Literal["cat"]`` over ``str``): the usual narrowing
    of a discriminator. Anything else gets the comment; ``unused-ignore`` covers
    the cases where mypy accepts it after all.
    """
    parents = {ast.unparse(m) for m in _union_members(ast.parse(parent, mode="eval").body)}
    for member in _union_members(ast.parse(child, mode="eval").body):
        if ast.unparse(member) in parents:
            continue
        if (isinstance(member, ast.Subscript) and ast.unparse(member.value) == "Literal"
                and _literal_types(member.slice) <= parents):
            continue
        return False
    return True


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def _literal_types(values: ast.expr) -> set[str]:
    """The builtin type of each value in ``Literal[...]``; ``{"?"}`` for anything but str and int."""
    found = values.elts if isinstance(values, ast.Tuple) else [values]
    return {type(v.value).__name__ if isinstance(v, ast.Constant) and type(v.value) in (str, int) else "?"
            for v in found}


_PRIMITIVES = frozenset({"str", "int", "float", "bool"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _escape_control_characters(source: str) -> str:
    """Escape raw control characters the tool leaves in docstrings.

    They are legal inside a string literal, but a raw CR ends a line for the
    tokenizer and a NUL makes the file unimportable. They can only occur in
    string literals here (the tool's code itself uses plain newlines), so the
    escape sequence has exactly the same value.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", source)


def _property_names(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            found.update(str(name) for name in props)
        for key, value in node.items():
            if key not in ("example", "examples", "default", "enum", "const"):
                _property_names(value, found)
    elif isinstance(node, list):
        for item in node:
            _property_names(item, found)


def _non_ascii_field_names(document: dict[str, Any]) -> dict[str, str]:
    """Field names for non-ASCII and soft-keyword property names (the tool keeps ``名前`` and ``match``).

    The tool applies this map to every model, so each name must be unique in
    the whole document: a folded name that could meet another gets a hash.
    """
    names: set[str] = set()
    _property_names((document.get("components") or {}).get("schemas"), names)
    ascii_fields = {naming.field_name(n) for n in names if n.isascii()}
    result: dict[str, str] = {}
    for name in sorted(n for n in names if not n.isascii() or keyword.issoftkeyword(n)):
        folded = naming.field_name(name)
        if folded in ascii_fields or folded in result.values() or folded == "field":
            folded = f"{folded}_{hashlib.sha256(name.encode()).hexdigest()[:6]}"
        result[name] = folded
    return result


def _ascii_enum_members(source: str) -> str:
    """Rename non-ASCII enum members (``名前 = "名前"``) to ASCII constants; values are untouched."""
    tree = ast.parse(source)
    renames: list[tuple[str, str, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not any("OpenEnum" in ast.unparse(b) for b in node.bases):
            continue
        members = [t.id for b in node.body if isinstance(b, ast.Assign) for t in b.targets if isinstance(t, ast.Name)]
        taken = {m for m in members if m.isascii()}
        for member in members:
            if member.isascii():
                continue
            new = naming.constant_case(member, fallback="value")
            if new == "VALUE" or new in taken:
                new = f"{new}_{hashlib.sha256(member.encode()).hexdigest()[:6].upper()}"
            taken.add(new)
            renames.append((node.name, member, new))
    for cls, old, new in renames:
        source = re.sub(rf"^(\s+){re.escape(old)} = ", rf"\g<1>{new} = ", source, count=1, flags=re.MULTILINE)
        source = re.sub(rf"\b{re.escape(cls)}\.{re.escape(old)}\b", f"{cls}.{new}", source)
    return source


def _without_root_model(match: re.Match[str]) -> str:
    names = [n for n in match.group(1).split(", ") if n != "RootModel"]
    return f"from pydantic import {', '.join(names)}\n" if names else ""


def _use_python_regex(source: str, python_patterns: frozenset[str]) -> str:
    """Switch the models that hold a Rust-incompatible pattern to Python's ``re`` engine.

    A pattern may sit in the class itself or in a type alias the class uses;
    both count. Everything else keeps pydantic's linear-time Rust engine.
    """
    tree = ast.parse(source)

    def holds_pattern(node: ast.AST) -> bool:
        return any(isinstance(c, ast.Constant) and c.value in python_patterns for c in ast.walk(node))

    aliases = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and holds_pattern(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    lines = source.split("\n")
    inserts: list[tuple[int, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        if not (holds_pattern(node) or names & aliases):
            continue
        body = node.body[1:] if isinstance(node.body[0], ast.Expr) else node.body
        config = next((b for b in body if isinstance(b, ast.Assign) and ast.unparse(b.targets[0]) == "model_config"), None)
        if config is not None and "regex_engine" in ast.unparse(config.value):
            continue  # datamodel-code-generator chose the engine itself (it spots lookarounds)
        if config is not None:
            line = config.lineno - 1
            lines[line] = lines[line].replace("ConfigDict(", 'ConfigDict(regex_engine="python-re", ', 1)
        else:
            inserts.append((body[0].lineno - 1, '    model_config = ConfigDict(regex_engine="python-re")'))
    for index, text in sorted(inserts, reverse=True):
        lines.insert(index, text)
    result = "\n".join(lines)
    if inserts and not re.search(r"^from pydantic import .*\bConfigDict\b", result, flags=re.MULTILINE):
        result = re.sub(r"^from pydantic import (.*)$", r"from pydantic import ConfigDict, \1", result, count=1,
                        flags=re.MULTILINE)
    return result


def _root_models_to_aliases(source: str, *, keep: frozenset[str]) -> str:
    """Turn ``class Tag(RootModel[str]): root: Annotated[str, Field(...)]`` into ``Tag = Annotated[...]``.

    The tool wraps constrained strings in lists and unions in root models, so
    users would have to write ``job.tags[0].root``; a type alias keeps every
    constraint and lets the value be a plain ``str``.
    """
    tree = ast.parse(source)
    lines = source.split("\n")
    replacements: list[tuple[int, int, list[str]]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or len(node.bases) != 1 or node.name in keep:
            continue
        base = node.bases[0]
        if not (isinstance(base, ast.Subscript) and ast.unparse(base.value) == "RootModel"
                and ast.unparse(base.slice) in _PRIMITIVES):
            continue
        docs = [b.value.value for b in node.body
                if isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str)]
        fields = [b for b in node.body if not isinstance(b, ast.Expr)]
        if len(fields) != 1 or not isinstance(fields[0], ast.AnnAssign) or fields[0].value is not None:
            continue
        new = [f"{node.name} = {ast.unparse(fields[0].annotation)}"]
        if docs:
            new.append('"""' + "\n\n".join(d.strip() for d in docs).replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '\n"""')
        replacements.append((node.lineno - 1, node.end_lineno or node.lineno, new))
    for start, end, new in reversed(replacements):
        lines[start:end] = new
    result = "\n".join(lines)
    # Remaining root models (lists, unions) share ApiModel's regex engine through ApiRootModel.
    result = re.sub(r"\(RootModel\[", "(ApiRootModel[", result)
    if "RootModel[" not in result.replace("ApiRootModel[", ""):
        result = re.sub(r"^from pydantic import (.*)\n", _without_root_model, result, count=1, flags=re.MULTILINE)
    return result


_OUR_BASES = ("ApiModel", "ApiRootModel", "OpenEnum")


def _make_relative(source: str) -> str:
    """Open enums (tolerant of unknown response values) and one relative import of our bases.

    The import is rebuilt from what the module really uses, so it is right
    whatever the earlier rewrites removed or added (and the package still
    works when vendored under another parent package).
    """
    source = _ENUM_HEADER.sub(lambda m: f"class {m.group(1)}({m.group(2) or ''}OpenEnum):", source)
    source = re.sub(rf"^from {_PLACEHOLDER}\._models import .*\n", "", source, flags=re.MULTILINE)
    used = [name for name in _OUR_BASES if re.search(rf"\b{name}\b", source)]
    if used:
        # After the tool's own imports: local imports come last.
        body = re.search(r"^(?:class |@|\w+ = )", source, flags=re.MULTILINE)
        head = source[: body.start()] if body else source
        imports = list(re.finditer(r"^(?:from \S+ import .*|import .*)\n", head, flags=re.MULTILINE))
        at = imports[-1].end() if imports else 0
        source = source[:at] + f"from ._models import {', '.join(used)}\n" + source[at:]
    if not re.search(r"\bEnum\b", _strip_import(source, "enum")):
        source = re.sub(r"^from enum import Enum\n", "", source, flags=re.MULTILINE)
    return source


def _strip_import(source: str, module: str) -> str:
    return re.sub(rf"^from {module} import .*$", "", source, flags=re.MULTILINE)


class _StripAnnotated(ast.NodeTransformer):
    """``Annotated[X, Field(...)]`` → ``X``: the type a caller sees, without validation metadata."""

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if ast.unparse(node.value) == "Annotated":
            inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            result: ast.AST = self.visit(inner)
            return result
        return self.generic_visit(node)


def _plain_type(annotation: ast.expr) -> str:
    return ast.unparse(_StripAnnotated().visit(annotation))


def _read_structure(tree: ast.Module, line_count: int) -> tuple[tuple[ImportFrom, ...], tuple[Definition, ...]]:
    """The header's imports and each definition's lines and names; ``((), ())`` for anything else."""
    imports: list[ImportFrom] = []
    groups: list[tuple[str, bool, list[ast.stmt]]] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and not groups:
            imports.append(ImportFrom("." * node.level + (node.module or ""),
                                      tuple(a.name + (f" as {a.asname}" if a.asname else "") for a in node.names),
                                      tuple(a.asname or a.name for a in node.names)))
        elif isinstance(node, ast.ClassDef):
            groups.append((node.name, True, [node]))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            groups.append((node.targets[0].id, True, [node]))
        elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
              and groups and isinstance(groups[-1][2][-1], ast.Assign)):
            groups[-1][2].append(node)  # an alias's docstring
        elif (rebuilt := _rebuilt_model(node)) is not None:
            groups.append((rebuilt, False, [node]))
        else:
            return (), ()
    starts = [_first_line(nodes[0]) for _, _, nodes in groups] + [line_count]
    definitions = tuple(
        Definition(name, defines, start, end, frozenset(_mentions(nodes)))
        for (name, defines, nodes), start, end in zip(groups, starts, starts[1:])
    )
    return tuple(imports), definitions


def _rebuilt_model(node: ast.stmt) -> str | None:
    """``Thing`` for the statement ``Thing.model_rebuild()``."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and not node.value.args
            and not node.value.keywords):
        return None
    func = node.value.func
    if isinstance(func, ast.Attribute) and func.attr == "model_rebuild" and isinstance(func.value, ast.Name):
        return func.value.id
    return None


def _first_line(node: ast.stmt) -> int:
    decorators = node.decorator_list if isinstance(node, ast.ClassDef) else []
    return min([node.lineno, *(d.lineno for d in decorators)]) - 1


def _mentions(nodes: list[ast.stmt]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                found.add(sub.id)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.isidentifier():
                found.add(sub.value)  # a forward reference, or text that only looks like one (harmless)
    return found


def _read_classes(tree: ast.Module) -> dict[str, ModelClass]:
    classes: dict[str, ModelClass] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(b) for b in node.bases}
        kind = "enum" if "OpenEnum" in bases else "root" if any("RootModel[" in b for b in bases) else "model"
        fields: list[ModelField] = []
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                annotation = stmt.annotation
                wire = stmt.target.id
                if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
                    elts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
                    annotation = elts[0]
                    for meta in elts[1:]:
                        if isinstance(meta, ast.Call):
                            for kw in meta.keywords:
                                if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                                    wire = str(kw.value.value)
                fields.append(ModelField(stmt.target.id, wire, _plain_type(annotation)))
        classes[node.name] = ModelClass(node.name, kind, tuple(fields))
    return classes
