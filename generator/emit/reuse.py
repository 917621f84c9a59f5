"""Rendered files reused, formatted, from the cache when nothing their templates read has changed.

A file's key is the source of its template and of every template that one
imports, includes or extends, and the value of each context variable those
templates load (found in Jinja's parse tree), taken as ``repr`` of the IR's
frozen records (exact: they hold only strings, numbers, booleans and tuples).
A variable the templates only read attributes of is keyed by those
attributes. So an API module, which reads its tag alone, is rendered and
formatted again only when its tag changed, and ``_client.py`` is reused when
the tags and the few fields of the Api it reads did not (an edit of the spec
always changes ``Api.spec_sha256``, which only ``_meta.py`` reads). The
analysis over-approximates (a name a template binds itself counts as read),
which can only make a key miss; a template that refers to one by a computed
name is never reused. The cache's own salt covers the generator's code and
the tools' versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from ..memo import ByIdentity
from ..provenance.cache import Cache, NoCache

if TYPE_CHECKING:  # Jinja is imported only after the pipeline's forks; parallel.py imports ``store``
    import jinja2

STAGE = "render"


Reads = dict[str, frozenset[str] | None]  # variable -> the attributes read of it (None: itself)


class Reuse:
    """Keys of rendered files, and the final text of those the cache holds."""

    def __init__(self, env: jinja2.Environment, cache: Cache) -> None:
        self._env = env
        self._cache = cache
        self._templates: dict[str, tuple[str, Reads | None]] = {}  # name -> (digest, reads; None: unknown)
        self._digests: ByIdentity[str] = ByIdentity()

    def key(self, name: str, context: Mapping[str, Any]) -> str | None:
        """The key of ``name`` rendered with ``context``; None where it is not kept (--no-cache, or
        a template refers to another by a computed name)."""
        if isinstance(self._cache, NoCache):
            return None
        digest, reads = self._template(name)
        if reads is None:
            return None
        parts = [name, digest]
        for variable in sorted(reads.keys() & context.keys()):
            attributes = reads[variable]
            for attribute in [""] if attributes is None else sorted(attributes):
                parts.append(f"{variable}.{attribute}={self._digest(context[variable], attribute)}")
        return "\x00".join(parts)

    def get(self, key: str | None) -> str | None:
        return None if key is None else self._cache.get(STAGE, key)

    def warm(self) -> Iterator[None]:
        """Analyse the templates one step at a time (what the pipeline does while the models run);
        one that fails to load or parse stops this quietly: rendering it reports the error."""
        for name in self._env.list_templates(extensions=["jinja"]):
            try:
                self._template(name)
            except Exception:
                return
            yield None

    def _template(self, name: str) -> tuple[str, Reads | None]:
        if name not in self._templates:
            digest = hashlib.sha256()
            reads: Reads | None = {}
            todo, seen = [(name, True)], set()
            while todo:
                current, shares_context = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                source, names, referenced = self._analysis(current)
                digest.update(f"{current}\x00{source}\x00".encode())
                todo += [(n, shares) for n, shares in referenced if n is not None]
                if any(n is None for n, _ in referenced):
                    reads = None  # a template chosen at render time: its source is not in the digest
                if reads is None or not shares_context:
                    continue  # an import without context sees none of the caller's variables
                for variable, attributes in names.items():
                    held = reads.get(variable, frozenset())
                    reads[variable] = None if attributes is None or held is None else held | attributes
            self._templates[name] = (digest.hexdigest(), reads)
        return self._templates[name]

    def _analysis(self, name: str) -> tuple[str, Reads, list[tuple[str | None, bool]]]:
        """A template's source, every name it loads (with the attributes read of it, or None where
        it is used itself), and the templates it refers to (None: computed) with whether each
        shares its context. A name the template binds itself is counted too: that only adds to a key."""
        from ..provenance.fingerprint import code_digest
        from .bytecode import TemplateBytecode

        source = self._env.loader.get_source(self._env, name)[0] if self._env.loader else ""
        notes = self._env.bytecode_cache if isinstance(self._env.bytecode_cache, TemplateBytecode) else None
        # Derived on an earlier run, as the template's bytecode was; by this generator's code (which
        # decides how it is derived) from this source, else derived again.
        made_from = f"{code_digest()}\x00{source}"
        found = _decoded(notes.load_note(name, made_from)) if notes is not None else None
        if found is None:
            found = self._parsed(source)
            if notes is not None:
                names = {k: None if v is None else sorted(v) for k, v in found[0].items()}
                notes.dump_note(name, made_from, json.dumps([names, found[1]], sort_keys=True))
        return source, *found

    def _parsed(self, source: str) -> tuple[Reads, list[tuple[str | None, bool]]]:
        from jinja2 import nodes

        parsed = self._env.parse(source)
        attributes: dict[str, set[str]] = {}
        via_attribute: dict[str, int] = {}
        for node in parsed.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name):
                attributes.setdefault(node.node.name, set()).add(node.attr)
                via_attribute[node.node.name] = via_attribute.get(node.node.name, 0) + 1
        loads: dict[str, int] = {}
        for name_node in parsed.find_all(nodes.Name):
            if name_node.ctx == "load":
                loads[name_node.name] = loads.get(name_node.name, 0) + 1
        names: Reads = {
            variable: frozenset(attributes[variable]) if count == via_attribute.get(variable, 0) else None
            for variable, count in loads.items()
        }
        referenced: list[tuple[str | None, bool]] = []
        for reference in parsed.find_all((nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends)):
            shares = isinstance(reference, nodes.Extends) or bool(getattr(reference, "with_context", True))
            target = getattr(reference, "template", None)
            value = target.value if isinstance(target, nodes.Const) else None
            referenced.append((value if isinstance(value, str) else None, shares))
        return names, referenced

    def _digest(self, value: object, attribute: str) -> str:
        """The digest of ``value.attribute`` (of ``value`` for "")."""
        return self._of(getattr(value, attribute, _ABSENT) if attribute else value)

    def _of(self, value: object) -> str:
        """The digest of ``repr(value)``, a tuple's from its items' (so the tags, which the Api's
        ``tags`` and each module key, are written out once), each taken once per object."""

        def digest() -> str:
            if isinstance(value, tuple) and type(value) is tuple:  # not a named tuple: its repr names it
                text = f"({','.join(self._of(v) for v in value)})"
            else:
                text = repr(value)
            return hashlib.sha256(text.encode()).hexdigest()

        return self._digests.get(value, digest)


def _decoded(note: str | None) -> tuple[Reads, list[tuple[str | None, bool]]] | None:
    """A kept analysis, or None where there is none or it is not one (damaged: derived again)."""
    try:
        names, referenced = json.loads(note or "null")
        reads: Reads = {str(k): None if v is None else frozenset(str(a) for a in v) for k, v in names.items()}
        return reads, [(None if n is None else str(n), bool(shares)) for n, shares in referenced]
    except (ValueError, TypeError, AttributeError):
        return None


_ABSENT = "<absent>"  # an attribute the value lacks (rendering then fails, or the template tests for it)


def store(cache: Cache, keys: Mapping[PurePosixPath, str], files: Mapping[PurePosixPath, str]) -> None:
    """Keep each keyed file's final text for the next run."""
    for path, key in keys.items():
        if path in files:
            cache.store(STAGE, key, files[path])
