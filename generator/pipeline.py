"""The one-way pipeline: load → bundle → validate → normalise → models → IR → vet → render → format."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any

from . import progress
from .diagnostics import Diagnostic, Diagnostics, Level
from .emit import chunks
from .emit.filters import marker_line
from .emit.output import FileMap
from .ir.nodes import Api
from .models import ModelsModule, generate_models
from .models.tool import warm as warm_models
from .models.unenforced import Unenforced, find_unenforced, with_rewrites
from .openapi.bundle import bundle
from .openapi.lines import lines_of
from .openapi.load import LoadedSpec, load_spec
from .openapi.normalize import normalize
from .openapi.refs import check_ref_cycles
from .openapi.values import check_values
from .parallel import Formatter, fork_call, start_validation
from .provenance.cache import Cache, NoCache, default_root
from .provenance.fingerprint import tool_versions
from .provenance.inputs import Inputs, inputs_for
from .settings import Settings
from .worker import Job, Later, Worker


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """What a run produced: files (None when any ERROR stopped it), the IR and every diagnostic."""

    files: FileMap | None
    api: Api | None
    diagnostics: Diagnostics
    models: ModelsModule | None = None

    @property
    def ok(self) -> bool:
        return self.files is not None


def compile_spec(settings: Settings) -> Result:
    """The checked IR, models and diagnostics of the spec, rendering and formatting nothing.

    What ``dump-ir`` and ``breaking`` need (sqlc's ``parse`` → result): they read the IR and
    the models only, so they skip the templates and black, most of a run on a large spec.
    The result's ``files`` is None.
    """
    return run(settings, emit=False)


def run(settings: Settings, *, emit: bool = True) -> Result:
    """Produce the whole package in memory (with ``emit``; else compile only); nothing is written here."""
    # The models child is forked first of all: it readies the model tool while the spec loads.
    with Worker(warm_models) as models_worker:
        return _run(settings, models_worker, emit=emit)


def _run(settings: Settings, models_worker: Worker, *, emit: bool) -> Result:
    cache = Cache(default_root(settings.cache_dir)) if settings.cache else NoCache()
    diags = Diagnostics()
    display = settings.spec_display
    progress.stage(f"reading {display}")
    loaded = load_spec(settings.spec, display, diags)
    if loaded is None:
        return Result(files=None, api=None, diagnostics=diags)
    bundled = bundle(loaded.path, display, loaded.document, diags)
    check_ref_cycles(bundled.document, file=display, diags=diags)
    inputs = inputs_for(settings, ((display, loaded.sha256), *bundled.sources))
    # The bundle is a copy; letting the parsed original go lowers the peak on very large specs.
    loaded = replace(loaded, document={})
    result = (
        Result(files=None, api=None, diagnostics=diags)
        if diags.has_errors
        else _run_bundled(settings, loaded, bundled.document, inputs, diags, cache, models_worker, emit=emit)
    )
    _add_lines(loaded, diags)
    return result


def _run_bundled(
    settings: Settings,
    loaded: LoadedSpec,
    document: dict[str, Any],
    inputs: Inputs,
    diags: Diagnostics,
    cache: Cache,
    models_worker: Worker,
    *,
    emit: bool = True,
) -> Result:
    display = loaded.display_path
    if settings.validate:
        progress.stage("validating")
    validation = _start_validation(document, display, cache) if settings.validate else None
    bundled, checked = document, check_values(document, file=display, diags=diags)
    document = checked.document
    # Only the IR reads them, once the models' index is in: found while the models run (Job.early).
    unenforced = Later(lambda: with_rewrites(find_unenforced(bundled, file=display, diags=diags), checked.rewrites))
    normalised = normalize(document)
    document = normalised.document
    marker = marker_line(display)
    progress.stage("models")
    # To the child forked in run(), warm by now; it forks a child of its own for half of the groups.
    models_job = models_worker.call(
        _generate_models, document, marker, display, normalised.body_wrappers, cache, os.getpid()
    )
    if not emit:
        found = unenforced.get()  # before the verdict's snapshot of what precedes validation, as below
        return _compiled(settings, loaded, document, models_job, _Verdict(validation, diags), diags, found)
    # Model generation is the longest stage; this process prepares the rest meanwhile. These
    # imports (black, Jinja, the IR builder) are deliberately here, after the fork, to overlap it.
    from .emit.render import TEMPLATES, compiled, meta_file, render_api, render_models
    from .emit.reuse import Reuse
    from .ir import model_split
    from .ir.build import build_ir
    from .ir.vet import vet
    from .ir.wire import warm as warm_examples

    templates = settings.templates or TEMPLATES
    versions = tool_versions()
    # The output is typically many times the spec's size; a large spec starts black's workers now
    # (after the forks above: the pool runs a thread, and forking beside a thread is unsafe).
    with Formatter(cache, expect_bytes=loaded.size) as formatter:
        env = compiled(templates, cache=cache)
        reuse = Reuse(env, cache)
        # The IR needs only the models' index, which the child reports before it rewrites their
        # source: the IR, the API's files and their formatting proceed here meanwhile. Their
        # diagnostics are kept apart and added after the models', in the order of a run in line.
        ir_diags = Diagnostics()

        def checked_ir(models: ModelsModule) -> Api:
            progress.stage("operations")
            api = build_ir(
                document,
                models,
                settings=settings,
                file=display,
                sha256=loaded.sha256,
                diags=ir_diags,
                unenforced=unenforced.get(),
            )
            ir_diags.extend(vet(api))
            return api

        # Waiting for the index, this process does what needs the document alone: the unenforced
        # keywords, what each template reads (reuse.py), the examples the IR will want (wire.warm).
        index = models_job.early(meanwhile=chain(unenforced.step(), reuse.warm(), warm_examples(document)))
        unenforced.get()  # its warnings precede the verdict's snapshot (below), whatever came first
        api = None if index is None else checked_ir(index)
        api_files = (
            None
            if api is None or ir_diags.has_errors
            else render_api(api, versions, templates=templates, env=env, reuse=reuse)
        )
        if api_files is not None:
            formatter.prefetch_files(api_files)
        models, model_diags, index_held = models_job.result()
        if index is not None and not index_held:  # the final index differs: the IR is built again below
            api, api_files, ir_diags.items[:] = None, None, []
        models = _whole(index, models, index_held)
        # The validator's verdict is collected only where it decides the outcome, last of all
        # when everything else succeeded: until then it takes no time from the main line.
        verdict = _Verdict(validation, diags)
        if models is None and verdict.invalid():
            return Result(files=None, api=None, diagnostics=diags)
        diags.extend(model_diags)
        if models is None:
            return Result(files=None, api=None, diagnostics=diags)
        # models.py is rendered verbatim: black can start on it while the templates render.
        formatter.prefetch([("models.py", piece) for piece in chunks.pieces(models.source)])
        if api is None:
            api = checked_ir(models)
        api = replace(api, model_groups=model_split.plan(models, api.tags))
        diags.extend(ir_diags)
        if diags.has_errors:
            return (
                Result(files=None, api=None, diagnostics=diags)
                if verdict.invalid()
                else Result(files=None, api=api, diagnostics=diags, models=models)
            )
        progress.stage("rendering")
        api_files = api_files or render_api(api, versions, templates=templates, env=env, reuse=reuse)
        rendered = replace(api_files, files={**api_files.files, **render_models(api, models, versions, env=env)})
        progress.stage("formatting")
        files = formatter.files(rendered)
        meta_path, meta_text = meta_file(api, versions, inputs, files, env=env)
        files = dict(sorted({**files, meta_path: meta_text}.items()))
    return (
        Result(files=None, api=None, diagnostics=diags)
        if verdict.invalid()
        else Result(files=files, api=api, diagnostics=diags, models=models)
    )


def _compiled(
    settings: Settings,
    loaded: LoadedSpec,
    document: dict[str, Any],
    models_job: Job[ModelsModule, tuple[ModelsModule | None, list[Diagnostic], bool]],
    verdict: _Verdict,
    diags: Diagnostics,
    unenforced: tuple[Unenforced, ...],
) -> Result:
    """The compile-only end of a run: models, IR and vet; no templates, no black."""
    from .ir.build import build_ir
    from .ir.vet import vet
    from .ir.wire import warm as warm_examples

    index = models_job.early(meanwhile=warm_examples(document))
    models, model_diags, index_held = models_job.result()
    models = _whole(index, models, index_held)
    if models is None and verdict.invalid():
        return Result(files=None, api=None, diagnostics=diags)
    diags.extend(model_diags)
    if models is None:
        return Result(files=None, api=None, diagnostics=diags)
    progress.stage("operations")
    display = loaded.display_path
    api = build_ir(
        document, models, settings=settings, file=display, sha256=loaded.sha256, diags=diags, unenforced=unenforced
    )
    diags.extend(vet(api))
    if verdict.invalid():
        return Result(files=None, api=None, diagnostics=diags)
    return Result(files=None, api=api, diagnostics=diags, models=models)


class _Verdict:
    """The validator's findings, placed where an in-line validation would have put them."""

    def __init__(self, validation: Callable[[], list[Diagnostic]] | None, diags: Diagnostics) -> None:
        self._validation = validation
        self._diags = diags
        self._before = list(diags.items)  # what was known when validation started

    def invalid(self) -> bool:
        """Wait for the validator and merge its findings; when the spec is invalid, keep only
        what preceded it plus its own report (an invalid spec explains every later failure)."""
        found = self._validation() if self._validation is not None else []
        later = self._diags.items[len(self._before) :]
        invalid = any(d.level is Level.ERROR for d in found)
        self._diags.items[:] = [*self._before, *found] + ([] if invalid else later)
        return invalid


def _generate_models(
    document: dict[str, Any],
    marker: str,
    display: str,
    wrappers: frozenset[str],
    cache: Cache,
    parent: int,
    *,
    report: Callable[[ModelsModule], object] | None,
) -> tuple[ModelsModule | None, list[Diagnostic], bool]:
    """The models, their diagnostics, and whether the index reported first was theirs (the models
    then come without it); ``report`` gets the index first (see ``generate_models``)."""
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
        fork=fork_call if os.getpid() != parent else None,
        on_index=None if report is None else on_index,
    )
    held = False
    if models is not None and reported and _index_of(reported[0]) == _index_of(models):
        held = True  # the caller has the index (the same): only the source travels back
        models = replace(models, classes={}, by_source={}, request_shapes={}, response_shapes={}, aliases={})
    return models, model_diags.items, held


def _whole(index: ModelsModule | None, models: ModelsModule | None, held: bool) -> ModelsModule | None:
    """The models as the child made them: when its early index held, the child sent the rest only."""
    if index is None or models is None or not held:
        return models
    return replace(index, imports=models.imports, definitions=models.definitions, splittable=models.splittable)


def _index_of(models: ModelsModule) -> tuple[object, ...]:
    return models.classes, models.by_source, models.aliases, models.request_shapes, models.response_shapes


def _start_validation(document: dict[str, Any], display: str, cache: Cache) -> Callable[[], list[Diagnostic]]:
    """openapi-spec-validator in parallel, again only on the parts not already found valid (validate_parts.py)."""
    return start_validation(document, display, cache)


def _add_lines(loaded: LoadedSpec, diags: Diagnostics) -> None:
    """Attach line numbers to diagnostics in the root spec (computed only when there are any)."""
    wanted = {d.pointer for d in diags.items if d.line is None and d.pointer and d.file == loaded.display_path}
    if not wanted:
        return
    lines = lines_of(loaded.text, wanted)
    diags.items[:] = [
        replace(d, line=lines[d.pointer])
        if d.pointer in lines and d.line is None and d.file == loaded.display_path
        else d
        for d in diags.items
    ]
