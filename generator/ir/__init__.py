"""Stage 3, the intermediate representation: plain frozen data built from the spec and the models.

The node types live in ``nodes`` and are re-exported here (``ir.Api``,
``ir.Operation``); ``build`` makes them, ``vet`` checks them, ``model_split``
plans the models package; ``generator.breaking`` compares two of them.
"""

from .nodes import (
    Api,
    Body,
    EnvelopeMember,
    ModelGroup,
    Operation,
    Param,
    ResponseCase,
    SecurityScheme,
    SharedOperation,
    Tag,
    Variant,
)

__all__ = [
    "Api",
    "Body",
    "EnvelopeMember",
    "ModelGroup",
    "Operation",
    "Param",
    "ResponseCase",
    "SecurityScheme",
    "SharedOperation",
    "Tag",
    "Variant",
]
