"""Model generation per group of schemas against one run over the whole document, on a real spec.

    S=bench/.work/bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json
    .venv/bin/python bench/model_groups.py $S --edit

The models stage (``generator.models.generate_models``) runs three times on the
spec, in this process: once as one run of datamodel-code-generator (``groups=1``),
once grouped as ``generate`` groups it (``groups=None``: by size; ``--groups N``
forces N) with an empty cache, and, with ``--edit``, once more grouped on the spec
with one schema's description edited (``bench/inputs.write_spec_copy``, the edit
``bench/ours.py`` makes), with the cache the grouped run filled. Each module is
compared with one run over the same document: the count of classes (and aliases)
that differ, or exist in one only, must be 0. CPU seconds are this process's
(``time.process_time``): the groups run one after another here, as on one core.
"""

from __future__ import annotations

import argparse
import ast
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from inputs import edit_yaml_spec, write_spec_copy

from generator.diagnostics import Diagnostics
from generator.models import ModelsModule, generate_models
from generator.models.groups import group_count
from generator.models.prepare import prepare
from generator.openapi.bundle import bundle
from generator.openapi.load import load_spec
from generator.openapi.normalize import normalize
from generator.provenance.cache import Cache, NoCache


def _document(spec: Path) -> dict[str, Any]:
    diags = Diagnostics()
    loaded = load_spec(spec, spec.name, diags)
    assert loaded is not None, diags.render()
    document = normalize(bundle(loaded.path, spec.name, loaded.document, diags).document).document
    assert isinstance(document, dict)
    return document


def _models(document: dict[str, Any], groups: int | None, cache: Cache) -> tuple[ModelsModule, float]:
    diags = Diagnostics()
    started = time.process_time()
    models = generate_models(document, header="# bench", diags=diags, spec_file="spec", cache=cache, groups=groups)
    assert models is not None, diags.render()
    return models, time.process_time() - started


def _definitions(source: str) -> dict[str, str]:
    lines = source.splitlines()
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = "\n".join(lines[node.lineno - 1 : node.end_lineno])
    return found


def _differing(grouped: ModelsModule, whole: ModelsModule) -> int:
    """Classes and aliases that differ between the two modules or are in one only."""
    a, b = _definitions(grouped.source), _definitions(whole.source)
    return len(a.keys() ^ b.keys()) + sum(1 for name in a.keys() & b.keys() if a[name] != b[name])


def _report(label: str, grouped: ModelsModule, whole: ModelsModule) -> None:
    print(
        f"{label}: {len(_definitions(whole.source))} classes and aliases; differing: {_differing(grouped, whole)}; "
        f"modules byte-identical: {grouped.source == whole.source}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--groups", type=int, default=None, help="force this many groups (default: by size)")
    parser.add_argument("--edit", action="store_true", help="also regenerate after a one-schema edit")
    args = parser.parse_args()
    document = _document(args.spec)
    schemas = len(document["components"]["schemas"])
    whole, whole_s = _models(document, 1, NoCache())
    print(f"{schemas} component schemas (before inline ones are named); one run: {whole_s:.2f} CPU-s")
    with tempfile.TemporaryDirectory() as root:
        cache = Cache(Path(root))
        grouped, grouped_s = _models(document, args.groups, cache)
        count = args.groups or group_count(len(prepare(document).document["components"]["schemas"]))
        print(f"grouped ({count} buckets), empty cache: {grouped_s:.2f} CPU-s, {cache.misses} groups run")
        _report("grouped vs one run", grouped, whole)
        if args.edit:
            edited_spec = Path(root) / "edited" / args.spec.name
            if args.spec.suffix in (".yaml", ".yml"):
                name = edit_yaml_spec(args.spec, edited_spec, run=1)
            else:
                name = write_spec_copy(args.spec, edited_spec, edit=True, run=1)
            edited = _document(edited_spec)
            warm = Cache(Path(root))
            after, after_s = _models(edited, args.groups, warm)
            print(f"after editing {name!r}: {after_s:.2f} CPU-s, {warm.misses} groups run, {warm.hits} from the cache")
            cold, cold_s = _models(edited, 1, NoCache())
            print(f"one run over the edited spec: {cold_s:.2f} CPU-s")
            _report("edited, grouped and cached vs one run", after, cold)


if __name__ == "__main__":
    main()
