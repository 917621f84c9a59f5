"""The docstrings of generated operations, written from the IR in one place.

Templates only place the result (``{{ op | operation_doc }}``); every sentence,
section and line break is decided here, from data: the spec's summary and
description (HTML turned into plain text, reflowed), the permission, the
parameters, what is returned (and from which member of an envelope), what is
raised, and the deprecation, whose one sentence the warning, the docstring and
``api.md`` share. Spec text goes through ``prose`` (HTML, escaping, reflow), so
nothing a spec says can end the docstring or become code.
"""

from __future__ import annotations

from ..ir import nodes as ir
from ..settings import LINE_LENGTH
from .prose import escape_docstring, html_to_text, reflow

METHOD_INDENT = 8  # a method's docstring, in a class
_MARGIN = 4  # room for the closing quotes and black's view of the line


def doc_text(text: str, indent: int) -> str:
    """Spec prose as docstring lines at ``indent``: plain text, escaped, reflowed; the first line unindented."""
    body = reflow(escape_docstring(html_to_text(text)), LINE_LENGTH - _MARGIN - indent)
    pad = " " * indent
    return "\n".join((pad + line) if line and i else line for i, line in enumerate(body.split("\n")))


def _entry(name: str, text: str, indent: int) -> str:
    """One ``name: text`` line of an Args/Returns/Raises section, continuation lines four deeper."""
    body = reflow(f"{name}: {text}", LINE_LENGTH - _MARGIN - indent, hanging=4)
    return "\n".join((" " * indent + line) if line else "" for line in body.split("\n"))


def _spec(text: str) -> str:
    """Spec text for an entry: plain and escaped (``_entry`` reflows it)."""
    return escape_docstring(html_to_text(text))


def deprecation(op: ir.Operation) -> str:
    """The sentence that says an operation is deprecated: the run-time warning and every document use it."""
    if op.replaced_by:
        return f"{op.python_name} is deprecated; use {op.replaced_by} instead."
    return f"{op.python_name} is deprecated."


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if not text or text[-1] in ".!?:;)" else text + "."


def _returns(op: ir.Operation, case: ir.ResponseCase) -> str:
    text = _spec(case.description) or "The response."
    if len(op.responses) > 1:
        text = f"On {case.status}: {text}"
    if case.envelope:
        member = escape_docstring(case.envelope.wire_name)
        text = _sentence(text) + f" Taken from the ``{member}`` member of the response body."
    return text


def _args(op: ir.Operation, indent: int) -> list[str]:
    entries: list[tuple[str, str]] = []
    for p in sorted(op.path_params, key=lambda p: not p.positional):
        entries.append((p.python_name, _spec(p.description) or f"Path parameter {escape_docstring(p.wire_name)}."))
    for v in op.variants:
        for p in v.extra_params:
            where = f"(When given, the request goes to ``{escape_docstring(v.path)}``.)"
            what = _sentence(_spec(p.description) or escape_docstring(p.wire_name))
            entries.append((p.python_name, f"{what} {where}"))
    if op.body is not None:
        media = escape_docstring(op.body.content_type)
        if op.body.model:
            entries.append(
                (
                    "body",
                    f"The request body ({media}), as a :class:`{op.body.model}` or plain data with the wire field "
                    "names; validated against the spec before anything is sent.",
                )
            )
        else:
            entries.append(("body", f"The raw request body, sent as {media}."))
    for p in (*op.query_params, *op.header_params, *op.cookie_params):
        fallback = f"{p.location.capitalize()} parameter {escape_docstring(p.wire_name)}."
        entries.append((p.python_name, _spec(p.description) or fallback))
    return [_entry(name, text, indent) for name, text in entries]


def _raises(op: ir.Operation, indent: int) -> list[str]:
    params = op.path_params or op.query_params or op.header_params or op.cookie_params
    checked = [what for what, yes in (("the body", op.body and op.body.model), ("a parameter", params)) if yes]
    entries: list[tuple[str, str]] = []
    if checked:
        what = " or ".join(checked).capitalize()
        entries.append(("RequestValidationError", f"{what} violates the spec; nothing was sent."))
    if op.security is None or op.security:
        entries.append(("MissingCredentialsError", "No credential the operation accepts was given; nothing was sent."))
    entries += [
        ("ApiStatusError", "The API answered with an error status (a subclass per status)."),
        ("TransportError", "No response was received (connection failure or timeout)."),
        ("ResponseValidationError", "The response does not match the spec."),
    ]
    return [_entry(name, text, indent) for name, text in entries]


def operation_doc(op: ir.Operation, indent: int = METHOD_INDENT) -> str:
    """The whole docstring of an operation's method, between the quotes, for a body at ``indent``.

    The first line follows the opening quotes; the text ends with a line
    break and the indent, so the closing quotes stand on their own line.
    """
    pad = " " * indent
    sections = [doc_text(op.summary or op.description or op.operation_id, indent)]
    if op.deprecated:
        sections.append(f"{pad}.. deprecated::\n{pad}    {deprecation(op)}")
    if op.summary and op.description and op.description != op.summary:
        sections.append(pad + doc_text(op.description, indent))
    if op.permission:
        sections.append(pad + doc_text(f"Required permission: {op.permission}", indent))
    sections.append(f"{pad}``{op.method} {escape_docstring(op.path)}``")
    args = _args(op, indent + 4)
    if args:
        sections.append(f"{pad}Args:\n" + "\n".join(args))
    returns = [_entry(case.result_type, _returns(op, case), indent + 4) for case in op.responses]
    sections.append(f"{pad}Returns:\n" + "\n".join(returns))
    sections.append(f"{pad}Raises:\n" + "\n".join(_raises(op, indent + 4)))
    # No line ends in spaces (a spec's Markdown table may): black would strip them, formatting the
    # method's class where it could have left it as written (emit/twins.py).
    return "\n".join(line.rstrip() for line in "\n\n".join(sections).split("\n")) + "\n" + pad


def tag_doc(tag: ir.Tag, indent: int = 0) -> str:
    """A tag's module docstring: its name, then its description."""
    text = f"Operations tagged {tag.name}."
    if tag.description:
        return doc_text(text, indent) + "\n\n" + " " * indent + doc_text(tag.description, indent)
    return doc_text(text, indent)
