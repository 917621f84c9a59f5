"""Every rule `breaking` reports: a stable id, what it means, and what it does to the client's version.

Ids follow oasdiff's where oasdiff has the rule (``request-property-enum-value-removed``,
``new-required-request-parameter``, ...); the others are ours, in the same
kebab-case (``positional-parameters-changed``, ``operation-renamed``). A rule's
level follows from its semver effect: a ``major`` rule is breaking, the others
are notes.

A change to a model is reported once per way its values travel: ``request``
(reachable from a request body), ``parameter`` (an enum a parameter takes),
``response`` (reachable from a success response), or ``model`` when no
operation reaches it (judged as if it went both ways).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .types import Effect

Level = Literal["breaking", "note"]
Semver = Literal["major", "minor", "patch"]
Scope = Literal["request", "parameter", "response", "model"]
SEMVER_ORDER: dict[Semver, int] = {"patch": 0, "minor": 1, "major": 2}


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    semver: Semver
    meaning: str

    @property
    def level(self) -> Level:
        return "breaking" if self.semver == "major" else "note"


_OPERATIONS: dict[str, tuple[Semver, str]] = {
    "api-removed-without-deprecation": (
        "major",
        "an operation was removed (its path has others left): its method is gone",
    ),
    "api-removed-with-deprecation": ("major", "a deprecated operation was removed: its method is gone all the same"),
    "api-path-removed-without-deprecation": ("major", "the last operation of a path was removed"),
    "api-path-removed-with-deprecation": ("major", "the last operation of a path was removed; it was deprecated"),
    "endpoint-added": ("minor", "a new operation, so a new method"),
    "endpoint-deprecated": ("minor", "an operation became deprecated (calling it warns)"),
    "endpoint-reactivated": ("patch", "an operation is no longer deprecated"),
    "operation-moved": ("major", "an operation's HTTP method or path changed under the same operationId"),
    "operation-renamed": ("major", "an operation's method has a new Python name"),
    "operation-moved-tag": ("major", "an operation is reached through another client attribute (`client.<tag>`)"),
    "positional-parameters-changed": ("major", "the positional argument is another path parameter"),
    "package-renamed": ("major", "the package has a new import name"),
    "client-renamed": ("major", "the client class (or its async twin) has a new name"),
    "client-arguments-changed": ("major", "the client's constructor takes other credential arguments"),
    "token-env-var-changed": ("major", "the client reads its token from another environment variable"),
    "request-parameter-removed": ("major", "a parameter (a keyword argument) was removed"),
    "new-required-request-parameter": ("major", "a new required query, header or cookie parameter"),
    "new-request-path-parameter": ("major", "a new path parameter (always required)"),
    "new-optional-request-parameter": ("minor", "a new optional parameter"),
    "request-parameter-became-required": ("major", "an optional parameter became required"),
    "request-parameter-became-optional": ("minor", "a required parameter became optional"),
    "request-parameter-type-changed": ("major", "a parameter's type was narrowed or replaced"),
    "request-parameter-type-generalized": ("minor", "a parameter's type was widened (accepts every old value)"),
    "request-parameter-type-compatible": ("patch", "a parameter's type is spelled differently, same values"),
    "request-parameter-became-nullable": ("minor", "a parameter now also takes None"),
    "request-parameter-became-not-nullable": ("major", "a parameter no longer takes None"),
    "request-parameter-deprecated": ("minor", "a parameter became deprecated"),
    "request-parameter-enum-value-removed": ("major", "a value was removed from an enum a parameter takes"),
    "request-parameter-enum-value-added": ("minor", "a value was added to an enum a parameter takes"),
    "request-body-added-required": ("major", "an operation now needs a request body"),
    "request-body-added-optional": ("minor", "an operation now takes an optional request body"),
    "request-body-removed": ("major", "an operation no longer takes a request body (`body=` is refused)"),
    "request-body-became-required": ("major", "the request body became required"),
    "request-body-became-optional": ("minor", "the request body became optional"),
    "request-body-type-changed": ("major", "the request body's type was narrowed or replaced"),
    "request-body-type-generalized": ("minor", "the request body's type was widened"),
    "request-body-type-compatible": ("patch", "the request body's type is spelled differently, same values"),
    "request-body-became-nullable": ("minor", "the request body now also takes None"),
    "request-body-became-not-nullable": ("major", "the request body no longer takes None"),
    "response-body-type-changed": ("major", "what the method returns was widened or replaced"),
    "response-body-type-specialized": ("patch", "what the method returns was narrowed (fewer kinds of value)"),
    "response-body-type-compatible": ("patch", "what the method returns is spelled differently, same values"),
    "response-body-became-nullable": ("major", "the method may now return None"),
    "response-body-became-not-nullable": ("patch", "the method no longer returns None"),
    "response-success-status-removed": ("major", "a success status was removed (the client now raises on it)"),
    "response-success-status-added": ("minor", "a new success status"),
    "model-removed": ("major", "a class or type alias of `models` was removed"),
    "model-added": ("minor", "a new class or type alias in `models`"),
    "model-renamed": ("major", "a class or type alias of `models` has a new name, its shape unchanged"),
    "model-kind-changed": ("major", "a name of `models` became another kind (model, root model, enum, type alias)"),
    "field-wire-name-changed": ("major", "a field is sent and read under another JSON name (its alias)"),
}

# event -> (request, response, model) ids; a `parameter` scope uses the request id.
_PROPERTY_EVENTS: dict[str, tuple[str, str, str]] = {
    "removed": ("request-property-removed", "response-required-property-removed", "field-removed"),
    "removed-optional": ("request-property-removed", "response-optional-property-removed", "field-removed"),
    "added-required": ("new-required-request-property", "response-required-property-added", "required-field-added"),
    "added-optional": ("new-optional-request-property", "response-optional-property-added", "field-added"),
    "became-required": (
        "request-property-became-required",
        "response-property-became-required",
        "field-became-required",
    ),
    "became-optional": (
        "request-property-became-optional",
        "response-property-became-optional",
        "field-became-optional",
    ),
    "narrowed": ("request-property-type-changed", "response-property-type-specialized", "field-type-changed"),
    "widened": ("request-property-type-generalized", "response-property-type-changed", "field-type-changed"),
    "changed": ("request-property-type-changed", "response-property-type-changed", "field-type-changed"),
    "compatible": ("request-property-type-compatible", "response-property-type-compatible", "field-type-compatible"),
    "became-nullable": (
        "request-property-became-nullable",
        "response-property-became-nullable",
        "field-became-nullable",
    ),
    "became-not-nullable": (
        "request-property-became-not-nullable",
        "response-property-became-not-nullable",
        "field-became-not-nullable",
    ),
    "deprecated": ("request-property-deprecated", "response-property-deprecated", "field-deprecated"),
    "reactivated": ("request-property-reactivated", "response-property-reactivated", "field-reactivated"),
    "enum-value-removed": (
        "request-property-enum-value-removed",
        "response-property-enum-value-removed",
        "enum-value-removed",
    ),
    "enum-value-added": ("request-property-enum-value-added", "response-property-enum-value-added", "enum-value-added"),
}
_PARAMETER_EVENTS = {
    "enum-value-removed": "request-parameter-enum-value-removed",
    "enum-value-added": "request-parameter-enum-value-added",
}

_PROPERTIES: dict[str, tuple[Semver, str]] = {
    "request-property-removed": ("major", "a field of a request model was removed"),
    "response-required-property-removed": ("major", "a required field of a response model was removed"),
    "response-optional-property-removed": ("major", "an optional field of a response model was removed"),
    "field-removed": ("major", "a field of a model no operation uses was removed"),
    "new-required-request-property": ("major", "a new required field in a request model"),
    "response-required-property-added": ("minor", "a new required field in a response model"),
    "required-field-added": ("major", "a new required field in a model no operation uses"),
    "new-optional-request-property": ("minor", "a new optional field in a request model"),
    "response-optional-property-added": ("minor", "a new optional field in a response model"),
    "field-added": ("minor", "a new optional field in a model no operation uses"),
    "request-property-became-required": ("major", "a request field became required"),
    "response-property-became-required": ("patch", "a response field is now always present"),
    "field-became-required": ("major", "a field of a model no operation uses became required"),
    "request-property-became-optional": ("minor", "a request field became optional"),
    "response-property-became-optional": ("major", "a response field may now be MISSING"),
    "field-became-optional": ("major", "a field of a model no operation uses became optional"),
    "request-property-type-changed": ("major", "a request field's type was narrowed or replaced"),
    "response-property-type-specialized": ("patch", "a response field's type was narrowed"),
    "field-type-changed": ("major", "the type of a field of a model no operation uses changed"),
    "request-property-type-generalized": ("minor", "a request field's type was widened"),
    "response-property-type-changed": ("major", "a response field's type was widened or replaced"),
    "request-property-type-compatible": ("patch", "a request field's type is spelled differently, same values"),
    "response-property-type-compatible": ("patch", "a response field's type is spelled differently, same values"),
    "field-type-compatible": ("patch", "a field's type is spelled differently, same values (model no operation uses)"),
    "request-property-became-nullable": ("minor", "a request field now also takes None"),
    "response-property-became-nullable": ("major", "a response field may now be None"),
    "field-became-nullable": ("major", "a field of a model no operation uses became nullable"),
    "request-property-became-not-nullable": ("major", "a request field no longer takes None"),
    "response-property-became-not-nullable": ("patch", "a response field is no longer None"),
    "field-became-not-nullable": ("major", "a field of a model no operation uses is no longer nullable"),
    "request-property-deprecated": ("minor", "a request field became deprecated"),
    "response-property-deprecated": ("minor", "a response field became deprecated"),
    "field-deprecated": ("minor", "a field of a model no operation uses became deprecated"),
    "request-property-reactivated": ("patch", "a request field is no longer deprecated"),
    "response-property-reactivated": ("patch", "a response field is no longer deprecated"),
    "field-reactivated": ("patch", "a field of a model no operation uses is no longer deprecated"),
    "request-property-enum-value-removed": ("major", "a value was removed from an enum a request model uses"),
    "response-property-enum-value-removed": ("major", "a value was removed from an enum a response model uses"),
    "enum-value-removed": ("major", "a value was removed from an enum no operation uses"),
    "request-property-enum-value-added": ("minor", "a value was added to an enum a request model uses"),
    "response-property-enum-value-added": (
        "minor",
        "a value was added to an enum a response model uses: code matching every member may not handle it",
    ),
    "enum-value-added": ("minor", "a value was added to an enum no operation uses"),
}

# Field(...) keyword -> the limit's name in ids (the second for arrays), and its kind.
LIMIT_NAMES: dict[str, tuple[str, str, str]] = {
    "max_length": ("max-length", "max-items", "upper"),
    "min_length": ("min-length", "min-items", "lower"),
    "le": ("max", "max", "upper"),
    "lt": ("exclusive-max", "exclusive-max", "upper"),
    "ge": ("min", "min", "lower"),
    "gt": ("exclusive-min", "exclusive-min", "lower"),
    "multiple_of": ("multiple-of", "multiple-of", "multiple"),
    "pattern": ("pattern", "pattern", "pattern"),
    "unique_items": ("unique-items", "unique-items", "flag"),
}
_LIMIT_CHANGES: dict[str, dict[str, Effect]] = {
    "upper": {"set": "narrowed", "decreased": "narrowed", "increased": "widened", "unset": "widened"},
    "lower": {"set": "narrowed", "increased": "narrowed", "decreased": "widened", "unset": "widened"},
    "multiple": {"set": "narrowed", "unset": "widened", "changed": "changed"},
    "pattern": {"added": "narrowed", "removed": "widened", "changed": "changed"},
    "flag": {"set": "narrowed", "unset": "widened"},
}
_LIMIT_SCOPES = {"request": "request-property", "response": "response-property", "model": "field"}
_EFFECT_SEMVER: dict[str, dict[Effect, Semver]] = {
    "request": {"narrowed": "major", "widened": "minor", "changed": "major"},
    "response": {"narrowed": "patch", "widened": "major", "changed": "major"},
    "model": {"narrowed": "major", "widened": "major", "changed": "major"},
}


def _limit_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for scope, prefix in _LIMIT_SCOPES.items():
        for name, array_name, kind in LIMIT_NAMES.values():
            for limit in dict.fromkeys((name, array_name)):
                for change, effect in _LIMIT_CHANGES[kind].items():
                    meaning = f"{limit} of a {scope} field {change}: it accepts {_EFFECT_WORDS[effect]}"
                    rules[f"{prefix}-{limit}-{change}"] = Rule(semver=_EFFECT_SEMVER[scope][effect], meaning=meaning)
    return rules


_EFFECT_WORDS: dict[Effect, str] = {
    "narrowed": "fewer values",
    "widened": "more values",
    "changed": "other values",
}

RULES: dict[str, Rule] = {
    **{
        code: Rule(semver=semver, meaning=meaning) for code, (semver, meaning) in {**_OPERATIONS, **_PROPERTIES}.items()
    },
    **_limit_rules(),
}


def property_rule(event: str, scope: Scope) -> str:
    """The id of a change to a model (``event`` as in ``_PROPERTY_EVENTS``) seen from ``scope``."""
    if scope == "parameter" and event in _PARAMETER_EVENTS:
        return _PARAMETER_EVENTS[event]
    request, response, model = _PROPERTY_EVENTS[event]
    return {"request": request, "parameter": request, "response": response, "model": model}[scope]


def limit_rule(keyword: str, change: str, scope: Scope, *, array: bool) -> str:
    name, array_name, _ = LIMIT_NAMES[keyword]
    prefix = _LIMIT_SCOPES["request" if scope == "parameter" else scope]
    return f"{prefix}-{array_name if array else name}-{change}"


@dataclass(frozen=True, slots=True, order=True, kw_only=True)
class Change:
    """One change to the client's public surface; its level and semver effect are its rule's."""

    code: str  # the rule id
    subject: str  # operationId, ``models.Class.field``, ``package``
    message: str

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def breaking(self) -> bool:
        return self.rule.level == "breaking"

    def render(self) -> str:
        kind = "BREAKING" if self.breaking else "note"
        return f"{kind}[{self.code}] {self.subject}: {self.message}"

    def as_json(self) -> dict[str, str]:
        rule = self.rule
        return {
            "id": self.code,
            "level": rule.level,
            "semver": rule.semver,
            "subject": self.subject,
            "message": self.message,
        }
