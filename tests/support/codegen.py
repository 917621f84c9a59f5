"""Generate a spec (dict or file) into a directory and import the result under a unique package name.

Used by the hostile-input and property-based tests. Nothing here knows about
particular specs: it runs the real pipeline (``generator.pipeline.run``),
writes the FileMap to disk, and imports the package either in this process
(``import_package``) or in a fresh interpreter (``run_python``), which is the
only trustworthy way to prove that importing executes nothing but definitions.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from generator.diagnostics import Diagnostics
from generator.ir import Api, Operation, Tag
from generator.pipeline import Result, run
from generator.settings import Settings

REPO = Path(__file__).resolve().parents[2]
HOSTILE_FIXTURES = REPO / "tests" / "fixtures" / "hostile"

_COUNTER = itertools.count(1)


def unique_package(prefix: str = "cg") -> str:
    """A package name no other test in this process uses (modules stay in sys.modules)."""
    while True:
        name = f"{prefix}_{os.getpid()}_{next(_COUNTER)}"
        if name not in sys.modules:  # should this module ever be imported twice, under two names
            return name


@dataclass
class Generated:
    """A generated package on disk."""

    out: Path  # directory that holds the package directory; put it on sys.path
    package: str
    files: dict[PurePosixPath, str]
    api: Api
    diagnostics: Diagnostics

    @property
    def root(self) -> Path:
        return self.out / self.package

    def text(self, relative: str) -> str:
        return self.files[PurePosixPath(self.package) / relative]

    def python_files(self) -> dict[PurePosixPath, str]:
        return {p: t for p, t in self.files.items() if p.suffix == ".py"}

    def tag(self, name: str) -> Tag:
        return next(t for t in self.api.tags if t.name == name)

    def operation(self, operation_id: str) -> tuple[Tag, Operation]:
        for tag in self.api.tags:
            for op in tag.operations:
                if op.operation_id == operation_id:
                    return tag, op
        raise KeyError(operation_id)


def write_spec(spec: Mapping[str, Any], directory: Path, name: str = "spec.json") -> Path:
    """Write a spec dict as JSON (exact strings, no YAML surprises)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(spec, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


_BLACK_MEMO: dict[tuple[str, str], str] = {}


@contextlib.contextmanager
def memoized_black() -> Iterator[None]:
    """Memoise ``black.format_str`` while the pipeline runs (a pure function: same bytes out).

    Every generation formats the same ~2,000 lines of static runtime files; without
    this a tiny spec takes ~3 s instead of ~0.3 s, which the property tests cannot afford.
    """
    import black

    original = black.format_str
    if getattr(original, "_codegen_memo", False):
        yield
        return

    def format_str(src_contents: str, *, mode: Any, **kwargs: Any) -> str:
        if kwargs:
            return original(src_contents, mode=mode, **kwargs)
        key = (src_contents, repr(mode))
        if key not in _BLACK_MEMO:
            _BLACK_MEMO[key] = original(src_contents, mode=mode)
        return _BLACK_MEMO[key]

    format_str._codegen_memo = True  # type: ignore[attr-defined]
    black.format_str = format_str
    try:
        yield
    finally:
        black.format_str = original


def run_spec(
    spec: Mapping[str, Any] | Path, workdir: Path, *, package: str | None = None, validate: bool = True, **options: Any
) -> Result:
    """Run the pipeline on a dict (written to ``workdir/spec.json``) or a spec file; nothing is written to out."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = spec if isinstance(spec, Path) else write_spec(spec, workdir)
    out = workdir / "out"
    with memoized_black():
        return run(Settings(spec=path, out=out, package=package, validate=validate, **options))


def generate(
    spec: Mapping[str, Any] | Path,
    workdir: Path | None = None,
    *,
    package: str | None = None,
    validate: bool = True,
    use_spec_package: bool = False,
    **options: Any,
) -> Generated:
    """Generate into ``workdir/out/<package>``; fail with the diagnostics if the generator refused.

    The package name is unique per call (so in-process imports never collide) unless
    ``package`` is given, or ``use_spec_package`` asks for the spec's own ``x-codegen.package``.
    """
    workdir = Path(tempfile.mkdtemp(prefix="codegen-")) if workdir is None else workdir
    workdir.mkdir(parents=True, exist_ok=True)
    if not use_spec_package:
        package = package or unique_package()
    result = run_spec(spec, workdir, package=package, validate=validate, **options)
    return write_result(result, workdir / "out")


def write_result(result: Result, out: Path) -> Generated:
    """Write a successful pipeline Result under ``out``; fail with the diagnostics if it did not succeed."""
    assert result.files is not None and result.api is not None, result.diagnostics.render()
    for relative, text in result.files.items():
        target = out / Path(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    return Generated(
        out=out, package=result.api.package, files=dict(result.files), api=result.api, diagnostics=result.diagnostics
    )


def compile_all(gen: Generated | Mapping[PurePosixPath, str]) -> dict[str, SyntaxError]:
    """Every generated .py file compiled; the SyntaxErrors by file (empty when all compile)."""
    files = gen.files if isinstance(gen, Generated) else gen
    failures: dict[str, SyntaxError] = {}
    for path, text in files.items():
        if path.suffix != ".py":
            continue
        try:
            compile(text, str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            failures[str(path)] = exc
        except ValueError as exc:  # "source code string cannot contain null bytes"
            failures[str(path)] = SyntaxError(str(exc))
    return failures


def describe_syntax_errors(failures: Mapping[str, SyntaxError]) -> str:
    return "\n".join(
        f"{path}:{exc.lineno}: {exc.msg}: {(exc.text or '').rstrip()!r}" for path, exc in sorted(failures.items())
    )


def module_names(gen: Generated) -> list[str]:
    """Dotted names of every module of the package, from the FileMap (no import needed)."""
    names = []
    for path in sorted(gen.python_files()):
        parts = list(path.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def import_package(gen: Generated) -> dict[str, ModuleType]:
    """Import every module of the package in this process; returns them by dotted name.

    The package name is unique per generation, so repeated generations never
    see each other's modules.
    """
    sys.path.insert(0, str(gen.out))
    try:
        importlib.invalidate_caches()
        modules = {}
        for name in module_names(gen):
            modules[name] = importlib.import_module(name)
        return modules
    finally:
        sys.path.remove(str(gen.out))


def make_client(
    gen: Generated, modules: Mapping[str, ModuleType], handler: Any, *, async_: bool = False, **kwargs: Any
) -> Any:
    """The generated (async) client on an ``httpx.MockTransport``; passes ``token`` only if it is accepted
    (clients only take the credentials their spec's security schemes need)."""
    import inspect

    import httpx

    package = modules[gen.package]
    cls = getattr(package, gen.api.async_client_class if async_ else gen.api.client_class)
    if "token" in inspect.signature(cls).parameters:
        kwargs.setdefault("token", "t")
    return cls(transport=httpx.MockTransport(handler), **kwargs)


def models(gen: Generated) -> ModuleType:
    return import_package(gen)[f"{gen.package}.models"]


def run_python(
    code: str, *, cwd: Path, pythonpath: Path, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with ``pythonpath`` first on sys.path."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PWNED")}
    environment["PYTHONPATH"] = os.pathsep.join([str(pythonpath), str(REPO)])
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


_IMPORT_ALL = """
import builtins, importlib, json, os, sys, warnings
names = json.loads(os.environ["CODEGEN_MODULES"])
errors = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException as exc:  # SystemExit from a payload counts too
            errors[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({
    "errors": errors,
    "warnings": [f"{w.category.__name__}: {w.message} ({os.path.basename(w.filename)}:{w.lineno})" for w in caught],
    "env": sorted(k for k in os.environ if k.startswith("PWNED")),
    "builtins": sorted(n for n in dir(builtins) if n.startswith("PWNED")),
    "files": sorted(os.listdir(".")),
}))
"""


@dataclass
class ImportReport:
    errors: dict[str, str]
    warnings: list[str]
    env: list[str]
    builtins: list[str]
    files: list[str]
    stdout: str
    stderr: str


def import_in_subprocess(gen: Generated, cwd: Path) -> ImportReport:
    """Import every module of the package in a fresh interpreter whose cwd is ``cwd``.

    Reports import errors, ``PWNED*`` environment variables / builtins and the
    files in ``cwd`` afterwards: payloads in the hostile specs set or create them
    if they are ever executed.
    """
    proc = run_python(_IMPORT_ALL, cwd=cwd, pythonpath=gen.out, env={"CODEGEN_MODULES": json.dumps(module_names(gen))})
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    try:
        data = json.loads(last)
    except json.JSONDecodeError:
        data = {
            "errors": {"<interpreter>": f"exit {proc.returncode}"},
            "warnings": [],
            "env": [],
            "builtins": [],
            "files": [],
        }
    return ImportReport(
        data["errors"], data["warnings"], data["env"], data["builtins"], data["files"], proc.stdout, proc.stderr
    )


# --- reading generated source -------------------------------------------------------


def class_node(source: str, name: str) -> ast.ClassDef:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    raise KeyError(name)


def attribute_docstrings(source: str, class_name: str) -> dict[str, str]:
    """Attribute docstrings (the string statement right after ``name: T = ...``) of one class."""
    body = class_node(source, class_name).body
    docs: dict[str, str] = {}
    for stmt, following in itertools.pairwise(body):
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[stmt.target.id] = following.value.value
    return docs


_WS = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """Text modulo whitespace wrapping: every run of whitespace is one space, ends stripped."""
    return _WS.sub(" ", text or "").strip()


def fenced_blocks(markdown: str) -> Iterator[tuple[str, str]]:
    """(info string, body) of every fenced code block, following CommonMark's fence rules."""
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        match = re.match(r"^ {0,3}(`{3,}|~{3,})(.*)$", lines[i])
        if not match:
            i += 1
            continue
        fence, info = match.group(1), match.group(2).strip()
        body: list[str] = []
        i += 1
        while i < len(lines) and not re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        yield info, "\n".join(body)
