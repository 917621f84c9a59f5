"""`verify`: compare a vendored package's files with its own manifest (``_meta.py``); needs no spec."""

from __future__ import annotations

from pathlib import Path

from ..provenance.manifest import META, Manifest, find_manifest, read_manifest, tree_changes
from ..settings import Settings
from .config import Client
from .exit import Exit
from .report import Reporter
from .usage import shown


def _manifests(settings: Settings) -> list[Manifest | Path]:
    """The packages to verify: the configured package, else the one from the spec, else every one under out."""
    if settings.package:
        meta = settings.out / settings.package / META
        return [read_manifest(meta) or meta]
    found = find_manifest(settings.out, settings.spec_display)
    if found is not None:
        return [found]
    return [read_manifest(meta) or meta for meta in sorted(settings.out.glob(f"*/{META}"))]


def run(client: Client, reporter: Reporter, *, prog: str) -> Exit:
    settings = client.settings
    out = shown(settings.out)
    manifests = _manifests(settings)
    if not manifests:
        reporter.problem(out, "no-manifest", f"no generated package under {out}/", f"missing: {out}/*/{META}")
        reporter.note(f"{out}/: nothing to verify (no <package>/{META}); generate first, or point --out at it")
        return Exit.DRIFT
    failed = False
    for manifest in manifests:
        if isinstance(manifest, Path):
            name = f"{out}/{manifest.parent.name}/{META}"
            state = "missing" if not manifest.exists() else "edited by hand"
            reporter.problem(name, state.replace(" ", "-"), f"{name}: not a readable manifest", f"{state}: {name}")
            failed = True
            continue
        lines = tree_changes(manifest)
        for line in lines:
            kind, _, rel = line.partition(": ")
            reporter.problem(f"{out}/{rel}", kind.replace(" ", "-"), f"{out}/{rel}: {kind}", f"{kind}: {out}/{rel}")
        package = f"{out}/{manifest.package_dir.name}"
        if lines:
            failed = True
            reporter.note(
                f"{package}: {len(lines)} file(s) differ from its manifest ({META}); restore them from version "
                f"control, or regenerate with `{prog} generate`"
            )
        else:
            reporter.info(f"{package}: every file is as generated ({len(manifest.files) + 1} files)")
    return Exit.DRIFT if failed else Exit.OK
