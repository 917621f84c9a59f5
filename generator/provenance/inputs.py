"""Everything a generated package is a function of, recorded in its ``_meta.py`` (``INPUTS``).

Generation is deterministic, so when these are unchanged and every file
still has the digest recorded beside them, the package is what generating
again would write: the drift check can say so without running any tool
(``manifest.py``). Standard library only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..settings import Settings
from .fingerprint import code_digest, tool_versions


@dataclass(frozen=True, slots=True, kw_only=True)
class Inputs:
    spec: tuple[tuple[str, str], ...]  # (display path, sha256 of the bytes): the root spec, then bundled files
    options: str  # digest of the settings that shape output
    generator: str  # digest of the generator's code and templates
    tools: tuple[tuple[str, str], ...]  # (name, version), sorted

    def as_json(self) -> dict[str, object]:
        return {
            "spec": dict(self.spec),
            "options": self.options,
            "generator": self.generator,
            "tools": dict(self.tools),
        }

    @classmethod
    def from_json(cls, data: object) -> Inputs | None:
        """Back from ``as_json`` (as read from a ``_meta.py``); None for anything else."""
        # A checked read, not asserts: `python -O` strips asserts, and a hand-edited manifest must
        # read as "no usable record" (the full check then runs), never as a half-valid one.
        if not isinstance(data, dict):
            return None
        spec, tools = data.get("spec"), data.get("tools")
        options, generator = data.get("options"), data.get("generator")
        if not (isinstance(spec, dict) and isinstance(tools, dict)):
            return None
        if not (isinstance(options, str) and isinstance(generator, str)):
            return None
        return cls(
            spec=tuple((str(k), str(v)) for k, v in spec.items()),
            options=options,
            generator=generator,
            tools=tuple(sorted((str(k), str(v)) for k, v in tools.items())),
        )


def options_digest(settings: Settings) -> str:
    """The settings that reach the output; the rest (validation, the cache) change only speed."""
    chosen = {
        "spec_path": settings.spec_display,
        "package": settings.package,
        "client_name": settings.client_name,
        "token_env_var": settings.token_env_var,
    }
    return hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()


def inputs_for(settings: Settings, spec_sources: tuple[tuple[str, str], ...]) -> Inputs:
    """The inputs of a run over ``spec_sources`` (the root spec first) with ``settings``."""
    return Inputs(
        spec=spec_sources,
        options=options_digest(settings),
        generator=code_digest(settings.templates.resolve() if settings.templates else None),
        tools=tuple(sorted(tool_versions().items())),
    )
