"""The consumer's configuration: ``[tool.openapi-client-gen]`` in its ``pyproject.toml``, one entry per client.

::

    [tool.openapi-client-gen]
    templates = "codegen/templates"        # optional: any client key here is every client's default

    [[tool.openapi-client-gen.client]]
    name = "northflank"                    # for --client; default: the package, else the spec's stem
    spec = "spec/northflank.yaml"          # paths are relative to this pyproject.toml
    out = "app/_vendor"
    package = "northflank_jobs"            # optional, like the flags: client-name, token-env-var, templates
    validate = true                        # optional: false is --no-validate; cache = false is --no-cache

With no ``client`` entries, the table itself is the one client. Command-line
flags override what is configured. An unknown key or a value of the wrong
type is an error naming the file and the key, never ignored: a typo must not
silently generate something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..project import TABLE, ConfigError, Project
from ..settings import Settings

# key in the file -> (Settings field, type); "name" exists only per client.
KEYS: dict[str, tuple[str, type]] = {
    "name": ("name", str),
    "spec": ("spec", Path),
    "out": ("out", Path),
    "package": ("package", str),
    "client-name": ("client_name", str),
    "token-env-var": ("token_env_var", str),
    "templates": ("templates", Path),
    "validate": ("validate", bool),
    "cache": ("cache", bool),
}
PATHS = ("spec", "out", "templates")


@dataclass(frozen=True, slots=True, kw_only=True)
class Configured:
    """One client as the configuration file gives it (openapi-python-client's ``ConfigFile``)."""

    name: str
    options: dict[str, Any]  # Settings fields; paths absolute (relative to the pyproject.toml)
    source: str  # where it was configured, for messages: "command line" or the file and entry


@dataclass(frozen=True, slots=True, kw_only=True)
class Client:
    """One client a command acts on: its typed settings, built once from the file and the flags."""

    name: str
    settings: Settings
    options: dict[str, Any]  # what the settings were made of, configured then flagged: for messages
    source: str
    overridden: frozenset[str] = frozenset()  # the fields a flag set (its messages name the flag)


def _checked(entry: object, where: str, pyproject: Path, root: Path, *, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ConfigError(f"{pyproject}: {where} must be a table")
    options: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise ConfigError(f"{pyproject}: unknown key {key!r} in {where}; known keys: {known}")
        field, kind = KEYS[key]
        if kind is bool and isinstance(value, bool):
            options[field] = value
        elif kind is not bool and isinstance(value, str) and value.strip():
            options[field] = root / value if kind is Path else value
        else:
            wanted = "true or false" if kind is bool else "a non-empty string"
            raise ConfigError(f"{pyproject}: {where} key {key!r} must be {wanted}, not {value!r}")
    return options


def load_clients(project: Project) -> list[Configured]:
    """The clients configured in the project's ``pyproject.toml``; empty when it has no table."""
    if project.table is None or project.pyproject is None:
        return []
    pyproject, table = project.pyproject, project.table
    top = f"[tool.{TABLE}]"
    defaults = _checked(
        {k: v for k, v in table.items() if k != "client"}, top, pyproject, project.root, allowed=set(KEYS) - {"name"}
    )
    entries = table.get("client", [{}])
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{pyproject}: {top} client must be a list of tables: [[tool.{TABLE}.client]]")
    clients: list[Configured] = []
    for number, entry in enumerate(entries, 1):
        where = f"[[tool.{TABLE}.client]] entry {number}" if "client" in table else top
        options = {**defaults, **_checked(entry, where, pyproject, project.root, allowed=set(KEYS))}
        for required in ("spec", "out"):
            if required not in options:
                raise ConfigError(f'{pyproject}: {where} has no {required!r}; add {required} = "path"')
        name = options.pop("name", None) or options.get("package") or options["spec"].stem
        if any(client.name == name for client in clients):
            raise ConfigError(f'{pyproject}: two clients are named {name!r}; give each a different name = "..."')
        clients.append(Configured(name=name, options=options, source=f"{pyproject} ({where})"))
    return clients


# Flags that describe one client: with several configured, they need --client.
ONE_CLIENT = ("spec", "out", "package", "client_name", "token_env_var")
DEFAULTS = {"spec": Path("spec/openapi.yaml"), "out": Path("generated")}


def select(clients: list[Configured], *, name: str | None, overrides: dict[str, Any], project: Project) -> list[Client]:
    """The clients a command acts on (all, or ``--client NAME``), with the command line's values on top."""
    where = f"[tool.{TABLE}] in {project.pyproject}" if project.pyproject else None
    if name is not None:
        if where is None:
            raise ConfigError(
                f"--client {name}: no clients are configured (no pyproject.toml with a [tool.{TABLE}] table from "
                "here up); configure them, or drop --client and pass --spec and --out"
            )
        chosen = [client for client in clients if client.name == name]
        if not chosen:
            names = ", ".join(client.name for client in clients)
            raise ConfigError(f"--client {name}: {where} has no such client; configured: {names}")
    elif clients:
        chosen = clients
    else:
        chosen = [Configured(name="default", options=dict(DEFAULTS), source="command line")]
    one = [key for key in ONE_CLIENT if key in overrides]
    if len(chosen) > 1 and one:
        flags = ", ".join("--" + key.replace("_", "-") for key in one)
        names = ", ".join(client.name for client in chosen)
        verb = "describes" if len(one) == 1 else "describe"
        raise ConfigError(f"{flags} {verb} one client and {where} has {len(chosen)} ({names}); add --client NAME")
    return [
        Client(
            name=client.name,
            options={**client.options, **overrides},
            source=client.source,
            overridden=frozenset(overrides),
            settings=Settings.from_sources(client.options, overrides, root=project.root),
        )
        for client in chosen
    ]
