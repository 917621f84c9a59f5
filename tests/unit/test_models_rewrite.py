"""Unit tests of generator/models/rewrite.py, index.py and module.py on hand-written tool output.

The sources below are written the way datamodel-code-generator writes them
with the options of generator/models/tool.py (single-quoted strings, the
placeholder base-class import, ``X | MISSING = MISSING`` fields, ``Union[...]``
around forward references); the tool itself never runs here.
"""

from __future__ import annotations

import ast
import textwrap

import pytest

from generator.models.index import index_classes
from generator.models.module import ModelClass, ModelField, ModelsModule, Role
from generator.models.rewrite import Rewritten, escape_control_characters, rewrite
from generator.models.tool import ToolClass, ToolField

HEADER = """# MARKER

from enum import Enum
from pydantic import ConfigDict, Field, MISSING, RootModel
from __generated_package__._models import ApiModel
from typing import Annotated, Union
"""


def _source(*blocks: str, header: str = HEADER) -> str:
    return header + "".join("\n\n" + textwrap.dedent(block).strip("\n") + "\n" for block in blocks)


def _rewrite(
    *blocks: str,
    header: str = HEADER,
    keep: frozenset[str] = frozenset(),
    python_patterns: frozenset[str] = frozenset(),
    unique_items: dict[str, frozenset[str]] | None = None,
) -> Rewritten:
    return rewrite(
        _source(*blocks, header=header),
        keep_root_models=keep,
        python_patterns=python_patterns,
        unique_items=unique_items or {},
    )


def _text(rewritten: Rewritten, name: str) -> str:
    return next(d.text for d in rewritten.definitions if d.name == name and d.defines)


def _imports(rewritten: Rewritten) -> list[str]:
    return [i.render() for i in rewritten.imports]


def _config_keywords(text: str) -> dict[str, object]:
    """The keywords of the ``model_config = ConfigDict(...)`` in a class's text."""
    cls = ast.parse(text).body[0]
    assert isinstance(cls, ast.ClassDef)
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and ast.unparse(stmt.targets[0]) == "model_config":
            assert isinstance(stmt.value, ast.Call)
            return {str(k.arg): ast.literal_eval(k.value) for k in stmt.value.keywords}
    raise AssertionError(f"no model_config in {text!r}")


COLOR = """
class Color(str, Enum):
    RED = 'red'
    GREEN = 'green'
"""

TAG = '''
class Tag(RootModel[str]):
    root: Annotated[str, Field(min_length=1)]
    """
    A tag.
    """
'''


# --- base classes ------------------------------------------------------------------------------


def test_str_enum_becomes_open_enum() -> None:
    """``class X(str, Enum)`` derives from OpenEnum, imported relatively; ``enum`` is no longer imported."""
    rewritten = _rewrite(COLOR)
    assert _text(rewritten, "Color") == "class Color(str, OpenEnum):\n    RED = 'red'\n    GREEN = 'green'"
    assert "from ._models import OpenEnum" in _imports(rewritten)
    assert not any(i.startswith("from enum") for i in _imports(rewritten))
    uses = rewritten.definitions[0].uses
    assert "OpenEnum" in uses and "Enum" not in uses


def test_root_model_becomes_api_root_model() -> None:
    """``RootModel[list[X]]`` derives from ApiRootModel; the RootModel import goes."""
    rewritten = _rewrite(COLOR, "class Colors(RootModel[list[Color]]):\n    root: list[Color]\n")
    assert _text(rewritten, "Colors") == "class Colors(ApiRootModel[list[Color]]):\n    root: list[Color]"
    assert "from ._models import ApiRootModel, OpenEnum" in _imports(rewritten)
    assert not any("RootModel" in i for i in _imports(rewritten) if i.startswith("from pydantic"))
    assert "Colors" not in rewritten.aliased


# --- type aliases ------------------------------------------------------------------------------


def test_primitive_constrained_root_becomes_an_alias_with_its_docstring() -> None:
    """``class Tag(RootModel[str])`` becomes ``Tag = Annotated[...]`` followed by its docstring."""
    rewritten = _rewrite(TAG)
    text = _text(rewritten, "Tag")
    assert text == 'Tag = Annotated[str, Field(min_length=1)]\n"""A tag.\n"""'
    assign, doc = ast.parse(text).body
    assert isinstance(assign, ast.Assign) and isinstance(doc, ast.Expr)
    assert rewritten.aliased == frozenset({"Tag"})
    assert "RootModel" not in rewritten.definitions[0].uses
    assert _imports(rewritten) == ["from pydantic import Field", "from typing import Annotated"]


@pytest.mark.parametrize(
    ("base", "annotation"),
    [
        ("str", "Annotated[str, Field(pattern='^a')]"),
        ("int", "Annotated[int, Field(ge=0)]"),
        ("float", "Annotated[float, Field(lt=1.5)]"),
        ("bool", "bool"),
        ("int | float", "Annotated[int | float, Field(ge=0)]"),
    ],
)
def test_every_primitive_root_becomes_an_alias(base: str, annotation: str) -> None:
    """Roots of str, int, float, bool and ``int | float`` become aliases of their root annotation."""
    rewritten = _rewrite(f"class Value(RootModel[{base}]):\n    root: {annotation}\n")
    assert _text(rewritten, "Value") == f"Value = {annotation}"
    assert rewritten.aliased == frozenset({"Value"})


@pytest.mark.parametrize(
    "block",
    [
        "class Values(RootModel[list[str]]):\n    root: list[str]\n",  # not a scalar
        'class Code(RootModel[str]):\n    model_config = ConfigDict(\n        regex_engine="python-re",\n    )\n'
        "    root: Annotated[str, Field(pattern='^(a)\\\\1\\\\Z')]\n",  # has a config to keep
        "class Word(RootModel[str]):\n    root: str = 'x'\n",  # a default
    ],
    ids=["list", "configured", "default"],
)
def test_other_root_models_stay_classes(block: str) -> None:
    """Non-scalar roots, roots with a config and roots with a default stay ApiRootModel classes."""
    rewritten = _rewrite(block)
    assert rewritten.aliased == frozenset()
    assert "(ApiRootModel[" in rewritten.definitions[0].text


def test_keep_root_models_is_respected() -> None:
    """A root named in ``keep_root_models`` stays a class (an ApiRootModel)."""
    rewritten = _rewrite(TAG, keep=frozenset({"Tag"}))
    assert _text(rewritten, "Tag").startswith("class Tag(ApiRootModel[str]):\n    root: Annotated[str,")
    assert rewritten.aliased == frozenset()
    assert "from ._models import ApiRootModel" in _imports(rewritten)


MIXED = '''
class Mixed(Enum):
    """
    Odd values.
    """

    INT_1 = 1
    ONE = 'one'
    BOOL_TRUE = True
'''


def test_mixed_type_enum_becomes_a_literal_alias() -> None:
    """``[1, "one", True]`` becomes a ``Literal`` whose members keep their JSON types, with its docstring."""
    rewritten = _rewrite(MIXED)
    assert _text(rewritten, "Mixed") == (
        "Mixed = Annotated[Literal[1, 'one', True], OpenLiteral(1, 'one', True)]\n" + '"""Odd values.\n"""'
    )
    assert rewritten.aliased == frozenset({"Mixed"})
    assert _imports(rewritten)[0] == "from typing import Annotated, Literal"
    assert "from ._models import OpenLiteral" in _imports(rewritten)
    assert not any(i.startswith("from enum") for i in _imports(rewritten))


def test_default_naming_a_mixed_enum_member_becomes_its_value() -> None:
    """``= Mixed.ONE`` becomes ``= 'one'`` and ``= Mixed.BOOL_TRUE`` becomes ``= True``."""
    holder = """
    class Holder(ApiModel):
        mix: Mixed | MISSING = Mixed.ONE
        flag: Mixed = Mixed.BOOL_TRUE
        number: Annotated[Mixed, Field(description='x')] = Mixed.INT_1
    """
    text = _text(_rewrite(MIXED, holder), "Holder")
    assert "    mix: Mixed | MISSING = 'one'\n" in text
    assert "    flag: Mixed = True\n" in text
    assert text.endswith("    number: Annotated[Mixed, Field(description='x')] = 1")


def test_mixed_enum_with_a_negative_number_becomes_a_literal() -> None:
    """``[-1, True]`` (the tool writes ``INT__1 = -1``) is a Literal alias like any mixed enum."""
    rewritten = _rewrite("class Sign(Enum):\n    INT__1 = -1\n    BOOL_TRUE = True\n")
    assert _text(rewritten, "Sign") == "Sign = Annotated[Literal[-1, True], OpenLiteral(-1, True)]"


def test_number_enum_becomes_a_literal_of_its_values() -> None:
    """``[16384, 32768]`` is ``Literal[16384, 32768]``, not members ``INTEGER_16384``; a default is the number."""
    sizes = """
    class Size(int, Enum):
        \"\"\"
        Storage in MB.
        \"\"\"

        INTEGER_16384 = 16384
        INTEGER_32768 = 32768

    class Ratio(float, Enum):
        NUMBER_0_5 = 0.5
        NUMBER_1 = 1

    class Holder(ApiModel):
        size: Size | MISSING = Size.INTEGER_32768
    """
    rewritten = _rewrite(sizes)
    assert _text(rewritten, "Size") == (
        "Size = Annotated[Literal[16384, 32768], OpenLiteral(16384, 32768)]\n" + '"""Storage in MB.\n"""'
    )
    assert _text(rewritten, "Ratio") == "Ratio = Annotated[float | int, OpenLiteral(0.5, 1)]"
    assert _text(rewritten, "Holder").endswith("    size: Size | MISSING = 32768")
    assert rewritten.aliased == frozenset({"Size", "Ratio"})
    assert not any(i.startswith("from enum") for i in _imports(rewritten))


def test_string_enum_stays_an_open_enum() -> None:
    """Only numbers and mixed values become a Literal; strings keep named members."""
    rewritten = _rewrite("class Mode(str, Enum):\n    ON = 'on'\n    OFF = 'off'\n")
    assert _text(rewritten, "Mode").startswith("class Mode(str, OpenEnum):")
    assert rewritten.aliased == frozenset()


# --- uniqueItems -------------------------------------------------------------------------------


def test_unique_items_fields_get_unique_list() -> None:
    """``list[X]`` of a uniqueItems field becomes ``UniqueList[X]``, through Annotated and ``| MISSING``."""
    pet = """
    class Pet(ApiModel):
        tags: list[str] | MISSING = MISSING
        codes: Annotated[list[int] | MISSING, Field(min_length=1)] = MISSING
        ids: list[str]
        other: list[str] | MISSING = MISSING
    """
    rewritten = _rewrite(pet, unique_items={"Pet": frozenset({"tags", "codes", "ids"})})
    text = _text(rewritten, "Pet")
    assert "    tags: UniqueList[str] | MISSING = MISSING\n" in text
    assert "    codes: Annotated[UniqueList[int] | MISSING, Field(min_length=1)] = MISSING\n" in text
    assert "    ids: UniqueList[str]\n" in text
    assert text.endswith("    other: list[str] | MISSING = MISSING")
    assert "from ._models import ApiModel, UniqueList" in _imports(rewritten)


def test_unique_items_root_gets_unique_list() -> None:
    """A uniqueItems array root (field ``root``) becomes ``UniqueList``."""
    rewritten = _rewrite(
        "class Tags(RootModel[list[str]]):\n    root: list[str]\n", unique_items={"Tags": frozenset({"root"})}
    )
    assert _text(rewritten, "Tags").endswith("    root: UniqueList[str]")


def test_unique_items_of_another_class_are_not_applied() -> None:
    """The field set is per class: a same-named field elsewhere keeps its list."""
    rewritten = _rewrite("class Pet(ApiModel):\n    tags: list[str]\n", unique_items={"Other": frozenset({"tags"})})
    assert _text(rewritten, "Pet").endswith("    tags: list[str]")
    assert "UniqueList" not in " ".join(_imports(rewritten))


def test_unique_items_through_union_subscript() -> None:
    """``Union[list["Node"], MISSING]`` of a uniqueItems field becomes ``Union[UniqueList["Node"], MISSING]``."""
    node = """
    class Node(ApiModel):
        children: Union[list["Node"], MISSING] = MISSING
        tags: Annotated[Union[list[str], MISSING], Field(min_length=1)] = MISSING
    """
    text = _text(_rewrite(node, unique_items={"Node": frozenset({"children", "tags"})}), "Node")
    assert 'children: Union[UniqueList["Node"], MISSING]' in text
    assert "tags: Annotated[Union[UniqueList[str], MISSING]" in text


# --- model_config ------------------------------------------------------------------------------


def test_extra_allow_becomes_additional_properties() -> None:
    """``model_config = ConfigDict(extra='allow')`` becomes ``__additional_properties__ = True``."""
    block = """
    class Open(ApiModel):
        model_config = ConfigDict(
            extra='allow',
        )
        a: str | MISSING = MISSING
    """
    rewritten = _rewrite(block)
    assert _text(rewritten, "Open") == (
        "class Open(ApiModel):\n    __additional_properties__ = True\n    a: str | MISSING = MISSING"
    )


def test_replaced_config_no_longer_imports_config_dict() -> None:
    """Once ``extra='allow'`` is the only config and is replaced, ConfigDict is neither used nor imported."""
    block = """
    class Open(ApiModel):
        model_config = ConfigDict(
            extra='allow',
        )
        a: str | MISSING = MISSING
    """
    rewritten = _rewrite(block)
    assert "ConfigDict" not in rewritten.definitions[0].uses
    assert _imports(rewritten) == ["from pydantic import MISSING", "from ._models import ApiModel"]


def test_extra_allow_beside_other_settings_keeps_the_config() -> None:
    """With other keywords the config stays and ``__additional_properties__ = True`` follows it."""
    block = """
    class Open(ApiModel):
        model_config = ConfigDict(
            extra='allow',
            regex_engine="python-re",
        )
        a: str | MISSING = MISSING
    """
    text = _text(_rewrite(block), "Open")
    assert _config_keywords(text) == {"extra": "allow", "regex_engine": "python-re"}
    assert "    )\n    __additional_properties__ = True\n    a: str" in text


def test_other_extra_values_are_left_alone() -> None:
    """``extra='forbid'`` is not an open schema: no ``__additional_properties__``."""
    block = "class Shut(ApiModel):\n    model_config = ConfigDict(\n        extra='forbid',\n    )\n    a: str\n"
    text = _text(_rewrite(block), "Shut")
    assert "__additional_properties__" not in text
    assert _config_keywords(text) == {"extra": "forbid"}


LOOKAHEAD = r"^(?!x).*\Z"


def test_python_pattern_inserts_a_config() -> None:
    """A model holding a Python-only pattern gets ``ConfigDict(regex_engine="python-re")`` after its docstring."""
    block = r'''
    class Look(ApiModel):
        """
        Looks ahead.
        """

        p: Annotated[str | MISSING, Field(pattern='^(?!x).*\\Z')] = MISSING
    '''
    header = "# MARKER\n\nfrom pydantic import Field, MISSING\nfrom __generated_package__._models import ApiModel\n"
    header += "from typing import Annotated\n"
    rewritten = _rewrite(block, header=header, python_patterns=frozenset({LOOKAHEAD}))
    text = _text(rewritten, "Look")
    assert _config_keywords(text) == {"regex_engine": "python-re"}
    cls = ast.parse(text).body[0]
    assert isinstance(cls, ast.ClassDef)
    assert ast.get_docstring(cls) == "Looks ahead."
    assert [ast.unparse(s).split(" ")[0] for s in cls.body[1:]] == ["model_config", "p:"]
    assert _imports(rewritten)[0] == "from pydantic import ConfigDict, Field, MISSING"
    assert "ConfigDict" in rewritten.definitions[0].uses


def test_python_pattern_is_added_to_an_existing_config() -> None:
    """An existing config gets ``regex_engine="python-re"`` added to its keywords."""
    block = r"""
    class Look(ApiModel):
        model_config = ConfigDict(
            populate_by_name=True,
        )
        p: Annotated[str, Field(pattern='^(?!x).*\\Z')]
    """
    text = _text(_rewrite(block, python_patterns=frozenset({LOOKAHEAD})), "Look")
    assert _config_keywords(text) == {"regex_engine": "python-re", "populate_by_name": True}
    assert text.count("model_config") == 1


def test_python_pattern_with_a_chosen_engine_is_left_alone() -> None:
    """A config already naming its regex engine (the tool spots lookarounds itself) is not edited."""
    block = r"""
    class Look(ApiModel):
        model_config = ConfigDict(
            regex_engine="python-re",
        )
        p: Annotated[str, Field(pattern='^(?!x).*\\Z')]
    """
    source_text = textwrap.dedent(block).strip("\n")
    assert _text(_rewrite(block, python_patterns=frozenset({LOOKAHEAD})), "Look") == source_text


def test_python_pattern_and_extra_allow_together() -> None:
    """The replaced ``extra='allow'`` config makes way for a new one naming the engine."""
    block = r"""
    class Both(ApiModel):
        model_config = ConfigDict(
            extra='allow',
        )
        p: Annotated[str, Field(pattern='^(?!x).*\\Z')]
    """
    rewritten = _rewrite(block, python_patterns=frozenset({LOOKAHEAD}))
    text = _text(rewritten, "Both")
    assert "__additional_properties__ = True" in text
    assert _config_keywords(text) == {"regex_engine": "python-re"}
    assert any("ConfigDict" in i for i in _imports(rewritten))


def test_model_using_an_alias_with_a_python_pattern_gets_the_engine() -> None:
    """A model whose field uses a top-level alias holding a Python-only pattern switches engine too."""
    alias = r"Code = Annotated[str, Field(pattern='^(?!x).*\\Z')]"
    user = "class User(ApiModel):\n    code: Code\n"
    plain = "class Plain(ApiModel):\n    name: str\n"
    rewritten = _rewrite(alias, user, plain, python_patterns=frozenset({LOOKAHEAD}))
    assert _config_keywords(_text(rewritten, "User")) == {"regex_engine": "python-re"}
    assert "model_config" not in _text(rewritten, "Plain")


def test_patterns_that_rust_runs_change_nothing() -> None:
    """Without python_patterns no config is added, even to a model with a pattern."""
    block = "class P(ApiModel):\n    p: Annotated[str, Field(pattern='^[0-9]+$')]\n"
    assert "model_config" not in _text(_rewrite(block), "P")


# --- names and text ----------------------------------------------------------------------------

NAMES = """
class Names(str, Enum):
    名前 = '名前'
    GROSSE = 'GROSSE'
    Größe = 'Größe'
    Café = 'Café'
"""


def test_non_ascii_enum_members_become_ascii_constants() -> None:
    """Members get ASCII names (hashed when the fold is empty or taken); their values are untouched."""
    text = _text(_rewrite(NAMES), "Names")
    assert text == (
        "class Names(str, OpenEnum):\n"
        "    VALUE_7EC262 = '名前'\n"
        "    GROSSE = 'GROSSE'\n"
        "    GROSSE_AEDC3F = 'Größe'\n"
        "    CAFE = 'Café'"
    )


def test_references_to_renamed_members_follow() -> None:
    """``Names.名前`` elsewhere becomes ``Names.VALUE_7EC262``, also after non-ASCII text on the line."""
    person = """
    class Person(ApiModel):
        name: Annotated[Names, Field(description='名前 first')] = Names.名前
        size: Names | MISSING = Names.Café
    """
    text = _text(_rewrite(NAMES, person), "Person")
    assert "    name: Annotated[Names, Field(description='名前 first')] = Names.VALUE_7EC262\n" in text
    assert text.endswith("    size: Names | MISSING = Names.CAFE")


def test_raw_control_characters_are_escaped() -> None:
    """NUL, form feed and CR in a docstring become escapes with the same value; tab and newline stay."""
    block = 'class Pet(ApiModel):\n    """\n    A\x00b\x0cc\rd\te\n    """\n\n    name: str\n'
    text = _text(_rewrite(block), "Pet")
    assert not any(ch in text for ch in "\x00\x0c\r")
    assert "\\x00" in text and "\\x0c" in text and "\\x0d" in text
    cls = ast.parse(text).body[0]
    assert isinstance(cls, ast.ClassDef)
    assert ast.get_docstring(cls, clean=False) == "\n    A\x00b\x0cc\rd\te\n    "


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a\x00b", "a\\x00b"),
        ("\x01\x08", "\\x01\\x08"),
        ("\x0b\x1f", "\\x0b\\x1f"),
        ("\x7f", "\\x7f"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("plain ünïcode", "plain ünïcode"),
    ],
)
def test_escape_control_characters(raw: str, escaped: str) -> None:
    """Only C0 controls other than tab and newline, and DEL, are escaped."""
    assert escape_control_characters(raw) == escaped


def test_alias_docstring_keeps_control_characters_escaped() -> None:
    """A primitive root whose description holds a NUL becomes an alias whose text still parses."""
    block = 'class Tag(RootModel[str]):\n    root: str\n    """\n    A\x00tag\n    """\n'
    text = _text(_rewrite(block), "Tag")
    assert "\x00" not in text
    ast.parse(text)


# --- header and definitions --------------------------------------------------------------------


def test_header_is_rebuilt_from_the_names_used() -> None:
    """Unused imports go, ``as`` names stay, and the placeholder import becomes one ``from ._models``."""
    header = (
        "# MARKER\n\nfrom datetime import date as date_aliased\nfrom enum import Enum\n"
        "from pydantic import ConfigDict, Field, MISSING, RootModel\n"
        "from __generated_package__._models import ApiModel\nfrom typing import Annotated, Union\n"
    )
    pet = """
    class Pet(ApiModel):
        born: date_aliased | MISSING = MISSING
        name: Annotated[str, Field(min_length=1)]
    """
    rewritten = _rewrite(pet, header=header)
    assert _imports(rewritten) == [
        "from datetime import date as date_aliased",
        "from pydantic import Field, MISSING",
        "from typing import Annotated",
        "from ._models import ApiModel",
    ]
    assert not any("__generated_package__" in i for i in _imports(rewritten))


def test_our_bases_are_imported_in_one_fixed_order() -> None:
    """ApiModel, ApiRootModel, OpenEnum, UniqueList: one relative import, in that order."""
    rewritten = _rewrite(
        COLOR,
        "class Colors(RootModel[list[Color]]):\n    root: list[Color]\n",
        "class Pet(ApiModel):\n    tags: list[str]\n",
        unique_items={"Pet": frozenset({"tags"})},
    )
    ours = [i for i in _imports(rewritten) if i.startswith("from ._models")]
    assert ours == ["from ._models import ApiModel, ApiRootModel, OpenEnum, UniqueList"]


def test_definitions_their_uses_and_rebuilds() -> None:
    """One definition per class in order; uses hold names and quoted forward references; a rebuild defines nothing."""
    node = """
    class Node(ApiModel):
        children: Union[list["Node"], MISSING] = MISSING
        color: Color | MISSING = MISSING


    Node.model_rebuild()
    """
    rewritten = _rewrite(COLOR, node)
    assert [(d.name, d.defines) for d in rewritten.definitions] == [("Color", True), ("Node", True), ("Node", False)]
    node_def = rewritten.definitions[1]
    assert {"Node", "Color", "ApiModel", "Union", "MISSING", "list"} <= node_def.uses
    assert rewritten.definitions[2].text == "Node.model_rebuild()"
    assert rewritten.definitions[2].uses == frozenset({"Node"})
    assert rewritten.splittable is True
    assert not node_def.text.startswith("\n") and not node_def.text.endswith("\n")


def test_an_unplaceable_statement_makes_the_module_unsplittable() -> None:
    """A top-level statement that is no definition stays with its neighbour and clears ``splittable``."""
    node = "class Node(ApiModel):\n    name: str\n\n\nNode.model_rebuild(force=True)\n"
    rewritten = _rewrite(node)
    assert rewritten.splittable is False
    assert [d.name for d in rewritten.definitions] == ["Node"]
    assert rewritten.definitions[0].text.endswith("Node.model_rebuild(force=True)")


def test_tree_is_the_parse_of_the_tool_output() -> None:
    """``tree`` is the one parse, of the text before the edits (the class index reads it)."""
    rewritten = _rewrite(COLOR, TAG)
    names = [n.name for n in rewritten.tree.body if isinstance(n, ast.ClassDef)]
    assert names == ["Color", "Tag"]


# --- index_classes -----------------------------------------------------------------------------

INDEX_SOURCE = _source(
    COLOR,
    TAG,
    "class Tags(RootModel[list[Tag]]):\n    root: list[Tag]\n",
    """
    class Pet(ApiModel):
        name: str
        pet_id: Annotated[int | MISSING, Field(alias='petId', ge=0)] = MISSING
        tags: Tags | MISSING = MISSING
    """,
    "class Dog(Pet):\n    bark: bool\n",
    "class Loose(ApiModel):\n    a: str\n    b: int = 1\n",
)
REPORT = (
    ToolClass(
        name="Color", source="#/components/schemas/Color", fields=(ToolField(name="RED", alias="RED", required=True),)
    ),
    ToolClass(
        name="Tag", source="#/components/schemas/Tag", fields=(ToolField(name="root", alias="root", required=True),)
    ),
    ToolClass(
        name="Tags", source="#/components/schemas/Tags", fields=(ToolField(name="root", alias="root", required=True),)
    ),
    ToolClass(
        name="Pet",
        source="#/components/schemas/Pet",
        fields=(
            ToolField(name="name", alias="name", required=True),
            ToolField(name="pet_id", alias="petId", required=False),
            ToolField(name="tags", alias="tags", required=False),
        ),
    ),
    ToolClass(
        name="Dog", source="#/components/schemas/Dog", fields=(ToolField(name="bark", alias="bark", required=True),)
    ),
)


def _index(aliased: frozenset[str] = frozenset()) -> tuple[dict[str, ModelClass], dict[str, tuple[str, ...]]]:
    return index_classes(ast.parse(INDEX_SOURCE), REPORT, aliased)


def test_index_kinds() -> None:
    """Enums, root models and models (also subclasses of models) are told apart."""
    classes, _ = _index()
    assert {name: c.kind for name, c in classes.items()} == {
        "Color": "enum",
        "Tag": "root",
        "Tags": "root",
        "Pet": "model",
        "Dog": "model",
        "Loose": "model",
    }


def test_index_fields_wire_names_and_required() -> None:
    """Fields carry the wire name of ``Field(alias=...)``, the plain annotation and the report's required."""
    classes, _ = _index()
    assert classes["Pet"].fields == (
        ModelField(python_name="name", wire_name="name", annotation="str", required=True),
        ModelField(python_name="pet_id", wire_name="petId", annotation="int | MISSING", required=False),
        ModelField(python_name="tags", wire_name="tags", annotation="Tags | MISSING", required=False),
    )
    assert classes["Tags"].fields == (
        ModelField(python_name="root", wire_name="root", annotation="list[Tag]", required=True),
    )
    assert classes["Color"].fields == ()


def test_index_required_without_a_report_comes_from_the_default() -> None:
    """A class the tool did not report: a field is required when it has no default; no source."""
    classes, by_source = _index()
    assert classes["Loose"].fields == (
        ModelField(python_name="a", wire_name="a", annotation="str", required=True),
        ModelField(python_name="b", wire_name="b", annotation="int", required=False),
    )
    assert classes["Loose"].source == ""
    assert "Loose" not in {n for names in by_source.values() for n in names}


def test_index_report_decides_required() -> None:
    """When the tool says a field is optional, that wins over the absence of a default."""
    tree = ast.parse(_source("class Pet(ApiModel):\n    name: str\n"))
    report = (
        ToolClass(
            name="Pet",
            source="#/components/schemas/Pet",
            fields=(ToolField(name="name", alias="name", required=False),),
        ),
    )
    classes, _ = index_classes(tree, report, frozenset())
    assert classes["Pet"].fields[0].required is False


def test_index_by_source() -> None:
    """Each reported pointer maps to its class names, sorted; pointers sorted too."""
    source = _source("class Zebra(ApiModel):\n    a: str\n", "class Apple(ApiModel):\n    a: str\n", COLOR)
    report = (
        ToolClass(name="Zebra", source="#/components/schemas/Thing", fields=()),
        ToolClass(name="Apple", source="#/components/schemas/Thing", fields=()),
        ToolClass(name="Color", source="#/components/schemas/Color", fields=()),
    )
    classes, by_source = index_classes(ast.parse(source), report, frozenset())
    assert by_source == {"#/components/schemas/Color": ("Color",), "#/components/schemas/Thing": ("Apple", "Zebra")}
    assert list(by_source) == sorted(by_source)
    assert classes["Zebra"].source == "#/components/schemas/Thing"


def test_index_leaves_aliased_classes_out() -> None:
    """Classes that became type aliases are neither classes nor sources."""
    classes, by_source = _index(frozenset({"Tag"}))
    assert "Tag" not in classes
    assert "#/components/schemas/Tag" not in by_source
    assert by_source["#/components/schemas/Pet"] == ("Pet",)


def test_index_on_a_rewrite_as_the_stage_does() -> None:
    """``index_classes(rewritten.tree, report, rewritten.aliased)`` indexes what the rewrite kept."""
    rewritten = rewrite(INDEX_SOURCE, keep_root_models=frozenset(), python_patterns=frozenset(), unique_items={})
    classes, by_source = index_classes(rewritten.tree, REPORT, rewritten.aliased)
    assert set(classes) == {"Color", "Tags", "Pet", "Dog", "Loose"}
    assert "#/components/schemas/Tag" not in by_source


# --- ModelsModule ------------------------------------------------------------------------------


def _module() -> ModelsModule:
    classes = {
        "Pet": ModelClass(name="Pet", kind="model", fields=(), source="#/components/schemas/Pet"),
        "PetRequest": ModelClass(name="PetRequest", kind="model", fields=(), source="#/components/schemas/PetRequest"),
        "Color": ModelClass(name="Color", kind="enum", fields=(), source="#/components/schemas/Color"),
        "Tags": ModelClass(
            name="Tags",
            kind="root",
            fields=(ModelField(python_name="root", wire_name="root", annotation="list[str]"),),
            source="#/components/schemas/Tags",
        ),
    }
    by_source = {
        "#/components/schemas/Color": ("Color",),
        "#/components/schemas/Pet": ("Pet",),
        "#/components/schemas/PetRequest": ("PetRequest",),
        "#/components/schemas/Tags": ("Tags",),
    }
    return ModelsModule(
        header="# MARKER",
        imports=(),
        definitions=(),
        classes=classes,
        by_source=by_source,
        request_shapes={"Pet": "PetRequest"},
        response_shapes={"Pet": "Pet"},
    )


@pytest.mark.parametrize(
    ("component", "role", "expected"),
    [
        ("Pet", "request", "PetRequest"),
        ("Pet", "response", "Pet"),
        ("Color", "request", "Color"),
        ("Color", "response", "Color"),
        ("Missing", "request", None),
    ],
)
def test_class_for_picks_the_shape_of_the_role(component: str, role: Role, expected: str | None) -> None:
    """class_for follows request_shapes/response_shapes, then the tool's source pointers."""
    assert _module().class_for(component, role=role) == expected


def test_class_for_filters_by_kind() -> None:
    """A class of another kind than asked for is not returned."""
    module = _module()
    assert module.class_for("Color", kinds=("model",)) is None
    assert module.class_for("Color", kinds=("enum",)) == "Color"
    assert module.class_for("Tags", kinds=("model", "root")) == "Tags"


def test_root_annotation() -> None:
    """A root model's wrapped type; None for models, enums and unknown names."""
    module = _module()
    assert module.root_annotation("Tags") == "list[str]"
    assert module.root_annotation("Pet") is None
    assert module.root_annotation("Color") is None
    assert module.root_annotation("Nope") is None
