"""`dump-ir`: print one client's intermediate representation as JSON (for writing templates)."""

from __future__ import annotations

import dataclasses
import json
import sys

from .config import Client
from .exit import Exit
from .report import Reporter


def run(client: Client, reporter: Reporter) -> Exit:
    from ..pipeline import compile_spec  # the stages, without rendering: the IR is all this prints

    result = compile_spec(client.settings)
    reporter.diagnostics(result.diagnostics)
    if result.api is None:
        return Exit.INVALID
    json.dump(dataclasses.asdict(result.api), sys.stdout, indent=2)
    sys.stdout.write("\n")
    sys.stdout.flush()  # a closed pipe shows here, inside main's handler, not at interpreter exit
    return Exit.OK
