"""How one Python type relates to another: the same values, fewer (narrowed), more (widened), or neither.

`breaking` judges every type change by this, in the direction the values
travel: a request type that accepts fewer values breaks callers who send the
others; a response type that can hold more values breaks callers who read it.

A type is a union of members; a member is accepted by another when every value
of it is a value of the other: equal spellings, ``Any``, ``int`` in ``float``,
a ``Literal`` value or a ``str``/``int`` enum in its scalar, ``UniqueList`` in
``list``, ``list`` in ``Sequence``, ``dict`` in ``Mapping`` (containers
element by element, ignoring invariance). Type aliases of the models
(``Tag = Annotated[str, Field(max_length=39)]``) are expanded with their
limits: a member with limits is accepted by one whose limits it implies.
``MISSING`` is left out: whether a field is required is judged on its own.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from ..models import FieldKeyword, ModelsModule
from ..pyast import union_operands

Verdict = Literal["compatible", "narrowed", "widened", "changed", "became-nullable", "became-not-nullable"]
Effect = Literal["narrowed", "widened", "changed"]  # what a change does to the values a type accepts

UPPER = frozenset({"max_length", "le", "lt"})
LOWER = frozenset({"min_length", "ge", "gt"})
LIMITS = UPPER | LOWER | {"multiple_of", "pattern", "unique_items"}
_ORIGINS = {("list", "UniqueList"), ("Sequence", "list"), ("Sequence", "UniqueList"), ("Mapping", "dict")}
_ARRAYS = frozenset({"list", "UniqueList", "Sequence", "tuple", "set", "frozenset"})
Limits = frozenset[tuple[str, str]]  # (keyword, JSON value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Types:
    """What judging needs of one version's models: enum values and type aliases."""

    enums: Mapping[str, tuple[str, ...]]  # enum name -> its values as JSON
    aliases: Mapping[str, tuple[str, Limits]]  # alias name -> (the type it names, its limits)

    @classmethod
    def of(cls, models: ModelsModule) -> Types:
        every = {**models.aliases, **models.classes}
        enums = {name: c.values for name, c in every.items() if c.kind == "enum"}
        aliases = {
            name: (c.fields[0].annotation, limits(k for k in c.keywords if k.field == "root"))
            for name, c in models.aliases.items()
            if c.kind == "root" and c.fields
        }
        return cls(enums=enums, aliases=aliases)


def limits(keywords: Iterable[FieldKeyword]) -> Limits:
    return frozenset((k.keyword, k.value) for k in keywords if k.keyword in LIMITS)


def without_missing(annotation: str) -> str:
    """The annotation without its ``MISSING`` member (``str | MISSING`` → ``str``)."""
    try:
        members = union_operands(ast.parse(annotation, mode="eval").body)
    except SyntaxError:
        return annotation
    kept = [m for m in members if not (isinstance(m, ast.Name) and m.id == "MISSING")]
    return " | ".join(ast.unparse(m) for m in kept) if kept else "MISSING"


def is_array(annotation: str) -> bool:
    """Whether the type is an array (its length limits are minItems/maxItems, not minLength/maxLength)."""
    try:
        node = ast.parse(without_missing(annotation), mode="eval").body
    except SyntaxError:
        return False
    members = [m for m in union_operands(node) if not (isinstance(m, ast.Constant) and m.value is None)]
    return bool(members) and all(
        isinstance(m, ast.Subscript) and isinstance(m.value, ast.Name) and m.value.id in _ARRAYS for m in members
    )


def judge(
    old: str,
    new: str,
    old_types: Types,
    new_types: Types,
    old_limits: Limits = frozenset(),
    new_limits: Limits = frozenset(),
) -> Verdict | None:
    """How ``new`` relates to ``old``; None when they are spelled alike and limited alike."""
    if old == new and old_limits == new_limits:
        return None
    before = _members_of(old, old_types, old_limits)
    after = _members_of(new, new_types, new_limits)
    if _has_none(before) != _has_none(after):
        rest_before, rest_after = _drop_none(before), _drop_none(after)
        if _covers(rest_after, rest_before, new_types, old_types) and _covers(
            rest_before, rest_after, old_types, new_types
        ):
            return "became-nullable" if _has_none(after) else "became-not-nullable"
    wider = _covers(after, before, new_types, old_types)  # every old value is a new one
    narrower = _covers(before, after, old_types, new_types)
    if wider and narrower:
        return "compatible"
    return "widened" if wider else "narrowed" if narrower else "changed"


def limit_change(keyword: str, old: str | None, new: str | None) -> str | None:
    """How one limit changed: ``set``, ``unset``, ``increased``, ``decreased`` (``added``, ``removed``,
    ``changed`` for a pattern; ``changed`` for ``multiple_of``); None when it did not."""
    if old == new:
        return None
    if keyword == "pattern":
        return "added" if old is None else "removed" if new is None else "changed"
    if old is None:
        return "set"
    if new is None:
        return "unset"
    before, after = _number(old), _number(new)
    if before == after:
        return None
    if keyword == "multiple_of":
        return "changed"
    return "increased" if after > before else "decreased"


# --- members ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Member:
    node: ast.expr
    text: str
    limits: Limits


def _members_of(annotation: str, types: Types, limits: Limits) -> list[_Member]:
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return [_Member(node=ast.Name(annotation), text=annotation, limits=limits)]
    return _members(node, types, limits, depth=0)


def _members(node: ast.expr, types: Types, limits: Limits, *, depth: int) -> list[_Member]:
    found: list[_Member] = []
    for member in union_operands(node):
        if isinstance(member, ast.Constant) and isinstance(member.value, str) and member.value.isidentifier():
            member = ast.Name(member.value)  # a forward reference
        if isinstance(member, ast.Name) and member.id == "MISSING":
            continue
        if isinstance(member, ast.Name) and member.id in types.aliases and depth < 20:
            annotation, own = types.aliases[member.id]
            found.extend(_members(ast.parse(annotation, mode="eval").body, types, limits | own, depth=depth + 1))
        elif _origin(member) == "Literal" and isinstance(member, ast.Subscript):
            values = member.slice.elts if isinstance(member.slice, ast.Tuple) else [member.slice]
            found.extend(_Member(node=v, text=f"Literal[{ast.unparse(v)}]", limits=limits) for v in values)
        else:
            found.append(_Member(node=member, text=ast.unparse(member), limits=limits))
    return found


def _origin(node: ast.expr) -> str | None:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id
    return None


def _has_none(members: list[_Member]) -> bool:
    return any(m.text == "None" for m in members)


def _drop_none(members: list[_Member]) -> list[_Member]:
    return [m for m in members if m.text != "None"]


# --- acceptance ------------------------------------------------------------------------------------


def _covers(wide: list[_Member], narrow: list[_Member], wide_types: Types, narrow_types: Types) -> bool:
    """Every value of some member of ``narrow`` is a value of some member of ``wide``."""
    return all(any(_accepts(w, n, wide_types, narrow_types) for w in wide) for n in narrow)


def _accepts(wide: _Member, narrow: _Member, wide_types: Types, narrow_types: Types) -> bool:
    return _implied(wide.limits, narrow.limits) and _accepts_type(wide, narrow, wide_types, narrow_types)


def _accepts_type(wide: _Member, narrow: _Member, wide_types: Types, narrow_types: Types) -> bool:
    if wide.text == narrow.text or wide.text in ("Any", "object"):
        return True
    if wide.text.startswith("Literal["):
        return False
    scalar = wide.text if isinstance(wide.node, ast.Name) else None
    if scalar in ("str", "int", "float", "bool"):
        if narrow.text.startswith("Literal["):
            return _json_fits(scalar, _literal_json(narrow.node))
        if scalar == "float" and narrow.text == "int":
            return True
        values = narrow_types.enums.get(narrow.text)
        return bool(values) and all(_json_fits(scalar, v) for v in values or ())
    w_origin, n_origin = _origin(wide.node), _origin(narrow.node)
    if w_origin is None or n_origin is None or not (w_origin == n_origin or (w_origin, n_origin) in _ORIGINS):
        return False
    assert isinstance(wide.node, ast.Subscript) and isinstance(narrow.node, ast.Subscript)
    w_args, n_args = _args(wide.node), _args(narrow.node)
    return len(w_args) == len(n_args) and all(
        _covers(
            _members(w, wide_types, frozenset(), depth=0),
            _members(n, narrow_types, frozenset(), depth=0),
            wide_types,
            narrow_types,
        )
        for w, n in zip(w_args, n_args, strict=True)
    )


def _args(node: ast.Subscript) -> list[ast.expr]:
    return list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]


def _literal_json(node: ast.expr) -> str:
    try:
        return json.dumps(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError):
        return json.dumps(ast.unparse(node))


def _json_fits(scalar: str, value: str) -> bool:
    decoded = json.loads(value)
    if scalar == "bool" or isinstance(decoded, bool):
        return scalar == "bool" and isinstance(decoded, bool)
    if scalar == "str":
        return isinstance(decoded, str)
    return isinstance(decoded, int) if scalar == "int" else isinstance(decoded, (int, float))


def _implied(wide: Limits, narrow: Limits) -> bool:
    """Every limit of ``wide`` holds for every value within ``narrow``'s limits."""
    given = dict(narrow)
    for keyword, value in wide:
        if keyword not in given:
            return False
        have = given[keyword]
        if keyword in UPPER and not _number(have) <= _number(value):
            return False
        if keyword in LOWER and not _number(have) >= _number(value):
            return False
        if keyword == "multiple_of" and not _divides(value, have):
            return False
        if keyword not in UPPER | LOWER | {"multiple_of"} and have != value:
            return False
    return True


def _number(value: str) -> float:
    decoded = json.loads(value)
    return float(decoded) if isinstance(decoded, (int, float)) and not isinstance(decoded, bool) else float("nan")


def _divides(old: str, new: str) -> bool:
    """Whether every multiple of ``new`` is a multiple of ``old`` (``new`` is a multiple of ``old``)."""
    a, b = _number(old), _number(new)
    return a == b or (a > 0 and (b / a).is_integer())
