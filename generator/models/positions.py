"""Names for the classes the tool makes inside a schema, from where they are: never from what else is in the run.

The tool names a class it makes inside a component (an ``allOf`` merge of a
redeclared property, an array's constrained items, a ``oneOf`` variant
merged with its parent's properties) by the names free when it meets it:
``Owner`` while no class has claimed that name yet, and then the component
``Owner`` is written ``Owner1``; ``Issue1``..``Issue6`` in the order of the
run. Here every class of the tool's output is renamed by the schema it came
from (the tool's own report): a component's class is the component's name,
and a class inside one is the component's name and the words of its place
(``CronJob`` + ``tags`` items → ``CronJobTag``; ``Forkee`` +
``allOf/1/properties/owner`` → ``ForkeeOwner``; ``anyOf/2`` → ``Variant2``).
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Collection, Iterable

from .. import naming
from .edits import SourceEdits
from .tool import ToolClass, ToolOutput

_PREFIX = "#/components/schemas/"


def place_name(source: str) -> str:
    """The class name of the schema at ``source`` by its place alone."""
    tokens = source[len(_PREFIX) :].split("/")
    words = [tokens[0]]
    for index, token in enumerate(tokens[1:], start=1):
        before = tokens[index - 1]
        if before in ("properties", "patternProperties"):
            words.append(naming.pascal_case(token, fallback="Field"))
        elif token == "items":
            follows_property = index >= 2 and tokens[index - 2] in ("properties", "patternProperties")
            words[-1:] = [naming.pascal_case(naming.singular(words[-1]))] if follows_property else [*words[-1:], "Item"]
        elif token == "additionalProperties":
            words.append("Value")
        elif before in ("oneOf", "anyOf") and token.isdigit():
            words.append(f"Variant{token}")
    name = words[0]
    for word in words[1:]:
        name = naming.join_class_names(name, word)
    return naming.pascal_case(name)


def primary_sources(classes: Iterable[ToolClass]) -> dict[str, str]:
    """Per class, the schema it stands for: the tool reuses one class for equal schemas (a merged
    property equal to a component is that component's class), and a component wins over a place
    inside one, then the first pointer."""
    found: dict[str, str] = {}
    for model in classes:
        best = found.get(model.name)
        if best is None or _rank(model.source) < _rank(best):
            found[model.name] = model.source
    return found


def _rank(source: str) -> tuple[bool, str]:
    return "/" in source[len(_PREFIX) :], source


def unmangled(output: ToolOutput, components: Collection[str], mark: str) -> ToolOutput:
    """``output`` of a run that saw each component ``X`` as ``X<mark>``, with the schema pointers
    and the names of imported classes as they are."""
    pointer = re.compile(re.escape(_PREFIX) + r"([^/]+)" + re.escape(mark) + r"(?=/|$)")
    classes = tuple(
        ToolClass(name=c.name, source=pointer.sub(_PREFIX + r"\1", c.source), fields=c.fields) for c in output.classes
    )
    notes = tuple(note.replace(mark, "") for note in output.notes)
    return ToolOutput(source=output.source, classes=classes, notes=notes)


def renamed(output: ToolOutput, components: Collection[str], mark: str = "") -> ToolOutput:
    """``output`` with each class named by ``place_name`` (the enum the tool puts inside a nullable one
    ends in ``Enum``); one that would take a component's name, or another's, gets a short hash of its
    place."""
    if mark:
        output = unmangled(output, components, mark)
    names: dict[str, str] = {}
    taken: dict[str, str] = {}  # new name -> the tool's
    primary = primary_sources(output.classes)
    for name, source in sorted(primary.items(), key=lambda item: (len(item[0]), item[0])):
        new = place_name(source)
        inner = _inner_enum(name)
        if inner:
            new += "Enum"
        is_component = source[len(_PREFIX) :] == new and not inner
        if (not is_component and new in components) or new in taken:
            new += hashlib.sha256(source.encode("utf-8")).hexdigest()[:6].upper()
        names[name] = new
        taken[new] = name
    imported = {name + mark: name for name in components} if mark else {}
    changed = {old: new for old, new in {**imported, **names}.items() if old != new}
    if not changed:
        return output
    classes = tuple(ToolClass(name=names[c.name], source=c.source, fields=c.fields) for c in output.classes)
    return ToolOutput(source=_respelled(output.source, changed), classes=classes, notes=output.notes)


def _inner_enum(name: str) -> bool:
    """Whether the tool named this class as the enum inside a nullable one: ``<A><A>Enum`` (the
    wrapper is ``<A>``); by its shape, so a run that folded the wrapper away names it the same."""
    head = name.removesuffix("Enum")
    half = len(head) // 2
    return head != name and len(head) % 2 == 0 and head[:half] == head[half:]


def _respelled(source: str, changed: dict[str, str]) -> str:
    """``source`` with the classes of ``changed`` renamed where they are defined and named."""
    tree = ast.parse(source)
    edits = SourceEdits(source)

    def quoted(node: ast.expr) -> None:
        """A quoted forward reference sits in an annotation or a base, never inside a call
        (``Field(examples=["Owner"])`` is a value)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in changed:
            edits.replace(node, repr(changed[node.value]))
        elif not isinstance(node, ast.Call):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    quoted(child)

    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            if node.name in changed:
                start = edits.offset(node.lineno, node.col_offset) + len("class ")
                edits.edits.append((start, start + len(node.name), changed[node.name]))
            for base in node.bases:
                quoted(base)
        elif isinstance(node, ast.AnnAssign):
            quoted(node.annotation)
        elif isinstance(node, ast.Name) and node.id in changed:
            edits.replace(node, changed[node.id])
    return edits.segment(0, len(source))
