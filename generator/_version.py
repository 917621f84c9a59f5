"""The generator's version, recorded in every generated package (``_meta.GENERATOR_VERSION``).

Releases are not tags (a clone carries none): CHANGELOG.md names the commit that released each
version, and ``openapi-client-gen --version`` names the commit it was installed from, when pip
recorded one (PEP 610's ``direct_url.json``, written for ``pip install git+<URL>@<commit>``).
"""

from __future__ import annotations

import json

__version__ = "0.9.0"

DISTRIBUTION = "openapi-client-generator"


def installed_commit() -> str | None:
    """The git commit this copy was installed from, or None (a checkout, a wheel, a path)."""
    from importlib import metadata

    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        commit = json.loads(text or "{}").get("vcs_info", {}).get("commit_id")
    except (ValueError, AttributeError):
        return None
    return commit if isinstance(commit, str) and commit else None


def describe() -> str:
    """``0.4.0`` or ``0.4.0 (commit 1a2b3c...)``: what ``--version`` prints after the program's name."""
    commit = installed_commit()
    return __version__ + (f" (commit {commit})" if commit else "")
