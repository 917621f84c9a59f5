"""OpenAPI → typed Python client generator.

Public API: :func:`generate` writes the package, :func:`check` compares it with
what is on disk; both run the same in-memory pipeline (:mod:`generator.pipeline`).
They are imported on first use, so ``python -m generator check`` answered from
the manifest (:mod:`generator.provenance.manifest`) never imports the stages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .api import check, generate

__all__ = ["__version__", "check", "generate"]


def __getattr__(name: str) -> Any:
    if name in ("check", "generate"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
