"""One module from one or several runs of the tool, its definitions in an order we define.

datamodel-code-generator orders classes by rounds over its input (a class
after everything it uses; classes in a cycle, and everything after them, by
a rule over all of the unresolved ones), so where a class lands depends on
what else was in the run. Here the order depends only on the definitions
themselves: the strongly connected parts of "uses" (a class in a cycle with
another), each after the parts it uses, ties broken by the smallest name,
and inside a cycle by name, each class after its bases there; forward
references are spelled again for this order (models/forward.py). So one run over the whole
document and runs over groups of it give the same module (models/groups.py).
"""

from __future__ import annotations

import ast
import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .forward import respelled
from .structure import first_line, mentions, structure
from .tool import PLACEHOLDER, ToolClass, ToolOutput


@dataclass(frozen=True, slots=True, kw_only=True)
class _Definition:
    name: str
    defines: bool  # False for ``Thing.model_rebuild()``
    text: str
    uses: frozenset[str]
    bases: frozenset[str]  # the names of its base classes: defined before it, whatever the order


@dataclass(frozen=True, slots=True, kw_only=True)
class Split:
    """One run's output cut into what ``assemble`` reads, so a cached run is not parsed again."""

    comment: str  # the header comment (every run is given the same one)
    imports: tuple[tuple[str, str, str | None], ...]  # (module, name, as), other groups' classes left out
    definitions: tuple[_Definition, ...]
    classes: tuple[ToolClass, ...]
    notes: tuple[str, ...]

    def to_json(self) -> str:
        report = json.loads(ToolOutput(source="", classes=self.classes, notes=self.notes).to_json())
        cut = [[d.name, d.defines, d.text, sorted(d.uses), sorted(d.bases)] for d in self.definitions]
        return json.dumps({"comment": self.comment, "imports": self.imports, "definitions": cut, **report})

    @classmethod
    def from_json(cls, text: str) -> Split:
        data = json.loads(text)
        report = ToolOutput.from_json(json.dumps({"source": "", "classes": data["classes"], "notes": data["notes"]}))
        return cls(
            comment=data["comment"],
            imports=tuple((m, n, a) for m, n, a in data["imports"]),
            definitions=tuple(
                _Definition(name=n, defines=d, text=t, uses=frozenset(u), bases=frozenset(b))
                for n, d, t, u, b in data["definitions"]
            ),
            classes=report.classes,
            notes=report.notes,
        )


def split(output: ToolOutput) -> Split:
    lines = output.source.split("\n")  # not splitlines(): a string may hold U+2028, which ends no line for ast
    found, groups, _ = structure(ast.parse(output.source))
    first = min([first_line(found[0]) if found else len(lines), *(first_line(n[0]) for _, _, n in groups)])
    imports = [
        (module, a.name, a.asname)
        for node in found
        if (module := "." * node.level + (node.module or "")) != f"{PLACEHOLDER}.models"
        for a in node.names
    ]
    definitions = []
    for name, defines, nodes in groups:
        text = "\n".join(lines[first_line(nodes[0]) : nodes[-1].end_lineno])
        bases = {b.id for n in nodes if isinstance(n, ast.ClassDef) for b in n.bases if isinstance(b, ast.Name)}
        uses = frozenset(mentions(nodes))
        definitions.append(_Definition(name=name, defines=defines, text=text, uses=uses, bases=frozenset(bases)))
    return Split(
        comment="\n".join(lines[:first]).rstrip("\n"),
        imports=tuple(imports),
        definitions=tuple(definitions),
        classes=output.classes,
        notes=output.notes,
    )


def assemble(
    parts: Sequence[tuple[Split, frozenset[str] | None]], droppable: frozenset[str] = frozenset()
) -> ToolOutput:
    """One tool output from ``parts``: each run's output and the classes taken from it (None: all).

    A class of ``droppable`` is kept only while a kept class names it (models/groups.py says why).
    Imports are the union of the runs' imports still used.
    """
    imports: dict[str, set[tuple[str, str | None]]] = {}
    definitions: list[_Definition] = []
    classes: list[ToolClass] = []
    notes: set[str] = set()
    for run, keep in parts:
        for module, name, alias in run.imports:
            imports.setdefault(module, set()).add((name, alias))
        definitions += [d for d in run.definitions if keep is None or d.name in keep]
        classes += [c for c in run.classes if keep is None or c.name in keep]
        notes.update(run.notes)
    comment = parts[0][0].comment if parts else ""
    definitions = _named(definitions, droppable)
    kept_names = {d.name for d in definitions}
    classes = [c for c in classes if c.name in kept_names]
    ordered = _respelled(_ordered(definitions))
    rank = {d.name: index for index, d in enumerate(ordered) if d.defines}
    used = set().union(*(d.uses for d in ordered)) if ordered else set()
    if "Union" in used:  # a respelled forward reference may be the first to need it
        imports.setdefault("typing", set()).add(("Union", None))
    header = [
        f"from {module} import " + ", ".join(n + (f" as {a}" if a else "") for n, a in kept)
        for module, names in sorted(imports.items())
        if (kept := sorted(x for x in names if (x[1] or x[0]) in used))
    ]
    source = "\n\n\n".join(["\n".join([comment, "", *header]), *(d.text for d in ordered)]) + "\n"
    return ToolOutput(
        source=source,
        classes=tuple(sorted(classes, key=lambda c: (rank.get(c.name, len(rank)), c.name, c.source))),
        notes=tuple(sorted(notes)),
    )


def _named(definitions: list[_Definition], droppable: frozenset[str]) -> list[_Definition]:
    """``definitions`` without those of ``droppable`` that no other kept definition names."""
    if not droppable:
        return definitions
    defined = {d.name: d for d in definitions if d.defines}
    alive = {name for name in defined if name not in droppable}
    todo = list(alive)
    while todo:
        for used in defined[todo.pop()].uses & defined.keys():
            if used not in alive:
                alive.add(used)
                todo.append(used)
    return [d for d in definitions if d.name in alive]


def _ordered(definitions: list[_Definition]) -> list[_Definition]:
    """Classes and aliases in the order of the module docstring's rule (the tool's rebuilds left out:
    ``_respelled`` writes them)."""
    defined = {d.name: d for d in definitions if d.defines}
    edges = {name: sorted((d.uses & defined.keys()) - {name}) for name, d in defined.items()}
    parts = list(strongly_connected(edges))
    part_of = {name: index for index, part in enumerate(parts) for name in part}
    after = {
        index: sorted({part_of[t] for n in part for t in edges[n]} - {index}, key=lambda p: parts[p][0])
        for index, part in enumerate(parts)
    }
    result: list[_Definition] = []
    done: set[int] = set()
    for start in sorted(range(len(parts)), key=lambda p: parts[p][0]):
        stack: list[tuple[int, Iterator[int]]] = [] if start in done else [(start, iter(after[start]))]
        done.add(start)
        while stack:
            part, pending = stack[-1]
            following = next((p for p in pending if p not in done), None)
            if following is not None:
                done.add(following)
                stack.append((following, iter(after[following])))
                continue
            stack.pop()
            result += _in_cycle([defined[n] for n in parts[part]])
    return result


def _in_cycle(members: list[_Definition]) -> list[_Definition]:
    """The classes of one cycle by name, each after the bases it has in the cycle (a base cannot be
    a forward reference); ``members`` come sorted by name."""
    names = {d.name for d in members}
    placed: set[str] = set()
    result: list[_Definition] = []
    while len(result) < len(members):
        ready = next(
            (d for d in members if d.name not in placed and (d.bases & names) <= placed),
            next(d for d in members if d.name not in placed),  # cyclic bases: impossible in Python anyway
        )
        placed.add(ready.name)
        result.append(ready)
    return result


def _respelled(ordered: list[_Definition]) -> list[_Definition]:
    """``ordered`` with forward references spelled by this order (models/forward.py), and a rebuild
    of each model that has one after the last definition."""
    rank = {d.name: index for index, d in enumerate(ordered)}
    result: list[_Definition] = []
    rebuilds: list[_Definition] = []
    for definition in ordered:
        at = rank[definition.name]
        named = definition.uses & rank.keys()
        if not (
            any(rank[n] >= at for n in named)
            or "Union[" in definition.text
            or "Optional[" in definition.text
            or any(f"'{n}'" in definition.text or f'"{n}"' in definition.text for n in named)
        ):
            result.append(definition)  # nothing to respell: the common case, and parsing each costs
            continue
        later = functools.partial(_at_or_after, rank, at)
        text, forward = respelled(definition.text, defined=rank.keys(), later=later)
        result.append(
            _Definition(name=definition.name, defines=True, text=text, uses=_uses(text), bases=definition.bases)
        )
        if forward:
            rebuild = f"{definition.name}.model_rebuild()"
            rebuilds.append(
                _Definition(
                    name=definition.name,
                    defines=False,
                    text=rebuild,
                    uses=frozenset({definition.name}),
                    bases=frozenset(),
                )
            )
    return result + rebuilds


def _at_or_after(rank: dict[str, int], at: int, name: str) -> bool:
    return rank[name] >= at


def _uses(text: str) -> frozenset[str]:
    return frozenset(mentions(ast.parse(text).body))


def strongly_connected(edges: Mapping[str, Sequence[str]]) -> Iterator[list[str]]:
    """Tarjan's algorithm, iterative (a long chain of references must not exhaust the stack); each part sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                yield sorted(component)
