"""Every identifier that reaches Python is made here, and only here.

Pure functions: a wire name in, a safe Python identifier out. Collisions are
resolved deterministically by the caller passing the names already taken.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Collection

# Soft keywords are legal identifiers but make generated code confusing to read.
_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
# Shadowing a builtin as a parameter or field name is legal but hides the builtin
# inside the function; suffixing keeps `type`, `id`, `list` usable by readers.
_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
# Classes testing.py imports from the fake's runtime (_fake.py) next to the model classes.
TESTING_NAMES = frozenset({"FakeApi", "FakeCall", "FakeError", "FakeOperation", "FakeRejection", "FakeStep"})
# Names the generated modules import next to the model classes (models.py, api/*.py and
# testing.py): a schema with one of these names would shadow the import.
_PACKAGE_RESERVED_CLASSES = TESTING_NAMES | frozenset(
    {
        "Annotated",
        "Any",
        "AnyUrl",
        "ApiModel",
        "ApiResponse",
        "ApiRootModel",
        "AsyncApiClient",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Decimal",
        "Endpoint",
        "Enum",
        "Field",
        "IntEnum",
        "Literal",
        "Mapping",
        "NaiveDatetime",
        "NotGiven",
        "OpenEnum",
        "Optional",
        "RootModel",
        "SecurityScheme",
        "SyncApiClient",
        "TypeAdapter",
        "UUID",
        "Union",
    }
)
# Pydantic reserves these prefixes for its methods (its protected namespaces).
_MODEL_RESERVED_PREFIXES = ("model_validate", "model_dump")


@functools.lru_cache(maxsize=1)
def _model_attributes() -> frozenset[str]:
    from pydantic import BaseModel

    return frozenset(name for name in dir(BaseModel) if not name.startswith("__"))


# Longest module file stem; longer tag names are shortened with a stable hash.
MAX_MODULE_NAME = 60

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z])")


def _ascii_fold(text: str) -> str:
    """Turn ``Größe`` into ``Grosse``-like ASCII; drop what cannot be folded."""
    normalized = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return normalized.encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """Split a wire name into lower-case words: ``projectID-v2`` → project, id, v2."""
    parts: list[str] = []
    for chunk in _WORD_SPLIT.split(_ascii_fold(text)):
        if chunk:
            parts.extend(p.lower() for p in _CAMEL_BOUNDARY.split(chunk) if p)
    return parts


def snake_case(text: str, *, fallback: str = "value") -> str:
    """Snake-case identifier, safe to use as a function, parameter or field name."""
    name = "_".join(words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return _avoid_reserved(name)


# Cached: a large spec asks for the same names over and over (GitHub's: 150,000 calls, 7,000 names).
@functools.lru_cache(maxsize=1 << 16)
def pascal_case(text: str, *, fallback: str = "Model") -> str:
    """PascalCase identifier for classes; keeps existing inner capitals (``JobRun``)."""
    pieces: list[str] = []
    for chunk in _WORD_SPLIT.split(_ascii_fold(text)):
        if chunk:
            pieces.append(chunk[0].upper() + chunk[1:])
    name = "".join(pieces) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in _PACKAGE_RESERVED_CLASSES or keyword.iskeyword(name):
        name += "Model"
    return name


def constant_case(text: str, *, fallback: str = "VALUE") -> str:
    """UPPER_SNAKE for module-level constants."""
    return snake_case(text, fallback=fallback.lower()).rstrip("_").upper()


def _avoid_reserved(name: str) -> str:
    if name in _RESERVED or name in _BUILTINS:
        return name + "_"
    return name


def unique(name: str, taken: Collection[str]) -> str:
    """Return ``name``, or ``name_2``/``Name2``… — the first not in ``taken``.

    The suffix depends only on what is taken, so callers get the same answer
    when they visit names in a sorted order.
    """
    if name not in taken:
        return name
    sep = "_" if name[:1].islower() else ""
    base = name.rstrip("_") if sep else name
    counter = 2
    while f"{base}{sep}{counter}" in taken:
        counter += 1
    return f"{base}{sep}{counter}"


def module_name(text: str) -> str:
    """A module file name for a tag: snake case, short enough for any file system."""
    name = snake_case(text, fallback="default")
    if len(name) > MAX_MODULE_NAME:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        name = f"{name[: MAX_MODULE_NAME - 9].rstrip('_')}_{digest}"
    return name


def field_name(text: str) -> str:
    """A model field name: snake case, not a keyword, clear of pydantic's ``model_`` namespace.

    Builtins such as ``id`` and ``type`` are allowed here: a field is an
    attribute (``job.id``), so it shadows nothing, and the natural name reads best.
    """
    name = "_".join(words(text)) or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    if name in _RESERVED or name in _model_attributes() or name.startswith(_MODEL_RESERVED_PREFIXES) or name == "_":
        name += "_"
    return name


def is_identifier(text: str) -> bool:
    """A plain ASCII Python identifier that is not a keyword (for package names given by users)."""
    return text.isascii() and text.isidentifier() and not keyword.iskeyword(text)


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[0-9]+")


def class_words(name: str) -> list[str]:
    """The words of a PascalCase class name: ``BuildStorage`` → Build, Storage; ``CIFlag`` → CI, Flag."""
    return _WORD.findall(name)


def join_class_names(parent: str, child: str) -> str:
    """``parent`` then ``child``, without repeating the words ``parent`` ends with and ``child`` starts with.

    ``Storage`` + ``StorageSize`` → ``StorageSize``; ``EphemeralStorage`` + ``StorageSize`` →
    ``EphemeralStorageSize``; ``Build`` + ``Settings`` → ``BuildSettings``.
    """
    head, tail = class_words(parent), class_words(child)
    for size in range(min(len(head), len(tail)), 0, -1):
        if [w.lower() for w in head[-size:]] == [w.lower() for w in tail[:size]]:
            return "".join(head + tail[size:])
    return parent + child


def singular(word: str) -> str:
    """A naive singular of an English plural, for the item class of an array (``tags`` → ``tag``)."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word
