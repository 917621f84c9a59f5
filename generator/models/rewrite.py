"""Turn datamodel-code-generator's source into ours: one parse, edits at the positions it gives.

What changes, and why:

* enums derive from ``OpenEnum`` (tolerant of new values in responses), root
  models from ``ApiRootModel``, and the base classes are imported relatively;
* a root model of a constrained scalar becomes a type alias
  (``Tag = Annotated[str, Field(...)]``), so users never write ``.root``;
* ``list[X]`` becomes ``UniqueList[X]`` where the schema says ``uniqueItems``:
  it refuses duplicates and keeps the JSON array's order;
* ``model_config = ConfigDict(extra='allow')`` (an explicit ``additionalProperties``)
  becomes ``__additional_properties__ = True``: the request check lets
  undeclared keys through only there;
* models whose patterns need Python's ``re`` say so in their config;
* non-ASCII enum member names become ASCII constants.

The header's imports are rebuilt from the names the definitions use.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

from .aliases import (
    alias_text,
    escape_control_characters,
    is_literal_enum,
    is_primitive_root,
    literal_alias_text,
    member_values,
    union_members,
)
from .edits import SourceEdits
from .members import enum_members, exact_literals
from .module import Definition, ImportFrom
from .overrides import narrowed_override_lines
from .structure import descendants, first_line, header, names_in, structure

OVERRIDE_IGNORE = "  # type: ignore[assignment, unused-ignore]"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rewritten:
    imports: tuple[ImportFrom, ...]
    definitions: tuple[Definition, ...]
    tree: ast.Module  # the one parse, for the class index
    aliased: frozenset[str]  # root models that became type aliases
    splittable: bool


def rewrite(
    source: str,
    *,
    keep_root_models: frozenset[str],
    python_patterns: frozenset[str],
    unique_items: dict[str, frozenset[str]],
    read_only: dict[str, frozenset[str]] | None = None,
    list_items: dict[str, str] | None = None,
    tree: ast.Module | None = None,
) -> Rewritten:
    """``unique_items`` names, per class, the fields whose arrays must not repeat an item;
    ``read_only`` the readOnly properties a request model left out (``__read_only__``);
    ``tree``, the parse of ``source`` when the caller already has it."""
    source = escape_control_characters(source)
    tree = tree or ast.parse(source)
    walked = {id(node): descendants(node) for node in tree.body}  # one walk, read several ways below
    every = [sub for node in tree.body for sub in walked[id(node)]]
    edits = SourceEdits(source)
    renames: dict[str, dict[str, str]] = {}  # class -> names it no longer uses -> what it uses instead
    added: dict[str, set[str]] = {}
    aliased: set[str] = set()
    aliases_with_python_patterns = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and python_patterns and _holds(descendants(node.value), python_patterns)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    literals = {
        node.name: member_values(node, edits)
        for node in tree.body
        if isinstance(node, ast.ClassDef) and is_literal_enum(node)
    }
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        own = renames.setdefault(node.name, {})
        extra = added.setdefault(node.name, set())
        if node.name in literals:
            edits.replace(node, literal_alias_text(node, literals[node.name]))
            aliased.add(node.name)
            own["Enum"] = ""
            extra.update({"Literal", "Annotated", "OpenLiteral"})
            continue
        if is_primitive_root(node) and node.name not in keep_root_models:
            edits.replace(node, alias_text(node, edits))
            aliased.add(node.name)
            own["RootModel"] = ""
            continue
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id == "Enum":
                edits.replace(base, "OpenEnum")
                own["Enum"] = "OpenEnum"
            elif isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name) and base.value.id == "RootModel":
                edits.replace(base.value, "ApiRootModel")
                own["RootModel"] = "ApiRootModel"
        if _unique_items(node, unique_items.get(node.name, frozenset()), edits):
            extra.add("UniqueList")
        if list_items and node.name in list_items:
            _typed_list_root(node, list_items[node.name], edits)
        if read_only and node.name in read_only:
            names = ", ".join(json.dumps(n) for n in sorted(read_only[node.name]))
            edits.insert(edits.span(node.body[-1])[1], f"\n    __read_only__ = frozenset({{{names}}})")
        config_replaced = _open_keys(node, edits)
        if config_replaced:
            own["ConfigDict"] = ""  # the class no longer names it (unless python-re adds a config back)
        if _holds(walked[id(node)], python_patterns) or names_in(walked[id(node)]) & aliases_with_python_patterns:
            if _python_regex(node, edits, config_replaced=config_replaced):
                extra.add("ConfigDict")
    enum_members(tree, edits, every, skip=frozenset(literals))
    exact_literals(tree, edits, added, walked)
    for sub in every:  # a default naming a member of an enum that became a Literal
        if (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.value, ast.Name)
            and sub.attr in literals.get(sub.value.id, {})
        ):
            edits.replace(sub, literals[sub.value.id][sub.attr])
    for line in narrowed_override_lines(tree, edits.lines):
        edits.insert(edits.starts[line] + len(edits.lines[line].rstrip()), OVERRIDE_IGNORE)
    imports, groups, splittable = structure(tree)
    starts = [edits.offset(first_line(nodes[0]) + 1, 0) for _, _, nodes in groups] + [len(source)]
    definitions = []
    for (name, defines, nodes), start, end in zip(groups, starts[:-1], starts[1:], strict=True):
        uses = names_in(sub for node in nodes for sub in walked[id(node)])
        for old, new in renames.get(name, {}).items():
            uses.discard(old)
            if new:
                uses.add(new)
        uses |= added.get(name, set())
        if name in aliased:
            uses -= {"RootModel", "ApiRootModel"}
        definitions.append(
            Definition(name=name, defines=defines, text=edits.segment(start, end).strip("\n"), uses=frozenset(uses))
        )
    used = set().union(*(d.uses for d in definitions)) if definitions else set()
    return Rewritten(
        imports=header(imports, used),
        definitions=tuple(definitions),
        tree=tree,
        aliased=frozenset(aliased),
        splittable=splittable,
    )


def _holds(nodes: list[ast.AST], values: frozenset[str]) -> bool:
    return bool(values) and any(isinstance(c, ast.Constant) and c.value in values for c in nodes)


def _strip_annotated(node: ast.expr) -> ast.expr:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Annotated":
        return node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
    return node


def _unique_items(node: ast.ClassDef, fields: frozenset[str], edits: SourceEdits) -> bool:
    """``list[X]`` → ``UniqueList[X]`` in the annotations of the fields whose schema says uniqueItems."""
    found = False
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id in fields:
            outer = _outer_list(stmt.annotation)
            if outer is not None:
                edits.replace(outer, "UniqueList")
                found = True
    return found


def _outer_list(annotation: ast.expr) -> ast.Name | None:
    """The ``list`` of ``list[X]``, looking through ``Annotated[...]`` and ``| None | MISSING``."""
    node = _strip_annotated(annotation)
    for member in union_members(node):
        member = _strip_annotated(member)
        if isinstance(member, ast.Subscript) and isinstance(member.value, ast.Name) and member.value.id == "list":
            return member.value
    return None


def _config(node: ast.ClassDef) -> ast.Assign | None:
    for stmt in node.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == "model_config"
            and isinstance(stmt.value, ast.Call)
        ):
            return stmt
    return None


def _open_keys(node: ast.ClassDef, edits: SourceEdits) -> bool:
    """Mark a model whose schema allows undeclared keys; True when its config statement was replaced."""
    config = _config(node)
    if config is None:
        return False
    assert isinstance(config.value, ast.Call)
    keywords = {k.arg: k.value for k in config.value.keywords}
    extra = keywords.get("extra")
    if not (isinstance(extra, ast.Constant) and extra.value == "allow"):
        return False
    if len(keywords) == 1 and not config.value.args:
        edits.replace(config, "__additional_properties__ = True")
        return True
    edits.insert(edits.span(config)[1], "\n    __additional_properties__ = True")
    return False


def _python_regex(node: ast.ClassDef, edits: SourceEdits, *, config_replaced: bool) -> bool:
    """Switch the model to Python's ``re``; True when that needs ``ConfigDict`` imported."""
    config = None if config_replaced else _config(node)
    if config is not None:
        assert isinstance(config.value, ast.Call)
        if any(k.arg == "regex_engine" for k in config.value.keywords):
            return False  # the tool chose the engine itself (it spots lookarounds)
        func_end = edits.span(config.value.func)[1]
        edits.insert(func_end + 1, 'regex_engine="python-re", ')
        return False
    body = node.body[1:] if node.body and isinstance(node.body[0], ast.Expr) else node.body
    first = next((b for b in body if not (config_replaced and b is _config(node))), body[0] if body else node.body[-1])
    edits.insert(edits.offset(first.lineno, 0), '    model_config = ConfigDict(regex_engine="python-re")\n')
    return True


def _typed_list_root(node: ast.ClassDef, item: str, edits: SourceEdits) -> None:
    """Each bare ``list`` of a root model's base and ``root`` field becomes ``list["Item"]``."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id == "list" and not _subscripted(node, sub):
            edits.replace(sub, f'list["{item}"]')


def _subscripted(node: ast.ClassDef, name: ast.Name) -> bool:
    return any(isinstance(s, ast.Subscript) and s.value is name for s in ast.walk(node))
