"""The tool's output for a prepared document: one run, or one run per group, each cached by its input.

Either way the result goes through ``order.assemble``, so a document gives
the same module whether it was cut into groups or not (models/groups.py says
how that is made to hold). Each run is cached under a key of exactly what the
tool is given: an edit reruns the groups whose input it changed, and a
missing or damaged entry only costs that group's run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..openapi.toolkit import as_dict
from ..provenance.cache import Cache, json_key
from .aliases import escape_control_characters
from .groups import droppable, group_count, plan, read, select
from .order import Split, assemble, split
from .positions import renamed
from .tool import ToolOutput, run_tool, tool_document

STAGE = "models"
MARK = "Zx9"  # ends every component's name while the tool runs (``_mangled``)
_PREFIX = "#/components/schemas/"
# A fork helper (worker.fork_call): start ``function(*args)`` in a child, return a function that waits for it.
Fork = Callable[..., Callable[[], Any]]
_Job = tuple[dict[str, Any], dict[str, str], dict[str, str]]  # document, field aliases, type overrides


def tool_output(
    document: dict[str, Any],
    *,
    header: str,
    aliases: dict[str, str],
    cache: Cache,
    groups: int | None = None,
    fork: Fork | None = None,
) -> ToolOutput:
    """The tool's output for the prepared ``document``, in the module's order.

    ``groups`` fixes the number of groups (1: one run); None chooses by the
    document's size (``group_count``). ``fork`` runs half of the groups the
    cache lacks in a child process while this one runs the other half.
    """
    schemas = as_dict(as_dict(document.get("components")).get("schemas"))
    count = group_count(len(schemas)) if groups is None else groups
    facts = read(schemas)
    if count <= 1:
        # In sorted order, as each group's run is given its schemas: where the tool first meets a
        # schema decides some of the names it gives.
        ordered = tool_document(document, {**document["components"], "schemas": dict(sorted(schemas.items()))})
        (whole,) = _outputs([(ordered, aliases, {})], header=header, cache=cache, fork=None)
        return assemble([(whole, None)], droppable(whole.classes, facts))
    planned = plan(facts, count)
    jobs = []
    for group in planned:
        names = set().union(*(facts.properties[n] for n in (*group.members, *group.copied)))
        # Only the field aliases of its own properties, so the key does not change with properties elsewhere.
        used = {k: v for k, v in aliases.items() if k in names or k.partition(".")[2] in names}
        jobs.append((group.document(document), used, group.type_overrides()))
    outputs = _outputs(jobs, header=header, cache=cache, fork=fork)
    parts = select(planned, outputs, facts)
    return assemble(parts, droppable([c for output in outputs for c in output.classes], facts))


def _mangled(job: _Job) -> _Job:
    """The job with every component renamed ``<name>Zx9`` (``MARK``), in its ``$ref``s, discriminator
    mappings, scoped field aliases and imports too.

    The tool names a class it makes inside a schema by the first free name (``Owner`` for a
    merged ``owner``), and a component met later gives up its own (``Owner1``), or is taken for
    that class: which comes first depends on what else is in the run. A component's name the
    tool sees can meet no such name; models/positions.py gives every class its name back.
    """
    document, aliases, overrides = job
    schemas = as_dict(as_dict(document.get("components")).get("schemas"))
    renamed = {_PREFIX + name: _PREFIX + name + MARK for name in schemas}

    def respelled(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: respelled(value) for key, value in node.items()}
        if isinstance(node, list):
            return [respelled(value) for value in node]
        return renamed.get(node, node) if isinstance(node, str) else node

    components = {**document["components"], "schemas": {n + MARK: respelled(s) for n, s in schemas.items()}}
    scoped = {(f"{k.partition('.')[0]}{MARK}.{k.partition('.')[2]}" if "." in k else k): v for k, v in aliases.items()}
    imports = {name + MARK: path + MARK for name, path in overrides.items()}
    return {**document, "components": components}, scoped, imports


def _key(job: _Job, header: str) -> str:
    document, aliases, overrides = job
    return json_key([document, header, aliases, overrides])


def _outputs(jobs: list[_Job], *, header: str, cache: Cache, fork: Fork | None) -> list[Split]:
    """Each job's output: from the cache, else computed (half in a child when ``fork`` is given)."""
    keys = [_key(job, header) for job in jobs]
    found = [cache.get(STAGE, key) for key in keys]
    missing = [index for index, text in enumerate(found) if text is None]
    theirs = missing[1::2] if fork is not None and len(missing) > 1 else []
    waiting = fork(_compute, [jobs[i] for i in theirs], header) if fork is not None and theirs else None
    mine = [index for index in missing if index not in theirs]
    computed = dict(zip(mine, _compute([jobs[i] for i in mine], header), strict=True))
    if waiting is not None:
        computed.update(zip(theirs, waiting(), strict=True))
    for index, text in computed.items():
        cache.store(STAGE, keys[index], text)
        found[index] = text
    return [Split.from_json(str(text)) for text in found]


def _compute(jobs: list[_Job], header: str) -> list[str]:
    """Each job's run, its classes named by their places (positions.py) and cut for ``assemble``."""
    found = []
    for job in jobs:
        document, aliases, overrides = _mangled(job)
        output = run_tool(document, header=header, aliases=aliases, overrides=overrides)
        # Raw control characters in docstrings would end a line for the parsers below (rewrite.py says more).
        output = replace(output, source=escape_control_characters(output.source))
        components = as_dict(as_dict(job[0].get("components")).get("schemas")).keys()
        found.append(split(renamed(output, components, MARK)).to_json())
    return found
