"""Render the IR into a FileMap: Jinja templates, the generated models and the static runtime files.

Everything that turns spec text into Python source goes through the filters
in ``FILTERS``; templates never interpolate raw spec strings.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from ..ir import model_split
from ..ir import nodes as ir
from ..models import ModelsModule
from ..provenance.cache import Cache, NoCache
from ..provenance.inputs import Inputs
from ..settings import builtin_templates
from .bytecode import TemplateBytecode
from .docstrings import deprecation, operation_doc, tag_doc
from .fake_table import fake_table
from .filters import (
    bracketed,
    comment_text,
    credential_doc,
    def_line,
    docstring_text,
    error_entries,
    example_arguments,
    example_call,
    example_credentials,
    field_encodings,
    import_from,
    indent_lines,
    json_literal,
    markdown_code,
    markdown_line,
    markdown_text,
    marker_line,
    param_encodings,
    py_literal,
    requirement_entries,
    scheme_wire,
    wire_entries,
)
from .format import format_python
from .layout import body_argument, parameter, return_line
from .meta import MetaDraft, draft_meta
from .output import FileMap
from .reference import import_line, returns, signature, summary, tag_models, takes
from .rendered import Rendered
from .reuse import Reuse

TEMPLATES = builtin_templates()


def python_data(json_text: str, indent: int, *, cache: Cache | None = None) -> str:
    """A JSON example as a Python literal (repr-quoted, so its strings cannot become code), laid
    out by black; through ``cache`` when given (api.md holds one per operation with a body)."""
    source = f"_ = {json.loads(json_text)!r}\n"
    black = functools.partial(format_python, source, path="README example")
    text = black() if cache is None else cache.get_or_compute("black", source, black)
    return indent_lines(text.removeprefix("_ = ").rstrip("\n"), " " * indent).lstrip()


FILTERS: dict[str, Any] = {
    "py": py_literal,
    "bracketed": bracketed,
    "import_from": import_from,
    "def_line": def_line,
    "parameter": parameter,
    "body_argument": body_argument,
    "return_line": return_line,
    "wire_entries": wire_entries,
    "param_encodings": param_encodings,
    "field_encodings": field_encodings,
    "requirement_entries": requirement_entries,
    "error_entries": error_entries,
    "credential_doc": credential_doc,
    "scheme_wire": scheme_wire,
    "json_literal": json_literal,
    "example_arguments": example_arguments,
    "example_call": example_call,
    "example_credentials": example_credentials,
    "doc": docstring_text,
    "operation_doc": operation_doc,
    "tag_doc": tag_doc,
    "deprecation": deprecation,
    "signature": signature,
    "takes": takes,
    "returns": returns,
    "tag_models": tag_models,
    "import_line": import_line,
    "summary": summary,
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
        bytecode_cache=TemplateBytecode(templates),
    )
    env.filters.update(FILTERS)
    return env


def compiled(templates: Path = TEMPLATES, *, cache: Cache | None = None) -> jinja2.Environment:
    """An environment with every template already compiled (the pipeline does this while models
    generate); its ``py_data`` filter formats through ``cache``."""
    env = environment(templates)
    env.filters["py_data"] = functools.partial(python_data, cache=cache)
    for name in env.list_templates(extensions=["jinja"]):
        env.get_template(name)
    return env


def meta_draft(
    api: ir.Api, versions: dict[str, str], inputs: Inputs, paths: list[PurePosixPath], *, env: jinja2.Environment
) -> MetaDraft:
    """``_meta.py`` for a package of ``paths``, to be formatted with them; ``fill_meta`` completes it
    once they are final (it records their digests)."""
    context = {"api": api, "marker": marker_line(api.spec_path), "versions": versions}
    return draft_meta(env, context, api=api, inputs=inputs, paths=paths)


def render(
    api: ir.Api,
    models: ModelsModule,
    versions: dict[str, str],
    *,
    templates: Path = TEMPLATES,
    env: jinja2.Environment | None = None,
) -> Rendered:
    """All files of the package, keyed by path relative to the output directory, not yet formatted."""
    env = env or environment(templates)
    rendered = render_api(api, versions, templates=templates, env=env)
    return Rendered(
        files={**rendered.files, **render_models(api, models, versions, env=env)}, verbatim=rendered.verbatim
    )


def render_api(
    api: ir.Api,
    versions: dict[str, str],
    *,
    templates: Path = TEMPLATES,
    env: jinja2.Environment | None = None,
    reuse: Reuse | None = None,
) -> Rendered:
    """Every file but the models': what the IR alone decides (see ``render_models``). With ``reuse``,
    a file whose templates read nothing that changed since a run that filled its cache comes from
    it, formatted (reuse.py)."""
    env = env or environment(templates)
    reuse = reuse or Reuse(env, NoCache())
    marker = marker_line(api.spec_path)
    pkg = PurePosixPath(api.package)
    context = {"api": api, "marker": marker, "versions": versions}
    files: FileMap = {}
    verbatim: set[PurePosixPath] = set()
    keys: dict[PurePosixPath, str] = {}

    def put(path: PurePosixPath, name: str, context: dict[str, Any]) -> None:
        key = reuse.key(name, context)
        held = reuse.get(key)
        if held is not None:
            files[path] = held
            verbatim.add(path)
            return
        files[path] = env.get_template(name).render(context)
        if key is not None:
            keys[path] = key

    put(pkg / "__init__.py", "package_init.py.jinja", context)
    put(pkg / "_client.py", "client.py.jinja", context)
    put(pkg / "api" / "__init__.py", "api_init.py.jinja", context)
    put(pkg / "README.md", "readme.md.jinja", context)
    put(pkg / "api.md", "api.md.jinja", context)
    put(pkg / "testing.py", "testing.py.jinja", context)
    table_path, files[table_path] = fake_table(api)  # testing.py's operation table: data, never formatted
    # Inside the package, not beside it: two packages may share one --out, and each manifest
    # then covers its own marking (check and verify see it like any other file).
    put(pkg / ".gitattributes", "gitattributes.jinja", context)
    for tag in api.tags:
        put(pkg / "api" / f"{tag.module}.py", "api_module.py.jinja", {**context, "tag": tag})
    static = templates / "static"
    for path in sorted(static.iterdir()):
        if path.is_file() and path.suffix in (".py", ".typed"):
            files[pkg / path.name] = f"{marker}\n" + path.read_text(encoding="utf-8")
            verbatim.add(pkg / path.name)
    return Rendered(files=files, verbatim=frozenset(verbatim), keys=keys)


def render_models(api: ir.Api, models: ModelsModule, versions: dict[str, str], *, env: jinja2.Environment) -> FileMap:
    """The models' files: ``models.py`` as the model stage wrote it, or the ``models/`` package
    ``api.model_groups`` plans; the only files that need the models' source, not just their index."""
    pkg = PurePosixPath(api.package)
    if not api.model_groups:
        return {pkg / "models.py": models.source}
    context = {"api": api, "marker": marker_line(api.spec_path), "versions": versions}
    files: FileMap = {
        pkg / "models" / "__init__.py": env.get_template("models_init.py.jinja").render(context),
        pkg / "models" / "__init__.pyi": env.get_template("models_init.pyi.jinja").render(context),
    }
    group_module = env.get_template("models_module.py.jinja")
    bodies = model_split.bodies(models, api.model_groups)
    for group in api.model_groups:
        files[pkg / "models" / f"{group.module}.py"] = group_module.render(
            {**context, "group": group, "body": bodies[group.module]}
        )
    return files
