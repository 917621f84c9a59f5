"""The models worker: warmed before the spec is read, its call's result in two parts, and the
same output as a run in one process (the IR built from the early index or from the whole)."""

from __future__ import annotations

import functools
import itertools
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import generate, pipeline, worker
from generator.diagnostics import Diagnostics
from generator.models import generate_models
from generator.models.module import ModelsModule
from generator.openapi.bundle import bundle
from generator.openapi.load import load_spec
from generator.openapi.normalize import normalize
from generator.settings import Settings
from generator.worker import Later, Worker
from tests.support.repo import FIXTURES, SPEC

_WARMED: list[int] = []


def _warm() -> None:
    _WARMED.append(os.getpid())


def _report_then_finish(n: int, *, report: Any) -> tuple[int, list[int], bool]:
    if report is not None:
        report(("early", n))
    return os.getpid(), list(_WARMED), report is None


def _raise_in_child(n: int, *, report: Any) -> int:
    if multiprocessing.parent_process() is not None:
        if report is not None:
            report("early, then the child fails")
        raise RuntimeError("boom in the child")
    return n + 1


def _large(n: int, *, report: Any) -> bytes:
    return b"x" * n


def test_the_call_runs_in_the_warmed_child_and_reports_its_first_part_early() -> None:
    with Worker(_warm) as models_worker:
        job = models_worker.call(_report_then_finish, 7)
        assert job.early() == ("early", 7)
        pid, warmed, in_process = job.result()
    assert pid != os.getpid() and warmed == [pid] and not in_process, "warm() ran in the child that ran the call"
    assert _WARMED == [] and multiprocessing.active_children() == []


def test_a_failed_child_means_the_call_runs_here_without_an_early_part() -> None:
    with Worker(_warm) as models_worker:
        job = models_worker.call(_raise_in_child, 1)
        assert job.early() == "early, then the child fails"  # reported before it failed...
        assert job.result() == 2  # ...and the result is the in-process one
    assert multiprocessing.active_children() == []


def test_without_fork_the_call_runs_here_with_no_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with Worker(_warm) as models_worker:
        job = models_worker.call(_report_then_finish, 3)
        assert job.early() is None
        pid, warmed, in_process = job.result()
    assert pid == os.getpid() and warmed == [] and in_process


def test_leaving_the_block_ends_a_child_never_sent_work_or_never_collected() -> None:
    with Worker(_warm):
        pass
    with Worker(_warm) as models_worker:
        models_worker.call(_large, 10_000_000)  # far more than a pipe holds: the child blocks sending it
    assert multiprocessing.active_children() == []


def _slow_warm_up(marker: Path) -> None:
    marker.write_text("warming")
    try:
        time.sleep(60)
    finally:
        marker.unlink()


def test_a_child_never_sent_work_is_stopped_not_waited_for_and_cleans_up(tmp_path: Path) -> None:
    marker = tmp_path / "warming"
    started = time.monotonic()
    with Worker(functools.partial(_slow_warm_up, marker)):
        while not marker.exists():  # the warm-up has begun (and may hold a temporary file)
            time.sleep(0.01)
    assert time.monotonic() - started < 30, "the 60 s warm-up was waited for"
    assert not marker.exists(), "the stopped child's finally block did not run"
    assert multiprocessing.active_children() == []


_SAW_GO: list[bool] = []


def _warm_until_told(go: Path) -> None:
    deadline = time.monotonic() + 20
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    _SAW_GO.append(go.exists())


def _length_and_whether_warm_up_saw_go(payload: bytes, *, report: Any) -> tuple[int, list[bool]]:
    return len(payload), list(_SAW_GO)


def test_a_job_larger_than_the_pipe_does_not_wait_for_the_warm_up(tmp_path: Path) -> None:
    # The warm-up ends only when told, and it is told only once call() has returned: were the
    # job (256 KiB, four times a pipe's buffer) sent only as the warm-up ends, call() would block
    # until the warm-up gave up waiting, and the warm-up would report it never saw the signal.
    go = tmp_path / "go"
    with Worker(functools.partial(_warm_until_told, go)) as models_worker:
        job = models_worker.call(_length_and_whether_warm_up_saw_go, b"x" * 256 * 1024)
        go.write_text("go")
        assert job.result() == (256 * 1024, [True])
    assert multiprocessing.active_children() == []


def _report_once_told(go: str, *, report: Any) -> str:
    deadline = time.monotonic() + 20
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    if report is not None:
        report("early")
    return "whole"


def _steps(go: Path, taken: list[int]) -> Iterator[None]:
    for step in range(100_000):
        if step == 3:
            go.write_text("go")  # only now does the child report
        taken.append(step)
        time.sleep(0.001)
        yield


def test_while_waiting_for_the_early_part_the_parent_takes_steps_and_stops_when_it_comes(tmp_path: Path) -> None:
    go, taken = tmp_path / "go", []
    with Worker(_warm) as models_worker:
        job = models_worker.call(_report_once_told, str(go))
        assert job.early(meanwhile=_steps(go, taken)) == "early"
        assert job.result() == "whole"
    assert 3 < len(taken) < 100_000, "it stepped until the part came, then stopped"


def test_in_this_process_the_call_takes_no_steps(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    (tmp_path / "go").write_text("go")
    taken: list[int] = []
    with Worker(_warm) as models_worker:
        job = models_worker.call(_report_once_told, str(tmp_path / "go"))
        assert job.early(meanwhile=_steps(tmp_path / "unused", taken)) is None
        assert job.result() == "whole"
    assert taken == []


def test_a_later_value_is_computed_once_in_a_step_or_when_asked(tmp_path: Path) -> None:
    calls: list[int] = []
    stepped = Later(lambda: calls.append(1) or len(calls))
    go = tmp_path / "go"
    with Worker(_warm) as models_worker:
        job = models_worker.call(_report_once_told, str(go))  # reports once a later step writes `go`
        assert job.early(meanwhile=itertools.chain(stepped.step(), _steps(go, []))) == "early"
        assert calls == [1]  # computed as the wait's first step
        job.result()
    assert stepped.get() == 1 and calls == [1]  # asking did not compute it again
    skipped = Later(lambda: calls.append(2) or len(calls))
    steps = skipped.step()  # a wait that ended before this step
    assert calls == [1] and skipped.get() == 2 and calls == [1, 2]
    assert list(steps) == [None] and calls == [1, 2]  # a late step takes the value it has


def _document(path: Path) -> dict[str, Any]:
    diags = Diagnostics()
    loaded = load_spec(path, path.name, diags)
    assert loaded is not None
    return normalize(bundle(loaded.path, path.name, loaded.document, diags).document).document


def _index_of(models: ModelsModule) -> tuple[Any, ...]:
    return models.classes, models.by_source, models.aliases, models.request_shapes, models.response_shapes


@pytest.mark.parametrize("name", ["coverage.yaml", "coverage31.yaml"])
def test_the_early_index_is_the_final_models_index(name: str) -> None:
    document = _document(FIXTURES / "specs" / name)
    reported: list[ModelsModule] = []
    models = generate_models(document, header="# m", diags=Diagnostics(), spec_file=name, on_index=reported.append)
    assert models is not None and len(reported) == 1
    assert reported[0].classes and _index_of(reported[0]) == _index_of(models)
    assert reported[0].definitions == () and models.definitions


def test_with_an_envelope_the_early_index_already_has_the_private_classes() -> None:
    reported: list[ModelsModule] = []
    models = generate_models(
        _document(SPEC), header="# m", diags=Diagnostics(), spec_file="openapi.yaml", on_index=reported.append
    )
    assert models is not None and any(name.startswith("_") for name in models.classes)
    assert len(reported) == 1 and _index_of(reported[0]) == _index_of(models)


def _counting(calls: list[int], function: Any) -> Any:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return function(*args, **kwargs)

    return counted


def test_an_early_index_the_models_contradict_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The IR built from the early index is dropped when the final index differs (here the early
    one is made to miss Northflank's private envelopes); the output is a normal run's."""
    import generator.ir.build
    import generator.models

    calls: list[int] = []
    monkeypatch.setattr(generator.ir.build, "build_ir", _counting(calls, generator.ir.build.build_ir))
    normal = generate(spec=SPEC, out=tmp_path / "normal")
    assert normal.report is not None and len(calls) == 1, "the early index was not used"
    envelopes = generator.models.envelopes

    def no_early_envelopes(document: Any, models: Any, **options: Any) -> frozenset[str]:
        return frozenset() if "mentioned" in options else envelopes(document, models, **options)

    monkeypatch.setattr(generator.models, "envelopes", no_early_envelopes)  # inherited by the forked child
    calls.clear()
    again = generate(spec=SPEC, out=tmp_path / "again")
    assert again.report is not None and len(calls) == 2, "the IR was not built again"
    assert _files(tmp_path / "again") == _files(tmp_path / "normal")
    assert list(again.result.diagnostics) == list(normal.result.diagnostics)
    assert again.result.api == normal.result.api


@pytest.mark.parametrize("name", ["coverage.yaml", "mini.yaml"])
def test_compiling_only_gets_the_whole_models_whichever_way_they_came(name: str, tmp_path: Path) -> None:
    """``dump-ir`` and ``breaking`` compile without rendering; the child's early index and the
    source it sends after must be put together there too."""
    spec = FIXTURES / "specs" / name
    settings = Settings(spec=spec, out=tmp_path / "out")
    whole = pipeline.run(settings)
    compiled = pipeline.compile_spec(settings)
    assert compiled.models is not None and compiled.models.classes and compiled.models.definitions
    assert compiled.models == whole.models and compiled.api == whole.api


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["coverage.yaml", "coverage31.yaml", "mini.yaml"])
def test_a_run_over_the_cores_writes_what_a_run_in_one_process_writes(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = FIXTURES / "specs" / name
    forked = generate(spec=spec, out=tmp_path / "forked")
    assert forked.report is not None, forked.result.diagnostics.render()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    alone = generate(spec=spec, out=tmp_path / "alone")
    assert alone.report is not None
    assert _files(tmp_path / "forked") == _files(tmp_path / "alone")
    assert list(forked.result.diagnostics) == list(alone.result.diagnostics)
    assert forked.result.api == alone.result.api
    assert worker._STARTING is None


def test_the_models_child_is_forked_before_any_other_stage_is_imported(tmp_path: Path) -> None:
    """What the child inherits is the models stage and pydantic (which the validator shares), none
    of the stages it never runs: importing those first would only delay its warm-up."""
    script = (
        "import json, sys\n"
        "from generator import worker\n"
        "seen = []\n"
        "start = worker.Worker.__init__\n"
        "def spy(self, warm):\n"
        "    seen.append(sorted(sys.modules))\n"
        "    start(self, warm)\n"
        "worker.Worker.__init__ = spy\n"
        "from generator.cli import main\n"
        f"code = main(['generate', '--spec', {str(SPEC)!r}, '--out', {str(tmp_path / 'out')!r}, '--no-cache', '-q'])\n"
        "print(json.dumps([code, seen]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    code, seen = json.loads(proc.stdout.splitlines()[-1])
    assert code == 0 and len(seen) == 1, proc.stderr
    (modules,) = seen
    assert {"generator.models", "generator.worker", "pydantic.main"} <= set(modules)
    later = ("generator.stages", "generator.openapi.load", "generator.ir", "generator.emit", "generator.parallel")
    later += ("yaml", "jinja2", "black", "jsonschema", "datamodel_code_generator", "openapi_spec_validator")
    assert [m for m in modules if m.startswith(later)] == []


# fork_call: a child forked once its call exists.


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_fork_call_runs_in_a_child_and_returns_its_result() -> None:
    child_pid, value = worker.fork_call(_pid_and_square, 12)()
    assert value == 144 and child_pid != os.getpid()


def _pids_of_a_nested_fork(n: int) -> tuple[int, int, int]:
    grandchild, value = worker.fork_call(_pid_and_square, n)()
    return os.getpid(), grandchild, value


def test_a_non_daemon_fork_call_may_fork_again_as_breaking_does() -> None:
    """breaking compiles the older spec in a child, and a compile forks its own model child."""
    child, grandchild, value = worker.fork_call(_pids_of_a_nested_fork, 5, daemon=False)()
    assert value == 25
    assert len({os.getpid(), child, grandchild}) == 3, "each call ran in its own process, none fell back"


def _raise_in_fork_child(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        raise RuntimeError("boom in the child")
    return n + 1


def _die_in_fork_child(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(3)  # killed, out of memory: no result comes back
    return n + 1


def test_fork_call_reruns_in_process_when_the_child_fails() -> None:
    # Either way the caller still gets the in-process result, so a real error
    # would surface in the caller with its own traceback.
    assert worker.fork_call(_raise_in_fork_child, 1)() == 2
    assert worker.fork_call(_die_in_fork_child, 5)() == 6


def _raises(message: str) -> None:
    raise ValueError(message)


def test_fork_call_surfaces_a_real_error_in_the_caller() -> None:
    with pytest.raises(ValueError, match="bad input"):
        worker.fork_call(_raises, "bad input")()
