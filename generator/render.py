"""Render the IR into a FileMap: Jinja templates, the generated models and the static runtime files.

Everything that turns spec text into Python source goes through the filters
in ``FILTERS``; templates never interpolate raw spec strings.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from . import ir
from .output import FileMap
from .format import format_python
from .settings import MARKER

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_QUOTE_RUN = re.compile(r'"{3,}|"+\Z')
_DOC_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def marker_line(spec_path: str) -> str:
    """The first line of every generated file; the spec path cannot end the comment."""
    return MARKER.format(spec=comment_text(spec_path))


def py_literal(value: Any) -> str:
    """A Python literal for a str/int/bool/None: ``repr`` is exact and always closes its quotes."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    raise TypeError(f"unsupported literal {type(value).__name__}")


def docstring_text(text: str, width: int = 88) -> str:
    """Text safe inside a triple-quoted docstring that reads back as the same words.

    Backslashes, quote runs and control characters become escape sequences (so
    ``__doc__`` holds the original characters); long lines are wrapped at spaces
    only, never inside a word or a URL.
    """
    text = text.replace("\r\n", "\n").replace("\t", "    ").strip("\n")
    text = text.replace("\\", "\\\\")
    # Only quotes that could close the docstring are escaped: runs of three or
    # more, and the run at the very end (it would merge with the closing quotes).
    text = _QUOTE_RUN.sub(lambda m: '\\"' * len(m.group()), text)
    text = _DOC_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line.rstrip())
        else:
            lines.extend(textwrap.wrap(line, width=width, break_long_words=False, break_on_hyphens=False) or [""])
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


def markdown_code(text: str) -> str:
    """A fenced block that the content cannot close early."""
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text}\n{fence}"


def python_data(json_text: str, indent: int) -> str:
    """A JSON example as a Python literal (repr-quoted, so its strings cannot become code)."""
    value = json.loads(json_text)
    text = format_python(f"_ = {value!r}\n", path="README example").removeprefix("_ = ").rstrip("\n")
    return indent_lines(text, " " * indent).lstrip()


def indent_lines(text: str, prefix: str) -> str:
    return "\n".join((prefix + line) if line else line for line in text.split("\n"))


FILTERS: dict[str, Any] = {
    "py": py_literal,
    "doc": docstring_text,
    "comment": comment_text,
    "md_code": markdown_code,
    "md_line": markdown_line,
    "md_text": markdown_text,
    "indent_lines": indent_lines,
    "py_data": python_data,
}


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # we emit Python, not HTML; escaping is the filters' job
    )
    env.filters.update(FILTERS)
    return env


def render(
    api: ir.Api, models_source: str, versions: dict[str, str], *, templates: Path = TEMPLATES
) -> tuple[FileMap, frozenset[PurePosixPath]]:
    """All files of the package, keyed by path relative to the output directory.

    Also returns the paths copied verbatim from ``templates/static``: they are
    kept black-formatted in the repository (tests/test_static_runtime.py), so
    the pipeline does not format them again on every run.
    """
    env = environment(templates)
    marker = marker_line(api.spec_path)
    pkg = PurePosixPath(api.package)
    context = {"api": api, "marker": marker, "versions": versions}
    files: FileMap = {
        pkg / "__init__.py": env.get_template("package_init.py.jinja").render(context),
        pkg / "_meta.py": env.get_template("meta.py.jinja").render(context),
        pkg / "_client.py": env.get_template("client.py.jinja").render(context),
        pkg / "api" / "__init__.py": env.get_template("api_init.py.jinja").render(context),
        pkg / "models.py": models_source,
        pkg / "README.md": env.get_template("readme.md.jinja").render(context),
    }
    module = env.get_template("api_module.py.jinja")
    for tag in api.tags:
        files[pkg / "api" / f"{tag.module}.py"] = module.render({**context, "tag": tag})
    verbatim: set[PurePosixPath] = set()
    static = templates / "static"
    for path in sorted(static.iterdir()):
        if path.is_file() and path.suffix in (".py", ".typed"):
            files[pkg / path.name] = f"{marker}\n" + path.read_text(encoding="utf-8")
            verbatim.add(pkg / path.name)
    return files, frozenset(verbatim)
