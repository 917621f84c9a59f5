"""Render the IR into a FileMap: Jinja templates, the generated models and the static runtime files.

Everything that turns spec text into Python source goes through the filters
in ``FILTERS``; templates never interpolate raw spec strings.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from . import ir
from .output import FileMap
from .settings import MARKER

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def py_literal(value: Any) -> str:
    """A Python literal for a str/int/bool/None: ``repr`` is exact and always closes its quotes."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    raise TypeError(f"unsupported literal {type(value).__name__}")


def docstring_text(text: str, width: int = 88) -> str:
    """Text safe inside a triple-quoted docstring: no escapes, no closing quotes, wrapped."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\t", "    "))
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line.rstrip())
        else:
            lines.extend(textwrap.wrap(line, width=width, break_long_words=True, break_on_hyphens=False) or [""])
    return "\n".join(lines).strip("\n")


def comment_text(text: str) -> str:
    """Text safe inside a one-line ``#`` comment."""
    return _CONTROL.sub(" ", text.replace("\r", " ").replace("\n", " ")).strip()


def markdown_code(text: str) -> str:
    """A fenced block that the content cannot close early."""
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text}\n{fence}"


def indent_lines(text: str, prefix: str) -> str:
    return "\n".join((prefix + line) if line else line for line in text.split("\n"))


FILTERS: dict[str, Any] = {
    "py": py_literal,
    "doc": docstring_text,
    "comment": comment_text,
    "md_code": markdown_code,
    "indent_lines": indent_lines,
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


def render(api: ir.Api, models_source: str, versions: dict[str, str], *, templates: Path = TEMPLATES) -> FileMap:
    """All files of the package, unformatted, keyed by path relative to the output directory."""
    env = environment(templates)
    marker = MARKER.format(spec=api.spec_path)
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
    static = templates / "static"
    for path in sorted(static.iterdir()):
        if path.is_file() and path.suffix in (".py", ".typed"):
            files[pkg / path.name] = f"{marker}\n" + path.read_text(encoding="utf-8")
    return files
