"""What the stages that read generated Python (models, the breaking-change rules, layout) ask of its syntax."""

from __future__ import annotations

import ast


def union_operands(node: ast.expr) -> list[ast.expr]:
    """The operands of an ``A | B | C`` chain, left to right; ``[node]`` for anything else."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return union_operands(node.left) + union_operands(node.right)
    return [node]
