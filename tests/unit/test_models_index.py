"""Unit tests of what generator/models/index.py records for `breaking`: enum values, bases, Field keywords, aliases."""

from __future__ import annotations

import ast
import textwrap

from generator.models.index import index_aliases, index_classes
from generator.models.module import FieldKeyword, ModelField
from generator.models.rewrite import rewrite
from generator.models.tool import ToolClass, ToolField

SOURCE = textwrap.dedent(
    '''
    from enum import Enum
    from pydantic import Field, MISSING, RootModel
    from typing import Annotated


    class Policy(str, Enum):
        """How runs overlap."""

        ALLOW = 'allow'
        """Runs overlap."""
        FORBID = 'forbid'


    class Size(int, Enum):
        SMALL = 1024
        MINUS = -1


    class Mixed(Enum):
        ONE = 1
        ONE_STR = 'one'


    class Tag(RootModel[str]):
        root: Annotated[str, Field(max_length=39, pattern='^[a-z]+$')]


    class Pet(ApiModel):
        name: Annotated[str, Field(min_length=3, max_length=52, examples=['rex'])]
        age: Annotated[int | MISSING, Field(alias='petAge', ge=0, lt=30, deprecated=True)] = MISSING
        tags: list[Tag] | MISSING = MISSING
        policy: Policy


    class Dog(Pet):
        bark: bool
    '''
)
REPORT = (
    ToolClass(name="Policy", source="#/components/schemas/Policy", fields=()),
    ToolClass(
        name="Tag", source="#/components/schemas/Tag", fields=(ToolField(name="root", alias="root", required=True),)
    ),
    ToolClass(
        name="Pet",
        source="#/components/schemas/Pet",
        fields=(
            ToolField(name="name", alias="name", required=True),
            ToolField(name="age", alias="petAge", required=False),
            ToolField(name="tags", alias="tags", required=False),
            ToolField(name="policy", alias="policy", required=True),
        ),
    ),
)


def test_enum_values_as_json_in_source_order() -> None:
    """An enum's members are Assigns (not fields): their values are recorded as JSON, docstrings skipped."""
    classes, _ = index_classes(ast.parse(SOURCE), REPORT, frozenset())
    assert classes["Policy"].values == ('"allow"', '"forbid"')
    assert classes["Size"].values == ("1024", "-1")
    assert classes["Policy"].fields == ()
    assert classes["Pet"].values == ()


def test_bases_as_written() -> None:
    """Bases are kept as the tool wrote them, so a subclass's inherited fields can be found."""
    classes, _ = index_classes(ast.parse(SOURCE), REPORT, frozenset())
    assert classes["Dog"].bases == ("Pet",)
    assert classes["Policy"].bases == ("str", "Enum")
    assert classes["Tag"].bases == ("RootModel[str]",)


def test_field_keywords_that_limit_values() -> None:
    """Bounds, patterns and deprecation are recorded per field as JSON; alias and examples are not."""
    classes, _ = index_classes(ast.parse(SOURCE), REPORT, frozenset())
    assert classes["Pet"].keywords == (
        FieldKeyword(field="name", keyword="min_length", value="3"),
        FieldKeyword(field="name", keyword="max_length", value="52"),
        FieldKeyword(field="age", keyword="ge", value="0"),
        FieldKeyword(field="age", keyword="lt", value="30"),
        FieldKeyword(field="age", keyword="deprecated", value="true"),
    )
    assert classes["Tag"].keywords == (
        FieldKeyword(field="root", keyword="max_length", value="39"),
        FieldKeyword(field="root", keyword="pattern", value='"^[a-z]+$"'),
    )
    assert classes["Dog"].keywords == ()


def test_unique_items_become_a_keyword() -> None:
    """The tree still says list (the UniqueList edit comes later), so the stage passes the unique fields in."""
    classes, _ = index_classes(ast.parse(SOURCE), REPORT, frozenset(), unique_items={"Pet": frozenset({"tags"})})
    assert FieldKeyword(field="tags", keyword="unique_items", value="true") in classes["Pet"].keywords
    assert classes["Pet"].fields[2] == ModelField(
        python_name="tags", wire_name="tags", annotation="list[Tag] | MISSING", required=False
    )


def test_aliases_are_indexed_like_classes() -> None:
    """Root models that became aliases keep their type and keywords; a mixed or number enum its values."""
    rewritten = rewrite(SOURCE, keep_root_models=frozenset(), python_patterns=frozenset(), unique_items={})
    assert rewritten.aliased == {"Tag", "Mixed", "Size"}
    classes, _ = index_classes(rewritten.tree, REPORT, rewritten.aliased)
    aliases = index_aliases(rewritten.tree, REPORT, rewritten.aliased)
    assert set(aliases) == {"Tag", "Mixed", "Size"} and not set(aliases) & set(classes)
    assert (aliases["Size"].kind, aliases["Size"].values) == ("enum", ("1024", "-1"))
    assert aliases["Tag"].kind == "root"
    assert aliases["Tag"].fields == (ModelField(python_name="root", wire_name="root", annotation="str"),)
    assert aliases["Tag"].source == "#/components/schemas/Tag"
    assert aliases["Tag"].keywords[0] == FieldKeyword(field="root", keyword="max_length", value="39")
    assert (aliases["Mixed"].kind, aliases["Mixed"].values) == ("enum", ("1", '"one"'))
