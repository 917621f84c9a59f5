"""What one run of the pipeline produced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .diagnostics import Diagnostics

if TYPE_CHECKING:  # the types only: this module is imported before the models child's fork (pipeline.py)
    from .emit.output import FileMap
    from .ir.nodes import Api
    from .models import ModelsModule


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """What a run produced: files (None when any ERROR stopped it), the IR and every diagnostic."""

    files: FileMap | None
    api: Api | None
    diagnostics: Diagnostics
    models: ModelsModule | None = None

    @property
    def ok(self) -> bool:
        return self.files is not None
