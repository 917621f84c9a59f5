"""One run: the models child is forked first of all, then every other stage runs here (stages.py).

The models stage is the longest on every spec, and on a small one most of it is
datamodel-code-generator's imports and first use, which the child pays while
this process imports the other stages and reads the spec. So this module
imports, before the fork, only what the child needs: the models stage.
"""

from __future__ import annotations

from .models.tool import warm as warm_models
from .result import Result
from .settings import Settings
from .worker import Worker

__all__ = ["Result", "compile_spec", "run"]


def compile_spec(settings: Settings) -> Result:
    """The checked IR, models and diagnostics of the spec, rendering and formatting nothing.

    What ``dump-ir`` and ``breaking`` need (sqlc's ``parse`` → result): they read the IR and
    the models only, so they skip the templates and black, most of a run on a large spec.
    The result's ``files`` is None.
    """
    return run(settings, emit=False)


def run(settings: Settings, *, emit: bool = True) -> Result:
    """Produce the whole package in memory (with ``emit``; else compile only); nothing is written here."""
    _import_shared()
    with Worker(warm_models) as models_worker:
        from .stages import run_stages  # after the fork: the child needs none of it

        return run_stages(settings, models_worker, emit=emit)


def _import_shared() -> None:
    """Import pydantic's model machinery before any child is forked: the models child
    (datamodel-code-generator's models) and the validator (openapi-spec-validator's settings)
    both build on it, and each would otherwise import it again (about 0.1 CPU-s apiece). It
    does not delay the models child: importing it would be the first thing the child does."""
    import pydantic.dataclasses
    import pydantic.json_schema
    import pydantic.main
    import pydantic.root_model
    import pydantic.types  # noqa: F401
