"""The stages of one run: load → bundle → validate → normalise → (models, in the child) → IR → vet → render → format.

Imported only once the models child is forked (pipeline.py): the child needs none of this.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from itertools import chain
from typing import Any

from . import progress
from .diagnostics import Diagnostic, Diagnostics, Level
from .emit import chunks
from .emit.filters import marker_line
from .ir.nodes import Api
from .models import ModelsModule
from .models.job import models_call, whole
from .models.unenforced import Unenforced, find_unenforced, with_rewrites
from .openapi.bundle import bundle
from .openapi.lines import lines_of
from .openapi.load import LoadedSpec, load_spec
from .openapi.normalize import normalize
from .openapi.refs import check_ref_cycles
from .openapi.values import check_values
from .parallel import Formatter, start_validation
from .provenance.cache import Cache, NoCache, default_root
from .provenance.fingerprint import tool_versions
from .provenance.inputs import Inputs, inputs_for
from .result import Result
from .settings import Settings
from .worker import Job, Later, Worker, fork_call


def run_stages(settings: Settings, models_worker: Worker, *, emit: bool) -> Result:
    """The run, with the models child already forked (pipeline.run): every stage but the models' is here."""
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
        models_call, document, marker, display, normalised.body_wrappers, cache, fork_call, os.getpid()
    )
    if not emit:
        found = unenforced.get()  # before the verdict's snapshot of what precedes validation, as below
        return _compiled(settings, loaded, document, models_job, _Verdict(validation, diags), diags, found)
    # Model generation is the longest stage; this process prepares the rest meanwhile. These
    # imports (black, Jinja, the IR builder) are deliberately here, after the fork, to overlap it.
    from .emit.meta import fill_meta
    from .emit.render import TEMPLATES, compiled, meta_draft, render_api, render_models
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
        models = whole(index, models, index_held)
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
        files = {**api_files.files, **render_models(api, models, versions, env=env)}
        # _meta.py is formatted with the rest, its digests (of the final files) filled in after.
        meta = meta_draft(api, versions, inputs, list(files), env=env)
        progress.stage("formatting")
        files = formatter.files(replace(api_files, files={**files, meta.path: meta.text}))
        files = dict(sorted({**files, meta.path: fill_meta(meta, files[meta.path], files)}.items()))
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
    models = whole(index, models, index_held)
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
