"""Resolve relative-file `$ref`s into one self-contained document and check every local `$ref`.

Schemas from other files are hoisted into `components/schemas` under their own
name, so they keep a meaningful class name and cycles between files stay cycles
of local refs; a component of another kind goes into its own section
(`components/parameters`, ...); anything else (a path item in a file of its
own, a parameter) is copied in place. Remote refs are refused: generation
must never depend on the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import naming
from ..diagnostics import Diagnostics, pointer
from .load import read_document
from .toolkit import lookup, unescape_token


class _Bundler:
    def __init__(self, root_path: Path, root_display: str, root: dict[str, Any], diags: Diagnostics) -> None:
        self.root_dir = root_path.parent
        self.root_display = root_display
        self.root = root
        self.extra: dict[str, dict[str, Any]] = {}  # hoisted components, by kind
        self.diags = diags
        self.files: dict[Path, Any] = {root_path.resolve(): root}
        self.hoisted: dict[tuple[Path, str], str] = {}  # (file, fragment) -> local ref
        self.local_files = {root_path, root_path.resolve()}  # spellings of the root file
        self.inlining: set[tuple[Path, str]] = set()  # objects being copied in place, to stop a cycle
        self.sources: dict[str, str] = {}  # every other file read: display path -> sha256 of its bytes

    def display(self, path: Path) -> str:
        try:
            rel = path.resolve().relative_to(self.root_dir.resolve())
        except ValueError:
            return path.name
        return str(Path(self.root_display).parent / rel)

    def load(self, path: Path, ref_file: str, at: str) -> Any | None:
        key = path.resolve()
        if key not in self.files:
            if not path.is_file():
                self.diags.error(
                    ref_file,
                    at,
                    "ref-file-not-found",
                    f"$ref points to {self.display(path)}, which does not exist; fix the path",
                )
                return None
            parsed = read_document(path, self.display(path), self.diags)
            if parsed is None:
                return None
            self.files[key] = parsed.data
            self.sources[self.display(path)] = parsed.sha256
        return self.files[key]

    def walk(self, node: Any, file: Path, at: tuple[str | int, ...], *, schema: bool = False) -> Any:
        """Return a copy of ``node`` (from ``file``) with every ref made local.

        ``schema``: the node is (inside) a schema, where a ref into another
        file becomes a component of its own; elsewhere (a path item, a
        parameter) the referenced object is copied in place.
        """
        if isinstance(node, list):
            return [self.walk(item, file, (*at, i), schema=schema) for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        siblings = {
            k: self.walk(v, file, (*at, k), schema=schema or k == "schema" or at[-2:] == ("components", "schemas"))
            for k, v in node.items()
            if k != "$ref"
        }
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return siblings
        local = self.localise(ref, file, pointer(*at, "$ref"), schema=schema)
        if local is None:
            return {**siblings, "$ref": ref}
        if isinstance(local, dict):
            return {**local, **siblings}
        return {**siblings, "$ref": local}

    def localise(self, ref: str, file: Path, at: str, *, schema: bool) -> str | dict[str, Any] | None:
        """The local ref for ``ref``, or the referenced object itself to copy in place; None if it is broken."""
        if ref.startswith("#") and file in self.local_files:
            # The common case, kept free of path work: resolve() per ref was most of bundling GitHub's spec.
            if lookup(self.root, ref[1:], uri=True)[0]:
                return ref
        ref_file = self.display(file)
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            self.diags.error(
                ref_file,
                at,
                "remote-ref",
                f"remote $ref {ref!r} is not supported (generation never uses the network); "
                "download the document next to the spec and use a relative path",
            )
            return None
        target_file = file if not parts.path else (file.parent / unquote(parts.path))
        fragment = parts.fragment
        document = self.load(target_file, ref_file, at)
        if document is None:
            return None
        found, target = lookup(document, fragment, uri=True)
        if not found:
            self.diags.error(
                ref_file,
                at,
                "unresolved-ref",
                f"$ref {ref!r} points to nothing in {self.display(target_file)}; "
                "fix the pointer or add the missing definition",
            )
            return None
        if target_file.resolve() == next(iter(self.files)):
            return "#" + fragment
        tokens = [unescape_token(unquote(t)) for t in fragment.strip("/").split("/")] if fragment.strip("/") else []
        key = (target_file.resolve(), fragment)
        is_component = len(tokens) == 3 and tokens[0] == "components"
        if not schema and not is_component and key not in self.inlining and isinstance(target, dict):
            self.inlining.add(key)  # a cycle through copied objects falls back to a component
            try:
                copied: dict[str, Any] = self.walk(target, target_file.resolve(), tuple(tokens))
            finally:
                self.inlining.discard(key)
            return copied
        return self.hoist(target_file.resolve(), fragment, tokens, target)

    def hoist(self, file: Path, fragment: str, tokens: list[str], target: Any) -> str:
        key = (file, fragment)
        if key in self.hoisted:
            return self.hoisted[key]
        if len(tokens) == 3 and tokens[0] == "components":
            kind, name = tokens[1], tokens[2]
        else:
            kind, name = "schemas", naming.pascal_case(tokens[-1] if tokens else file.stem)
        section = self.extra.setdefault(kind, {})
        existing = self.root.get("components", {}).get(kind, {})
        name = naming.unique(name, set(existing) | set(section))
        local = "#" + pointer("components", kind, name)
        self.hoisted[key] = local
        section[name] = {}  # reserve before walking, so cycles find the name
        section[name] = self.walk(target, file, tuple(tokens), schema=kind == "schemas")
        return local


@dataclass(frozen=True, slots=True, kw_only=True)
class BundledSpec:
    document: dict[str, Any]  # self-contained: every $ref local
    sources: tuple[tuple[str, str], ...]  # (display path, sha256) of each other file it was bundled from


def bundle(root_path: Path, root_display: str, document: dict[str, Any], diags: Diagnostics) -> BundledSpec:
    """A copy of ``document`` with all refs local and checked; diagnostics for the rest."""
    bundler = _Bundler(root_path, root_display, document, diags)
    walked: dict[str, Any] = bundler.walk(document, root_path, ())
    if bundler.extra:
        components = walked.setdefault("components", {})
        for kind, section in sorted(bundler.extra.items()):
            components.setdefault(kind, {}).update(section)
    return BundledSpec(document=walked, sources=tuple(sorted(bundler.sources.items())))
