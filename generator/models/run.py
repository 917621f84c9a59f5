"""The tool's output for a prepared document: one run, or one run per group, each cached by its input.

Either way the result goes through ``order.assemble``, so a document gives
the same module whether it was cut into groups or not (models/groups.py says
how that is made to hold). Each run is cached under a key of exactly what the
tool is given: an edit reruns the groups whose input it changed, and a
missing or damaged entry only costs that group's run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..openapi.toolkit import as_dict, walk
from ..provenance.cache import Cache, json_key
from .groups import droppable, plan, select
from .order import assemble
from .tool import ToolOutput, run_tool

STAGE = "models"
# A fork helper (parallel.fork_call): start ``function(*args)`` in a child, return a function that waits for it.
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

    ``groups`` fixes the number of groups (1: one run); None is one run for
    now: grouped output equals one run's on Northflank and the fixtures, not
    yet on every real spec (docs/benchmarks.md, "Incremental regeneration"),
    so grouping is chosen by size (``group_count``) only once it does.
    ``fork`` runs half of the groups the cache lacks in a child process while
    this one runs the other half.
    """
    schemas = as_dict(as_dict(document.get("components")).get("schemas"))
    count = 1 if groups is None else groups
    if count <= 1:
        (whole,) = _outputs([(document, aliases, {})], header=header, cache=cache, fork=None)
        return assemble([(whole, None)], droppable(whole.classes, schemas))
    planned = plan(schemas, count)
    jobs = []
    for group in planned:
        part = group.document(document)
        jobs.append((part, _used_aliases(part, aliases), group.type_overrides()))
    outputs = _outputs(jobs, header=header, cache=cache, fork=fork)
    parts = select(planned, outputs, schemas)
    return assemble(parts, droppable([c for output in outputs for c in output.classes], schemas))


def _used_aliases(document: dict[str, Any], aliases: dict[str, str]) -> dict[str, str]:
    """The field aliases that name a property of ``document`` (``名前`` or ``Class.$id``), so that a
    group's key does not change with properties elsewhere."""
    names = {
        str(name)
        for schema in as_dict(as_dict(document.get("components")).get("schemas")).values()
        for _, node in walk(schema)
        for name in as_dict(node.get("properties"))
    }
    return {k: v for k, v in aliases.items() if k in names or k.partition(".")[2] in names}


def _key(job: _Job, header: str) -> str:
    document, aliases, overrides = job
    return json_key([document, header, aliases, overrides])


def _outputs(jobs: list[_Job], *, header: str, cache: Cache, fork: Fork | None) -> list[ToolOutput]:
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
    return [ToolOutput.from_json(str(text)) for text in found]


def _compute(jobs: list[_Job], header: str) -> list[str]:
    return [
        run_tool(document, header=header, aliases=aliases, overrides=overrides).to_json()
        for document, aliases, overrides in jobs
    ]
