"""Decide every operation's Python names before any operation is built.

Within one tag module, method names and module constants are unique, given in
path order (then method order), so adding an operation elsewhere never renames
this one. A variant (``x-codegen-variant-of``) gets only a constant, in its
primary's module, right after the primary's own.

A method does not repeat its module's name (``database.list_documents``, not
``database.database_list_documents``), and an operation without tags lives in
the module of its path's first word (``/v1/customers/{id}`` → ``customers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import naming
from ..diagnostics import pointer
from ..openapi.bodies import operation_key
from ..openapi.toolkit import HTTP_METHODS, as_list, operations


@dataclass(frozen=True, slots=True, kw_only=True)
class RawOperation:
    """An operation as the spec gives it, with what naming needs to know about it."""

    path: str
    method: str
    item: dict[str, Any]  # the path item (its parameters apply too)
    spec: dict[str, Any]  # the operation object
    operation_id: str
    pointer: str
    tags: tuple[str, ...]  # its home (first) tag first; ("default",) when it has none
    variant_of: str | None  # x-codegen-variant-of


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationNames:
    python_name: str  # the method on the home tag's resource
    constant_name: str  # the module-level Endpoint constant


# Attributes every resource class has besides its operations.
RESOURCE_ATTRIBUTES = frozenset({"with_raw_response"})


def method_name(base: str, taken: set[str]) -> str:
    """``base`` or a suffixed form, not taken and not one of the resource's own attributes."""
    return naming.unique(base, taken | RESOURCE_ATTRIBUTES)


# Path segments that say nothing about what the path is: versions and API prefixes.
_VERSION = re.compile(r"v\d+([._-]?\d+)*([a-z]+\d*)?|api|rest|\d+([.]\d+)*", re.IGNORECASE)


def path_tag(path: str) -> str:
    """The module of an untagged operation: its path's first word (``/v1/customers/{id}`` → ``customers``)."""
    for part in path.split("/"):
        if part and not part.startswith("{") and not _VERSION.fullmatch(part) and naming.words(part):
            return part
    return "default"


def without_tag(name: str, tag: str) -> str:
    """``name`` without the leading words it shares with its module (``database_list_documents`` → ``list_documents``).

    The tag's singular counts too (``teams`` + ``team_create``); a name would be
    left empty or starting with a digit keeps them.
    """
    name_words, tag_words = name.split("_"), naming.words(tag)
    for words in (tag_words, [*tag_words[:-1], naming.singular(tag_words[-1])] if tag_words else []):
        if words and len(name_words) > len(words) and name_words[: len(words)] == words:
            rest = "_".join(name_words[len(words) :])
            if rest and not rest[0].isdigit():
                return naming.snake_case(rest)
    return name


def raw_operations(document: dict[str, Any]) -> list[RawOperation]:
    """Every operation of the document in path, then method, order (duplicates included)."""
    found = []
    for path, method, item, op in operations(document):
        tags = tuple(dict.fromkeys(str(t) for t in as_list(op.get("tags")))) or (path_tag(path),)
        variant_of = op.get("x-codegen-variant-of")
        found.append(
            RawOperation(
                path=path,
                method=method,
                item=item,
                spec=op,
                operation_id=operation_key(method, path, op),
                pointer=pointer("paths", path, method),
                tags=tags,
                variant_of=variant_of if isinstance(variant_of, str) else None,
            )
        )
    return found


def plan_names(raws: list[RawOperation]) -> dict[str, OperationNames]:
    """Names for each operation id (first occurrence of a duplicated id only)."""
    by_id: dict[str, RawOperation] = {}
    for raw in raws:
        by_id.setdefault(raw.operation_id, raw)
    variants: dict[str, list[str]] = {}
    for op_id, raw in sorted(by_id.items()):
        if raw.variant_of is not None:
            variants.setdefault(raw.variant_of, []).append(op_id)
    homes: dict[str, list[RawOperation]] = {}
    for raw in by_id.values():
        if raw.variant_of is None:
            homes.setdefault(raw.tags[0], []).append(raw)
    result: dict[str, OperationNames] = {}
    for raws_of_tag in homes.values():
        methods: set[str] = set()
        constants: set[str] = set()
        for raw in sorted(raws_of_tag, key=lambda r: (r.path, HTTP_METHODS.index(r.method))):
            full = naming.snake_case(raw.operation_id, fallback="operation")
            short = without_tag(full, raw.tags[0])
            # The short name only when free: another operation's short or full name keeps it.
            python_name = method_name(short if short not in methods | RESOURCE_ATTRIBUTES else full, methods)
            methods.add(python_name)
            constant = naming.unique("_" + naming.constant_case(python_name), constants)
            constants.add(constant)
            result[raw.operation_id] = OperationNames(python_name=python_name, constant_name=constant)
            for variant_id in variants.get(raw.operation_id, []):
                variant_constant = naming.unique("_" + naming.constant_case(variant_id), constants)
                constants.add(variant_constant)
                result[variant_id] = OperationNames(
                    python_name=naming.snake_case(variant_id, fallback="operation"), constant_name=variant_constant
                )
    return result
