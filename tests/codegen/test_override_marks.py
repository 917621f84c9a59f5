"""Which inherited-field overrides in the model source get a mypy comment (generator/models/overrides.py)."""

from __future__ import annotations

import ast
import textwrap

from generator.models.overrides import narrowed_override_lines


def _marked(source: str) -> list[str]:
    source = textwrap.dedent(source)
    lines = source.split("\n")
    return [lines[index].strip() for index in narrowed_override_lines(ast.parse(source), lines)]


def test_an_incompatible_override_is_marked_and_a_narrowing_mypy_accepts_is_not() -> None:
    assert _marked("""
        class Base(ApiModel):
            data: list[dict[str, Any]] | None = None
            kind: str
            name: str | None = None
            size: int | None = None

        class Child(Base):
            data: list[Item] | None = None
            kind: Literal['child']
            name: str
            size: Literal[1, 'x']
    """) == ["data: list[Item] | None = None", "size: Literal[1, 'x']"]


def test_overrides_are_found_through_a_chain_of_bases_and_the_first_base_wins() -> None:
    assert _marked("""
        class A(ApiModel):
            x: int
        class B(ApiModel):
            x: str
        class C(A, B):
            x: int
        class D(C):
            x: str
    """) == ["x: str"]


def test_a_statement_that_cannot_take_a_comment_is_left_alone() -> None:
    source = textwrap.dedent("""
        class Base(ApiModel):
            x: int
            y: int

        class Child(Base):
            x: Annotated[
                str, Field(alias='X')
            ]
            y: str  # already commented
    """)
    assert narrowed_override_lines(ast.parse(source), source.split("\n")) == []
