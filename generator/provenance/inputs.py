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


@dataclass(frozen=True, slots=True)
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
        try:
            assert isinstance(data, dict)
            spec, tools = data["spec"], data["tools"]
            assert isinstance(spec, dict) and isinstance(tools, dict)
            assert isinstance(data["options"], str) and isinstance(data["generator"], str)
            return cls(
                tuple((str(k), str(v)) for k, v in spec.items()),
                data["options"],
                data["generator"],
                tuple(sorted((str(k), str(v)) for k, v in tools.items())),
            )
        except (AssertionError, KeyError, TypeError):
            return None


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
