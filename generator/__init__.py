"""OpenAPI → typed Python client generator.

Public API: :func:`generate` writes the package, :func:`check` compares it with
what is on disk; both run the same in-memory pipeline (:mod:`generator.pipeline`).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import check, generate  # noqa: E402  (needs __version__ above)

__all__ = ["__version__", "check", "generate"]
