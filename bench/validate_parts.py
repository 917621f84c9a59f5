"""CPU seconds of validation (generator/openapi/validate_parts.py) cold, unchanged and after edits.

    .venv/bin/python bench/validate_parts.py SPEC.json [--wide simple-user]

First the whole document as every run validated it before (``validate_document``); then,
against one fresh cache directory, in this order: a cold run; the same spec again; the edit
``bench/inputs.write_spec_copy(edit=True)`` makes (the first described schema's description
extended: ``actions-cache-list`` on GitHub's spec); then, on top of it, the description of
``--wide``, a schema many operations reach, extended; then a property added to that schema (an
edit every part reaching it sees: the worst case). Each step is its own process, loading and
bundling the spec as the pipeline does and then timing only ``validate_cached`` with
``time.process_time``: openapi-spec-validator's import included, as in a run's validation child.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.inputs import write_spec_copy


def _step(spec: Path, cache: Path, edits: list[str]) -> dict[str, object]:
    from generator.diagnostics import Diagnostics
    from generator.openapi.bundle import bundle
    from generator.openapi.load import load_spec
    from generator.openapi.validate_parts import validate_cached
    from generator.provenance.cache import Cache

    diags = Diagnostics()
    loaded = load_spec(spec, spec.name, diags)
    assert loaded is not None, diags.render()
    document = bundle(loaded.path, spec.name, loaded.document, diags).document
    if edits == ["before"]:  # the whole document, as every run validated it before validate_parts.py
        from generator.openapi.validate import validate_document

        started = time.process_time()
        validate_document(document, file=spec.name, diags=diags)
        seconds = time.process_time() - started
        return {"cpu_s": round(seconds, 2), "diagnostics": len(diags.items), "parts": 0, "checked": 0, "whole": True}
    for edit in edits:
        kind, _, name = edit.partition(":")
        schema = document["components"]["schemas"][name]
        if kind == "description":
            schema["description"] = (schema.get("description") or "") + " Edited by bench/validate_parts.py."
        else:
            schema.setdefault("properties", {})["edited_by_bench"] = {"type": "string"}
    started = time.process_time()
    outcome = validate_cached(document, file=spec.name, diags=diags, cache=Cache(cache))
    seconds = time.process_time() - started
    return {"cpu_s": round(seconds, 2), "diagnostics": len(diags.items), **dataclasses.asdict(outcome)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", type=Path)
    parser.add_argument("--wide", default="simple-user", help="a widely referenced schema to edit last")
    parser.add_argument("--step", nargs="+", metavar="CACHE [EDIT...]", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        cache, *edits = args.step
        print(json.dumps(_step(args.spec, Path(cache), edits)))
        return
    with tempfile.TemporaryDirectory() as work:
        cache, edited = Path(work) / "cache", Path(work) / "edited.json"
        name = write_spec_copy(args.spec, edited, edit=True)
        wide = [f"description:{args.wide}"]
        steps = [
            ("before: validate_document, any run", args.spec, ["before"]),
            ("cold", args.spec, []),
            ("unchanged", args.spec, []),
            (f"{name}'s description extended", edited, []),
            (f"and {args.wide}'s", edited, wide),
            (f"and a property added to {args.wide}", edited, [*wide, f"property:{args.wide}"]),
        ]
        print("| run | validation CPU s | parts | parts checked | whole run | diagnostics |")
        print("| --- | ---: | ---: | ---: | --- | ---: |")
        for label, spec, edits in steps:
            command = [sys.executable, __file__, str(spec), "--step", str(cache), *edits]
            row = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            whole = "cached" if row.get("cached") else "yes" if row["whole"] else "no"
            print(
                f"| {label} | {row['cpu_s']:.2f} | {row['parts']} | {row['checked']} | {whole} | {row['diagnostics']} |"
            )


if __name__ == "__main__":
    main()
