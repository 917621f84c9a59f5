"""The models stage as one call to the models child: the index reported as soon as it is known, the rest after.

The child is forked before the spec is read (pipeline.py), so this module and
what it imports are all the child has of the generator when the call arrives.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics
from ..provenance.cache import Cache
from . import ModelsModule, generate_models
from .run import Fork


def models_call(
    document: dict[str, Any],
    marker: str,
    display: str,
    wrappers: frozenset[str],
    cache: Cache,
    fork: Fork,
    parent: int,
    *,
    report: Callable[[ModelsModule], object] | None,
) -> tuple[ModelsModule | None, list[Diagnostic], bool]:
    """The models, their diagnostics, and whether the index reported first was theirs (the models
    then come without it); ``report`` gets the index first (see ``generate_models``). ``fork`` runs
    half of the tool's groups in a child, used only away from ``parent``, the caller's process."""
    model_diags = Diagnostics()
    reported: list[ModelsModule] = []

    def on_index(index: ModelsModule) -> None:
        assert report is not None
        report(index)
        reported.append(index)

    models = generate_models(
        document,
        header=marker,
        diags=model_diags,
        spec_file=display,
        keep_root_models=wrappers,
        cache=cache,
        # Forking again only from the models child: run in the parent instead (no fork, or the child
        # failed), this process may already hold black's pool thread, and fork beside a thread is unsafe.
        fork=fork if os.getpid() != parent else None,
        on_index=None if report is None else on_index,
    )
    held = False
    if models is not None and reported and _index_of(reported[0]) == _index_of(models):
        held = True  # the caller has the index (the same): only the source travels back
        models = replace(models, classes={}, by_source={}, request_shapes={}, response_shapes={}, aliases={})
    return models, model_diags.items, held


def whole(index: ModelsModule | None, models: ModelsModule | None, held: bool) -> ModelsModule | None:
    """The models as the child made them: when its early index held, the child sent the rest only."""
    if index is None or models is None or not held:
        return models
    return replace(index, imports=models.imports, definitions=models.definitions, splittable=models.splittable)


def _index_of(models: ModelsModule) -> tuple[object, ...]:
    return models.classes, models.by_source, models.aliases, models.request_shapes, models.response_shapes
