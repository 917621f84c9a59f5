"""OpenAPI → typed Python client generator.

Public API: :func:`generate` writes the package, :func:`check` compares it with
what is on disk; both run the same in-memory pipeline (:mod:`generator.pipeline`).
"""

from __future__ import annotations

from ._version import __version__
from .api import check, generate

__all__ = ["__version__", "check", "generate"]
