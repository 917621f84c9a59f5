"""The client sends only what the caller meant: one test per defect of the client-contract issue.

Each test fails on the client as it was before (named in the docstrings) and
passes now. They run against the committed Northflank client and against
clients generated from the coverage fixtures (3.0: coverage.yaml, 3.1:
coverage31.yaml), through ``httpx.MockTransport``; what reached the transport
is compared with what the caller wrote.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
import yaml
from northflank_jobs import NorthflankClient, RequestValidationError, ResponseValidationError
from northflank_jobs import models as nf

from generator.breaking import compare
from generator.pipeline import Result
from tests.support.codegen import Generated, generate, import_package, run_python
from tests.support.repo import FIXTURES, REPO, SPEC, run_pipeline

COVERAGE = FIXTURES / "specs" / "coverage.yaml"
COVERAGE31 = FIXTURES / "specs" / "coverage31.yaml"
NORTHFLANK = yaml.safe_load(SPEC.read_text())


class Recorder:
    """A transport that answers ``reply`` and keeps every request."""

    def __init__(self, reply: object = None, status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self.reply, self.status = reply, status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.reply)

    def sent(self) -> Any:
        [request] = self.requests
        return json.loads(request.content)


def _example(operation_id: str, part: str = "request") -> dict[str, Any]:
    for item in NORTHFLANK["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                media = (op["requestBody"] if part == "request" else op["responses"]["200"])["content"][
                    "application/json"
                ]
                return json.loads(json.dumps(next(iter(media["examples"].values()))["value"]))
    raise KeyError(operation_id)


def _northflank(recorder: Recorder) -> NorthflankClient:
    return NorthflankClient(token="t", transport=httpx.MockTransport(recorder))


def _cron_body(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "nightly",
        "billing": {"deploymentPlan": "nf-compute-20"},
        "backoffLimit": 1,
        "schedule": "0 0 * * *",
        "concurrencyPolicy": "forbid",
    }
    body.update(changes)
    return body


def _refused(call: Callable[[], object]) -> Any:
    """The RequestValidationError ``call`` raises (each generated package has its own class)."""
    with pytest.raises(ValueError) as caught:
        call()
    assert type(caught.value).__name__ == RequestValidationError.__name__, repr(caught.value)
    return caught.value


@pytest.fixture(scope="module")
def coverage(tmp_path_factory: pytest.TempPathFactory) -> tuple[Generated, dict[str, ModuleType]]:
    gen = generate(COVERAGE, tmp_path_factory.mktemp("coverage"))
    return gen, import_package(gen)


@pytest.fixture(scope="module")
def coverage31(tmp_path_factory: pytest.TempPathFactory) -> tuple[Generated, dict[str, ModuleType]]:
    gen = generate(COVERAGE31, tmp_path_factory.mktemp("coverage31"))
    return gen, import_package(gen)


def _client(generated: tuple[Generated, dict[str, ModuleType]], recorder: Recorder) -> Any:
    gen, modules = generated
    return getattr(modules[gen.package], gen.api.client_class)(token="t", transport=httpx.MockTransport(recorder))


# --- 1. Path parameters follow the template; only the resource's own id is positional -------


def test_1_path_ids_follow_the_template_and_parents_are_keyword_only() -> None:
    """Was: get_job(job_id, project_id), alphabetical; get_job("my-project", "my-job") hit the swapped path."""
    recorder = Recorder({"data": _example("getJob", "response")["data"]})
    client = _northflank(recorder)
    client.jobs.get_job("my-job", project_id="my-project")
    assert recorder.requests[0].url.path == "/v1/projects/my-project/jobs/my-job"
    with pytest.raises(TypeError, match="positional"):
        client.jobs.get_job("my-project", "my-job")  # type: ignore[misc]


# --- 2. Plain-mapping bodies: undeclared keys refused, nothing added --------------------------


def test_2_a_python_field_name_in_a_dict_body_is_refused_with_the_wire_name() -> None:
    """Was: {"runtime_environment": ...} sent as {"runtimeEnvironment": null, "runtime_environment": ...}."""
    recorder = Recorder()
    error = _refused(
        lambda: _northflank(recorder).jobs.run_job("job", project_id="p", body={"runtime_environment": {"A": "1"}})
    )
    assert (
        "runtime_environment: Unknown field; 'runtime_environment' is the Python name, the wire name is "
        "'runtimeEnvironment'" in str(error)
    )
    assert recorder.requests == []


def test_2_a_misspelt_key_is_refused_and_the_close_match_is_named() -> None:
    """Was: a typo such as runtimeEnviroment was sent as it is."""
    error = _refused(
        lambda: _northflank(Recorder()).jobs.run_job("job", project_id="p", body={"runtimeEnviroment": {"A": "1"}})
    )
    assert "did you mean 'runtimeEnvironment'?" in str(error)
    assert [e["loc"] for e in error.errors] == [("runtimeEnviroment",)]


def test_2_nested_undeclared_keys_are_found_where_they_are() -> None:
    body = _cron_body(billing={"deploymentPlan": "nf-compute-20", "plan": "x"})
    error = _refused(lambda: _northflank(Recorder()).jobs.put_cron_job("p", body=body))
    assert [e["loc"] for e in error.errors] == [("billing", "plan")]


def test_2_only_what_the_caller_set_is_sent_on_create_or_update() -> None:
    """Was: put_cron_job sent "buildArguments": null, which may clear data on the server."""
    recorder = Recorder({"data": _example("putCronJob", "response")["data"]})
    body = _cron_body()
    _northflank(recorder).jobs.put_cron_job("p", body=body)
    assert recorder.sent() == body
    recorder = Recorder({"data": _example("putCronJob", "response")["data"]})
    _northflank(recorder).jobs.put_cron_job("p", body=nf.PutCronJobRequest.model_validate(body))
    assert recorder.sent() == body


def test_2_a_schema_that_allows_additional_properties_lets_them_through(coverage31: Any) -> None:
    _gen, _modules = coverage31
    recorder = Recorder({"name": "a", "tags": [], "kind": "person"}, status=201)
    body = {"name": "a", "tags": [], "kind": "person", "extra": {"note": "n", "anything": [1]}}
    _client(coverage31, recorder).admin.create_profile(body=body)
    assert recorder.sent() == body
    error = _refused(lambda: _client(coverage31, Recorder()).admin.create_profile(body={**body, "other": 1}))
    assert [e["loc"] for e in error.errors] == [("other",)]


# --- 3. null only where the schema allows it --------------------------------------------------


@pytest.mark.parametrize("key", ["description", "disabledCI", "runtimeEnvironment"])
def test_3_none_on_a_property_that_is_not_nullable_is_refused(key: str) -> None:
    """Was: {"description": None}, {"disabledCI": None}, {"runtimeEnvironment": None} all went out as null."""
    recorder = Recorder()
    error = _refused(lambda: _northflank(recorder).jobs.put_cron_job("p", body=_cron_body(**{key: None})))
    assert [e["loc"][:1] for e in error.errors] == [(key,)]
    assert recorder.requests == []
    with pytest.raises(pydantic.ValidationError):
        nf.PutCronJobRequest(**{**_python_names(_cron_body()), "description": None})


def _python_names(body: dict[str, Any]) -> dict[str, Any]:
    fields = {f.alias or n: n for n, f in nf.PutCronJobRequest.model_fields.items()}
    return {fields[k]: (nf.Billing.model_validate(v) if k == "billing" else v) for k, v in body.items()}


def test_3_none_is_sent_where_the_schema_allows_null(coverage: Any, coverage31: Any) -> None:
    recorder = Recorder({"id": "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", "email": "a@b.c", "nickname": None})
    _client(coverage, recorder).store.put_contact(
        "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", body={"email": "a@b.c", "password": "p" * 8, "nickname": None}
    )
    assert recorder.sent()["nickname"] is None  # 3.0: nullable: true
    recorder = Recorder({"name": "a", "tags": [], "kind": "person"})
    _client(coverage31, recorder).profiles.patch_profile("x", body={"bio": None})
    assert recorder.sent() == {"bio": None}  # 3.1: type: [string, "null"]


def test_3_a_null_on_an_optional_response_property_reads_as_absent() -> None:
    """Responses: a null the schema does not allow, on an optional property, is MISSING (docs/design.md)."""
    data = _example("getJob", "response")["data"]
    data["description"] = None
    job = _northflank(Recorder({"data": data})).jobs.get_job("j", project_id="p")
    assert job.description is pydantic.MISSING
    assert "description" not in job.model_dump(by_alias=True)


def test_3_a_null_on_a_required_response_property_is_a_response_validation_error() -> None:
    data = _example("getJob", "response")["data"]
    data["name"] = None
    with pytest.raises(ResponseValidationError, match=r"data\.name"):
        _northflank(Recorder({"data": data})).jobs.get_job("j", project_id="p")


# --- 4. No coercion -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("backoffLimit", True),
        ("backoffLimit", "1"),
        ("backoffLimit", 1.5),
        ("disabledCI", 1),
        ("disabledCI", "true"),
        ("name", 5),
    ],
)
def test_4_values_of_the_wrong_json_type_are_refused(key: str, value: object) -> None:
    """Was: {"backoffLimit": True} and {"backoffLimit": "1"} went out as 1; {"disabledCI": 1} as true."""
    recorder = Recorder()
    _refused(lambda: _northflank(recorder).jobs.put_cron_job("p", body=_cron_body(**{key: value})))
    assert recorder.requests == []


def test_4_the_typed_constructor_does_not_coerce_either() -> None:
    with pytest.raises(pydantic.ValidationError):
        nf.Billing(deployment_plan=20)  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError):
        nf.BuildStorageEphemeralStorage(storage_size="16384")  # type: ignore[arg-type]


def test_4_enum_fields_take_members_or_their_exact_values() -> None:
    run = nf.RunOnSourceChange
    assert nf.PutCronJobRequest.model_validate(_cron_body(runOnSourceChange="never")).run_on_source_change is run.NEVER
    for wrong in (1, True, "NEVER"):
        with pytest.raises(pydantic.ValidationError):
            nf.PutCronJobRequest.model_validate(_cron_body(runOnSourceChange=wrong))


def test_4_an_integer_enum_is_its_values_refused_unknown_before_sending() -> None:
    """Was: members ``INTEGER_16384``; the caller now writes the number, checked like an enum's value."""
    assert nf.BuildStorageEphemeralStorage(storage_size=16384).storage_size == 16384
    for wrong in (8192, "16384", True, 16384.5):
        with pytest.raises(pydantic.ValidationError):
            nf.BuildStorageEphemeralStorage(storage_size=wrong)  # type: ignore[arg-type]
    reply = {"data": _example("putCronJob", "response")["data"]}
    storage = {"storage": {"ephemeralStorage": {"storageSize": 8192}}}
    build = {"dockerfile": {"dockerFilePath": "/Dockerfile", "dockerWorkDir": "/"}, **storage}
    recorder = Recorder(reply)
    with pytest.raises(RequestValidationError, match="storageSize"):
        _northflank(recorder).jobs.put_cron_job("p", body=_cron_body(buildSettings=build))
    assert recorder.requests == []  # refused before anything was sent
    build["storage"] = {"ephemeralStorage": {"storageSize": 32768}}
    _northflank(recorder).jobs.put_cron_job("p", body=_cron_body(buildSettings=build))
    assert b'"ephemeralStorage":{"storageSize":32768}' in recorder.requests[0].content


def test_4_a_response_with_an_integer_enum_value_the_spec_does_not_list_parses() -> None:
    """A newer API may offer another size: the value is kept as the int it was, and sent back unchanged."""
    reply = {"data": _example("putCronJob", "response")["data"]}
    reply["data"]["buildSettings"]["storage"]["ephemeralStorage"]["storageSize"] = 8192
    job = _northflank(Recorder(reply)).jobs.put_cron_job("p", body=_cron_body())
    settings = job.build_settings
    assert isinstance(settings, nf.CronJobDockerfileBuildSettings) and settings.storage
    size = settings.storage.ephemeral_storage.storage_size  # type: ignore[union-attr]
    assert type(size) is int and size == 8192
    assert '"storageSize":8192' in settings.model_dump_json(by_alias=True)
    reply["data"]["buildSettings"]["storage"]["ephemeralStorage"]["storageSize"] = "8192"
    with pytest.raises(ResponseValidationError):  # another JSON type is still refused
        _northflank(Recorder(reply)).jobs.put_cron_job("p", body=_cron_body())


# --- 5. Numbers keep their JSON form -------------------------------------------------------------


def test_5_an_integer_in_a_number_field_goes_out_and_comes_back_as_an_integer() -> None:
    """Was: internalCacheStorage 16384 went out as 16384.0; storageSize 1024 came back as 1024.0."""
    build = {
        "dockerfile": {
            "dockerFilePath": "/Dockerfile",
            "dockerWorkDir": "/",
            "buildkit": {"internalCacheStorage": 16384},
        }
    }
    recorder = Recorder({"data": _example("putCronJob", "response")["data"]})
    _northflank(recorder).jobs.put_cron_job("p", body=_cron_body(buildSettings=build))
    assert b'"internalCacheStorage":16384}' in recorder.requests[0].content
    fractional = {"dockerfile": {**build["dockerfile"], "buildkit": {"internalCacheStorage": 1.5}}}
    recorder = Recorder({"data": _example("putCronJob", "response")["data"]})
    _northflank(recorder).jobs.put_cron_job("p", body=_cron_body(buildSettings=fractional))
    assert b'"internalCacheStorage":1.5}' in recorder.requests[0].content
    storage = nf.JobDetailsDeploymentEphemeralStorage.model_validate_json(b'{"storageSize": 1024}')
    assert type(storage.storage_size) is int and storage.model_dump_json(by_alias=True) == '{"storageSize":1024}'


def test_5_numbers_in_3_1_arrays_and_3_0_nullable_numbers(coverage: Any, coverage31: Any) -> None:
    _, modules = coverage31
    gen, _ = coverage31
    profile = modules[f"{gen.package}.models"].Profile.model_validate_json(
        b'{"name": "a", "tags": [], "kind": "person", "weights": [1, 2.5, 3.0]}'
    )
    assert [type(w) for w in profile.weights] == [int, float, float]
    assert '"weights":[1,2.5,3.0]' in profile.model_dump_json(by_alias=True, exclude_unset=True)
    gen30, modules30 = coverage
    contact = modules30[f"{gen30.package}.models"].Contact.model_validate_json(
        b'{"id": "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", "email": "a", "ratio": 2, "score": 99.5}'
    )
    assert (type(contact.ratio), type(contact.score)) == (int, float)


# --- 6. Formatted strings go out as written ---------------------------------------------------


def _contact_client(coverage: Any) -> tuple[Any, Recorder]:
    recorder = Recorder({"id": "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", "email": "a@b.c"})
    return _client(coverage, recorder), recorder


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("homepage", "https://L.x.XN--NQv7F"),  # was lowercased, with a slash added
        ("lastSeen", "2024-05-06T07:08:09.123456789+02:00"),  # was cut to microseconds
        ("lastSeen", "2016-12-31T23:59:60Z"),  # a leap second: was refused
        ("anniversary", "2024-02-29"),
        ("wakeUp", "23:59:60.5z"),
        ("avatar", "aGVsbG8="),
    ],
)
def test_6_formatted_strings_are_sent_exactly_as_given(coverage: Any, key: str, value: str) -> None:
    client, recorder = _contact_client(coverage)
    client.store.put_contact(
        "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", body={"email": "a@b.c", "password": "p" * 8, key: value}
    )
    assert recorder.sent()[key] == value
    assert f'"{key}":"{value}"'.encode() in recorder.requests[0].content


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("lastSeen", "2024-05-06 07:08:09"),
        ("lastSeen", "yesterday"),
        ("anniversary", "2024-13-01"),
        ("wakeUp", "25:00:00Z"),
        ("avatar", "not base64!"),
        ("birthday", "0"),
    ],
)
def test_6_strings_that_do_not_have_the_format_are_refused(coverage: Any, key: str, value: str) -> None:
    """Was: a date's pattern was dropped, so "0" was accepted and sent as "1970-01-01"."""
    client, recorder = _contact_client(coverage)
    _refused(
        lambda: client.store.put_contact(
            "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", body={"email": "a@b.c", "password": "p" * 8, key: value}
        )
    )
    assert recorder.requests == []


def test_6_python_datetime_objects_are_refused_with_a_hint(coverage: Any) -> None:
    """Date-times are strings in the models (docs/design.md); a datetime object is named, not guessed at."""
    import datetime

    client, _ = _contact_client(coverage)
    error = _refused(
        lambda: client.store.put_contact(
            "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10",
            body={"email": "a@b.c", "password": "p" * 8, "lastSeen": datetime.datetime(2024, 1, 1)},
        )
    )
    assert "ISO 8601" in str(error)


# --- 7. A password goes out as the caller's value ------------------------------------------


def test_7_a_password_is_sent_as_written(coverage: Any) -> None:
    """Was: format: password became SecretStr and the body carried "**********"."""
    gen, modules = coverage
    client, recorder = _contact_client(coverage)
    request = modules[f"{gen.package}.models"].ContactRequest(email="a@b.c", password="s3cret-passw0rd")
    client.store.put_contact("6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", body=request)
    assert recorder.sent()["password"] == "s3cret-passw0rd"


# --- 8. Every stated keyword is enforced, or listed -------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("channels", ["sms", "sms"]),  # uniqueItems: was sent
        ("homepage", "https://example.com/" + "x" * 40),  # maxLength on a uri: was dropped
        ("channels", ["email", "sms", "push", "email"]),
    ],
)
def test_8_unique_items_and_lengths_of_formatted_strings_are_enforced(coverage: Any, key: str, value: object) -> None:
    client, recorder = _contact_client(coverage)
    _refused(
        lambda: client.store.put_contact(
            "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", body={"email": "a@b.c", "password": "p" * 8, key: value}
        )
    )
    assert recorder.requests == []


def test_8_unique_items_compares_json_values_and_keeps_order(coverage31: Any) -> None:
    gen, modules = coverage31
    profile = modules[f"{gen.package}.models"].Profile
    assert profile.model_validate({"name": "a", "tags": ["b", "a"], "kind": "person"}).tags == ["b", "a"]
    with pytest.raises(pydantic.ValidationError, match="item 1 repeats"):
        profile.model_validate(
            {"name": "a", "tags": [], "kind": "person", "points": [{"x": 1, "y": 2}, {"y": 2, "x": 1}]}
        )


def test_8_keywords_the_client_cannot_enforce_are_warned_and_listed(coverage: Any, coverage31: Any) -> None:
    result = run_pipeline(COVERAGE31)
    warned = {(d.pointer, d.code) for d in result.diagnostics}
    assert ("/components/schemas/Profile/properties/notes/contains", "unenforced-keyword") in warned
    assert ("/components/schemas/Profile/properties/website/format", "unenforced-keyword") in warned
    gen, _ = coverage31
    readme = gen.text("README.md")
    assert "* `contains` at `/components/schemas/Profile/properties/notes/contains`" in readme
    assert "* `format: uri` at `/components/schemas/Profile/properties/website/format`" in readme
    gen30, _ = coverage
    assert (
        "`format: date (beside a pattern)` at `/components/schemas/Contact/properties/birthday/format`"
        in gen30.text("README.md")
    )


def test_8_thousands_of_unchecked_places_are_counted_not_listed(tmp_path: Path) -> None:
    """Was: GitHub's spec gave 10,791 warnings and a README line for each."""
    properties = {f"link{i:02}": {"type": "string", "format": "uri"} for i in range(40)}
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "openapi": "3.1.0",
                "info": {"title": "Links", "version": "1"},
                "paths": {},
                "components": {"schemas": {"Links": {"type": "object", "properties": properties}}},
            }
        )
    )
    result = run_pipeline(spec, tmp_path / "out")
    assert result.files is not None
    warned = [d.message for d in result.diagnostics if d.code == "unenforced-keyword"]
    assert len(warned) == 4 and "and 37 more places" in warned[-1]
    readme = next(text for path, text in result.files.items() if str(path).endswith("README.md"))
    assert "* `format: uri`, 40 places:" in readme
    assert "  * `/components/schemas/Links/properties/link09/format`" in readme
    assert "/link10/" not in readme
    assert "  * and 30 more (`openapi-client-gen dump-ir` lists every one)" in readme


# --- 9. No format needs a package the client does not declare -------------------------------


def test_9_an_email_field_needs_no_email_validator(coverage: Any) -> None:
    """Was: format: email became EmailStr, which imports email-validator."""
    gen, _ = coverage
    code = (
        "import sys\n"
        "sys.modules['email_validator'] = None  # importing it now raises ImportError\n"
        f"import {gen.package}, {gen.package}.models as m\n"
        "m.ContactRequest.model_validate({'email': 'not checked', 'password': 'p' * 8})\n"
        "print('ok')\n"
    )
    proc = run_python(code, cwd=gen.out, pythonpath=gen.out)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
    assert not any("EmailStr" in text or "AnyUrl" in text or "SecretStr" in text for text in gen.files.values())


# --- 10. Identical enums are one class ------------------------------------------------------------


@pytest.mark.slow  # mypy
def test_10_a_value_read_from_one_model_can_be_sent_in_another(tmp_path: Path) -> None:
    """Was: CronJobRunOnSourceChange and PutCronJobRequestRunOnSourceChange, distinct classes."""
    assert (
        nf.CronJob.model_fields["run_on_source_change"].annotation
        == nf.PutCronJobRequest.model_fields["run_on_source_change"].annotation
    )
    usage = tmp_path / "enum_usage.py"
    usage.write_text(
        "from northflank_jobs.models import CronJob, PutCronJobRequest, Billing\n"
        "from pydantic import MISSING\n"
        "def copy(job: CronJob) -> PutCronJobRequest:\n"
        "    return PutCronJobRequest(name=job.name, billing=Billing(deployment_plan='p'), backoff_limit=1,\n"
        "                             schedule='* * * * *', concurrency_policy=job.concurrency_policy,\n"
        "                             run_on_source_change=job.run_on_source_change)\n"
    )
    proc = _mypy(usage)
    assert proc.returncode == 0, proc.stdout


def _mypy(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            *extra,
            "--python-version",
            "3.10",
            str(path),
        ],
        env={**os.environ, "MYPYPATH": str(REPO / "generated")},
        capture_output=True,
        text=True,
        check=False,
    )


# --- 11. Constructor errors never echo the input ---------------------------------------------------


def test_11_a_typed_constructor_error_names_the_field_but_not_the_value() -> None:
    """Was: Job(runtime_environment={...}) with a bad value raised a pydantic error quoting the secret."""
    secret = "sk-live-do-not-print"
    with pytest.raises(pydantic.ValidationError) as caught:
        nf.RunJobRequest(runtime_environment={"TOKEN": 12345, "OTHER": secret})  # type: ignore[dict-item]
    assert "runtimeEnvironment.TOKEN" in str(caught.value) or "runtime_environment.TOKEN" in str(caught.value)
    assert "12345" not in str(caught.value) and secret not in str(caught.value)
    assert secret not in repr(caught.value.errors(include_input=False))


# --- 12. Deprecated operations are flagged by type checkers and warn at the caller ----------------


@pytest.mark.slow  # mypy
def test_12_a_type_checker_flags_the_deprecated_operation(tmp_path: Path) -> None:
    usage = tmp_path / "deprecated_usage.py"
    usage.write_text(
        "from northflank_jobs import NorthflankClient\n"
        "client = NorthflankClient(token='t')\n"
        "client.jobs.put_manual_job('p', body={'name': 'legacy'})\n"
        "client.jobs.create_manual_job(\n"
        "    'p', body={'name': 'x', 'billing': {'deploymentPlan': 'p'}, 'backoffLimit': 0})\n"
    )
    proc = _mypy(usage, "--enable-error-code", "deprecated")
    assert proc.returncode == 1
    assert (
        "deprecated_usage.py:3: error: function northflank_jobs.api.jobs.JobsResource.put_manual_job is "
        "deprecated: put_manual_job is deprecated; use create_manual_job instead.  [deprecated]" in proc.stdout
    )
    assert ":4:" not in proc.stdout


def test_12_the_runtime_warning_points_at_the_calling_line() -> None:
    recorder = Recorder({"data": _example("putManualJob", "response")["data"]})
    client = _northflank(recorder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1  # the next line
        client.jobs.put_manual_job("p", body=_example("putManualJob"))
    [warning] = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert (warning.filename, warning.lineno) == (__file__, line)


def test_12_through_with_raw_response_the_warning_still_points_at_the_calling_line() -> None:
    import asyncio

    from northflank_jobs import AsyncNorthflankClient

    recorder = Recorder({"data": _example("putManualJob", "response")["data"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1  # the next line
        full = _northflank(recorder).jobs.with_raw_response.put_manual_job("p", body=_example("putManualJob"))

        async def main() -> None:
            async with AsyncNorthflankClient(token="t", transport=httpx.MockTransport(recorder)) as client:
                await client.jobs.with_raw_response.put_manual_job("p", body=_example("putManualJob"))

        async_line = main.__code__.co_firstlineno + 2  # the await
        asyncio.run(main())
    assert full.status_code == 200 and isinstance(full.parsed, nf.PutManualJobResult)
    places = [(w.filename, w.lineno) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert places == [(__file__, line), (__file__, async_line)]


# --- 13. readOnly/writeOnly shapes; operations under several tags ----------------------------------


def test_13_read_only_properties_are_not_in_request_models_and_write_only_not_in_responses(coverage: Any) -> None:
    gen, modules = coverage
    models = modules[f"{gen.package}.models"]
    assert "id" not in models.ContactRequest.model_fields and "password" in models.ContactRequest.model_fields
    assert "id" in models.Contact.model_fields and "password" not in models.Contact.model_fields
    assert models.Contact.model_fields["id"].is_required()
    error = _refused(
        lambda: _client(coverage, Recorder()).store.put_contact(
            "6c2c4c1e-3f3c-4b8e-9a43-3f2b4a6d9c10", body={"email": "a@b.c", "password": "p" * 8, "id": "x"}
        )
    )
    assert [e["loc"] for e in error.errors] == [("id",)]
    _, op = gen.operation("putContact")
    assert op.body is not None and op.body.model == "ContactRequest" and op.result_type == "Contact"
    # A schema used in one direction only keeps its name (NewPet is only sent: its readOnly id is left out).
    assert "id" not in models.NewPet.model_fields


def test_13_an_operation_with_several_tags_is_reachable_under_each_with_one_implementation(coverage31: Any) -> None:
    gen, modules = coverage31
    recorder = Recorder({"name": "a", "tags": [], "kind": "person"})
    client = _client(coverage31, recorder)
    assert client.admin.patch_profile.__func__ is client.profiles.patch_profile.__func__
    client.admin.patch_profile("p1", body={"role": "admin"})
    assert recorder.requests[0].url.path == "/profiles/p1"
    admin = modules[f"{gen.package}.api.admin"].AdminResource
    assert "def patch_profile" not in gen.text("api/admin.py")  # one implementation, in api/profiles.py
    assert admin.patch_profile.__doc__ is None or "SameAs" in repr(admin.patch_profile)


# --- breaking: a change of positional order is breaking ---------------------------------------------


def test_breaking_reports_a_change_of_positional_parameters(tmp_path: Path, northflank: Result) -> None:
    old = northflank
    text = SPEC.read_text().replace("/v1/projects/{projectId}/jobs/{jobId}:", "/v1/jobs/{jobId}/projects/{projectId}:")
    (tmp_path / "openapi.yaml").write_text(text)
    new = run_pipeline(tmp_path / "openapi.yaml")
    assert old.api and new.api and old.models and new.models
    changes = [
        c for c in compare(old.api, old.models, new.api, new.models) if c.code == "positional-parameters-changed"
    ]
    assert [(c.breaking, c.subject) for c in changes] == [(True, "getJob")]
    assert "(job_id)" in changes[0].message and "(project_id)" in changes[0].message


# --- Envelopes the client unwraps are private ------------------------------------------------------


def test_envelopes_the_client_unwraps_are_private() -> None:
    """Was: ``PutManualJobResponse`` (``{"data": ...}``) listed beside ``PutManualJobResult``, which callers get."""
    public = {name for name in vars(nf) if not name.startswith("_")}
    envelopes = {f"{op}Response" for op in ("CreateManualJob", "PutManualJob", "PutCronJob", "GetJob", "RunJob")}
    assert not public & envelopes
    assert {"PutManualJobResult", "JobDetails", "JobRun", "ErrorResponse"} <= public  # errors are handed out
    assert nf._PutManualJobResponse.model_fields["data"].annotation is nf.PutManualJobResult
    reply = {"data": _example("putCronJob", "response")["data"]}
    assert isinstance(_northflank(Recorder(reply)).jobs.put_cron_job("p", body=_cron_body()), nf.CronJob)
