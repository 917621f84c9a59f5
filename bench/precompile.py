"""Our generator's compiled forms, as an installed generator has them before a benchmark's runs.

pip compiles the modules it installs (the peers' too), and the first run of an installed generator
writes its compiled templates beside them (``generator/emit/bytecode.py``), as Python writes a
module's bytecode. The benchmarks' runs set ``PYTHONDONTWRITEBYTECODE`` (identical work on every
repeat), so without this step each run would compile our modules and templates again, which no
user's second run does. Standard library only.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Compiles every template through the generator's own environment, so the bytecode lands where a
# run looks for it, and notes beside it what each template reads (generator/emit/reuse.py). A
# generator older than the bytecode cache compiles them in memory and keeps nothing; one older than
# the notes has no reuse module.
_TEMPLATES = """
from generator.emit.render import compiled
env = compiled()
try:
    from generator.emit.reuse import Reuse
    from generator.provenance.cache import NoCache
except ImportError:
    pass
else:
    list(Reuse(env, NoCache()).warm())
"""


def precompile(python: Path, root: Path) -> None:
    """Compile ``root/generator``'s modules and the templates it renders with, using ``python``."""
    subprocess.run([str(python), "-m", "compileall", "-q", str(root / "generator")], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    subprocess.run([str(python), "-c", _TEMPLATES], cwd=root, env=env, check=True)
