"""Spec text made safe for generated Python and Markdown: the Jinja filters that need no formatter.

Kept apart from ``render`` (which imports Jinja and black) so the pipeline can
name generated files before those heavy imports are needed.
"""

from __future__ import annotations

import re
from typing import Any

from ..settings import LINE_LENGTH, MARKER
from .layout import split_item
from .prose import escape_docstring, wrap_line

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def marker_line(spec_path: str) -> str:
    """The first line of every generated file; the spec path cannot end the comment."""
    return MARKER.format(spec=comment_text(spec_path))


def py_literal(value: Any) -> str:
    """A Python literal for a str/int/bool/None: ``repr`` is exact and always closes its quotes.

    Strings come in black's double quotes where that changes no character:
    black would rewrite them anyway, and a piece it need not change is
    formatted in one pass instead of two (black re-runs on changed output).
    """
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, str):
        literal = repr(value)
        # repr picks single quotes unless the text holds a ' and no "; with neither quote
        # inside, the same characters between double quotes mean the same string.
        if literal.startswith("'") and "'" not in value and '"' not in value:
            return f'"{literal[1:-1]}"'
        return literal
    raise TypeError(f"unsupported literal {type(value).__name__}")


def bracketed(
    entries: list[str], opening: str, closing: str, indent: int, trailer: str = "", magic_comma: bool = False
) -> str:
    """A literal laid out as black lays it out: on one line when it fits, else one entry per line.

    ``opening`` holds everything on the line before the entries (``query={``),
    ``trailer`` what follows ``closing`` on it. ``magic_comma``: the one-line
    form ends its entries with a comma (a tuple), so black splits it whenever
    it holds two or more. black formats the result anyway; matching its layout
    only spares it a second pass. A line is split only when it is certainly
    too long (ASCII: black counts a wide character as two columns), because a
    split black would not make survives as a magic trailing comma.
    """
    one_line = opening + ", ".join(entries) + ("," if magic_comma and entries else "") + closing + trailer
    too_long = one_line.isascii() and indent + len(one_line) > LINE_LENGTH
    if not entries or not (too_long or (magic_comma and len(entries) > 1)):
        return one_line
    inner = " " * (indent + 4)
    lines = "".join(f"{inner}{split_item(entry, indent + 4, trailer=',')}\n" for entry in entries)
    return opening + "\n" + lines + " " * indent + closing + trailer


def def_line(name: str, params: list[str], returns: str) -> str:
    """``def name(params) -> returns:`` as black lays it out when too long: one parameter per line.

    black splits a ``def`` at its parameters first, whatever brackets the return annotation holds;
    a closing line that is still too long is left to black.
    """
    one_line = f"def {name}({', '.join(params)}) -> {returns}:"
    if not one_line.isascii() or len(one_line) <= LINE_LENGTH or not params or len(f") -> {returns}:") > LINE_LENGTH:
        return one_line
    return f"def {name}(\n" + "".join(f"    {param},\n" for param in params) + f") -> {returns}:"


def import_from(names: Any, module: str, indent: int = 0) -> str:
    """``from module import a, b`` as black lays it out: one line when it fits, else one name per line.

    Written in black's layout so that black's first pass leaves it alone and no second pass runs
    (a long import line was most of the second passes on API modules).
    """
    names = list(names)
    one_line = f"from {module} import {', '.join(names)}"
    if not one_line.isascii() or indent + len(one_line) <= LINE_LENGTH:
        return one_line
    inner = " " * (indent + 4)
    return f"from {module} import (\n" + "".join(f"{inner}{name},\n" for name in names) + " " * indent + ")"


def wire_entries(params: list[Any]) -> list[str]:
    """``"wireName": python_name`` for each parameter: the entries of a dict literal."""
    return [f"{py_literal(p.wire_name)}: {p.python_name}" for p in params]


def param_encodings(params: list[Any]) -> list[str]:
    """``ParamEncoding("wireName", "query", "form", True)`` for each parameter: the entries of ``params``."""
    entries = []
    for p in params:
        reserved = ", allow_reserved=True" if p.allow_reserved else ""
        schema = f", schema={py_literal(p.schema_json)}" if p.schema_json != "{}" else ""
        args = f"{py_literal(p.wire_name)}, {py_literal(p.location)}, {py_literal(p.style)}, {p.explode}"
        entries.append(f"ParamEncoding({args}{reserved}{schema})")
    return entries


def field_encodings(fields: list[Any]) -> list[str]:
    """``FieldEncoding("name", style="deepObject", explode=True)`` for each entry of a body's ``encoding``."""
    entries = []
    for f in fields:
        args = [py_literal(f.name)]
        if f.content_type is not None:
            args.append(f"content_type={py_literal(f.content_type)}")
        if f.style is not None:
            args.append(f"style={py_literal(f.style)}")
        if f.explode is not None:
            args.append(f"explode={f.explode}")
        if f.allow_reserved:
            args.append("allow_reserved=True")
        entries.append(f"FieldEncoding({', '.join(args)})")
    return entries


def requirement_entries(requirements: list[tuple[str, ...]]) -> list[str]:
    """Each security alternative as a tuple literal: ``("JWT", "Key")``, ``()``."""
    names = [[py_literal(name) for name in r] for r in requirements]
    return [f"({n[0]},)" if len(n) == 1 else "(" + ", ".join(n) + ")" for n in names]


def docstring_text(text: str, width: int = 88) -> str:
    """Text safe inside a triple-quoted docstring that reads back as the same words.

    Escaped by ``prose.escape_docstring`` (so ``__doc__`` holds the original
    characters); long lines are wrapped at spaces only, never inside a word or
    a URL, and never leave one word alone on a line of its own.
    """
    lines = [wrapped for line in escape_docstring(text).split("\n") for wrapped in wrap_line(line, width)]
    return "\n".join(lines).strip("\n")


def comment_text(text: str) -> str:
    """Text safe inside a one-line ``#`` comment."""
    return _CONTROL.sub(" ", text.replace("\r", " ").replace("\n", " ")).strip()


def markdown_line(text: str) -> str:
    """Text for one line of Markdown (a heading, a list item): no line breaks."""
    return " ".join(comment_text(text).split())


def markdown_text(text: str) -> str:
    """Markdown prose from the spec, unable to open a code block that swallows what follows."""
    return re.sub(r"(`{3,}|~{3,})", lambda m: "".join("\\" + c for c in m.group()), text)


def markdown_code(text: str, info: str = "") -> str:
    """A fenced block that the content cannot close early; ``info`` names its language."""
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{info}\n{text}\n{fence}"


def indent_lines(text: str, prefix: str) -> str:
    return "\n".join((prefix + line) if line else line for line in text.split("\n"))


def error_entries(errors: list[Any]) -> list[str]:
    """``("404", NotFound)`` for each typed error body: the entries of an Endpoint's ``errors``."""
    return [f"({py_literal(e.status)}, {e.model})" for e in errors if e.model is not None]


_WHERE = {
    "bearer": "sent as ``Authorization: Bearer ...``",
    "basic": "sent with HTTP basic authentication",
}


def credential_doc(scheme: Any, index: int) -> str:
    """The constructor docstring line of one credential argument: what it is, where it goes, its variable."""
    if scheme.kind == "basic":
        what = ("User name" if index == 0 else "Password") + f" for {scheme.name} (HTTP basic)"
        where = ""
    elif scheme.kind == "bearer":
        what, where = f"Token for {scheme.name}", _WHERE["bearer"]
    else:
        what, where = f"API key for {scheme.name}", f"sent in the ``{scheme.parameter}`` {scheme.location}"
    env = scheme.env_vars[index] if index < len(scheme.env_vars) else None
    parts = [what + (f", {where}" if where else "")]
    if env:
        parts.append(f"defaults to the ``{env}`` environment variable")
    return "; ".join(parts) + "."


def scheme_wire(scheme: Any) -> str:
    """Where a scheme's credential goes on the wire, for the README's table."""
    if scheme.kind == "bearer":
        return "`Authorization: Bearer <token>`"
    if scheme.kind == "basic":
        return "`Authorization: Basic <base64(username:password)>`"
    where = {"header": "header", "query": "query parameter", "cookie": "cookie"}[scheme.location]
    return f"{where} `{markdown_line(scheme.parameter)}`"


def json_literal(json_text: str) -> str:
    """A short JSON value (a parameter's example) as a Python literal: ``"x"``, ``5``, ``True``, ``["a"]``."""
    import json

    value = json.loads(json_text)
    return repr(value) if not isinstance(value, str) else py_literal(value)


def example_arguments(op: Any) -> str:
    """The arguments of a call of ``op`` that its checks accept: its path ids, required parameters, body."""
    parts = [json_literal(p.example_json) for p in op.path_params if p.positional]
    parts += [f"{p.python_name}={json_literal(p.example_json)}" for p in op.path_params if not p.positional]
    parts += [
        f"{p.python_name}={json_literal(p.example_json)}"
        for p in (*op.query_params, *op.header_params, *op.cookie_params)
        if p.required
    ]
    if op.body is not None and op.body.required:
        parts.append("body=" + (json_literal(op.body.example_json) if op.body.example_json else "..."))
    return ", ".join(parts)


def example_call(api: Any) -> str:
    """``client.<tag>.<method>(...)`` of the operation the README's examples use ("" without one)."""
    for tag in api.tags:
        for op in tag.operations:
            if f"{tag.fake_attribute}.{op.python_name}" == api.testing_example:
                return f"client.{tag.attribute}.{op.python_name}({example_arguments(op)})"
    return ""


def example_credentials(api: Any) -> str:
    """Where the quick start's client finds its credentials: ``token from NORTHFLANK_API_TOKEN``."""
    wanted = api.default_security[0] if api.default_security else ()
    schemes = [s for s in api.security_schemes if s.name in wanted] or list(api.security_schemes[:1])
    pairs = [(arg, env) for s in schemes for arg, env in zip(s.arguments, s.env_vars, strict=False)]
    if not pairs:
        return "this API needs no credentials"
    return comment_text(", ".join(f"{arg}= from ${env}" for arg, env in pairs))
