"""Tests for the hand-assembled OpenAPI 3.1 spec of the Northflank Jobs API (spec/openapi.yaml).

What is checked:
- the document is a valid OpenAPI 3.1 description (openapi-spec-validator);
- every example in it (media-type ``examples`` and schema ``example``) validates against its
  schema with a Draft 2020-12 validator, ``$ref`` resolved against the whole document and
  format checking on;
- the project conventions the code generator relies on (operationIds, tags, security,
  permissions, error response, component naming, named union branches);
- per operation, a sample of documented facts that a careless transcription of the source
  pages gets wrong: nesting hidden by the pages' renderer, limits that differ by page,
  oneOf/anyOf branches, required lists, enums that differ by page.

The tests read only spec/openapi.yaml (never the source pages).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.support.repo import SPEC as REPO_SPEC

SPEC_PATH = REPO_SPEC
SPEC_URI = "urn:northflank-jobs-api:openapi"
REF_PREFIX = "#/components/schemas/"

SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
REGISTRY: Registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(SPEC))

OPERATIONS = {
    "createManualJob": ("/v1/projects/{projectId}/jobs/manual", "post"),
    "putCronJob": ("/v1/projects/{projectId}/jobs/cron", "put"),
    "runJob": ("/v1/projects/{projectId}/jobs/{jobId}/runs", "post"),
    "getJob": ("/v1/projects/{projectId}/jobs/{jobId}", "get"),
    "putManualJob": ("/v1/projects/{projectId}/jobs/manual", "put"),
    "putManualJobInTeam": ("/v1/teams/{teamId}/projects/{projectId}/jobs/manual", "put"),
}
PERMISSIONS = {
    "createManualJob": "Project > Jobs > General > Create",
    "putCronJob": "Project > Jobs > General > Create",
    "runJob": "Project > Jobs > General > Read",
    "getJob": "Project > Jobs > General > Read",
    "putManualJob": "Project > Jobs > General > Create",
    "putManualJobInTeam": "Project > Jobs > General > Create",
}


# --------------------------------------------------------------------------- helpers


def escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: Any) -> str:
    return "/" + "/".join(escape(t) for t in tokens)


def deref(node: Any) -> Any:
    """Follow local ``$ref`` chains (siblings of ``$ref`` are annotations only here)."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local refs are used, got {ref}"
        assert ref not in seen, f"$ref cycle at {ref}"
        seen.add(ref)
        target: Any = SPEC
        for token in ref[2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def component(name: str) -> dict[str, Any]:
    return SPEC["components"]["schemas"][name]


def prop(schema: Any, *names: str) -> dict[str, Any]:
    """Walk ``properties`` (following refs at every step); ``[]`` steps into array items."""
    node = deref(schema)
    for name in names:
        node = deref(node["items"]) if name == "[]" else deref(node["properties"][name])
    return node


def ref_name(node: dict[str, Any]) -> str:
    ref = node["$ref"]
    assert ref.startswith(REF_PREFIX), ref
    return ref[len(REF_PREFIX) :]


def branch_names(node: dict[str, Any], keyword: str) -> list[str]:
    return [ref_name(branch) for branch in node[keyword]]


def operation(op_id: str) -> dict[str, Any]:
    path, method = OPERATIONS[op_id]
    op = SPEC["paths"][path][method]
    assert op["operationId"] == op_id
    return op


def request_schema(op_id: str) -> dict[str, Any]:
    return deref(operation(op_id)["requestBody"]["content"]["application/json"]["schema"])


def response_schema(op_id: str) -> dict[str, Any]:
    return deref(operation(op_id)["responses"]["200"]["content"]["application/json"]["schema"])


def data_schema(op_id: str) -> dict[str, Any]:
    return prop(response_schema(op_id), "data")


def validator_at(json_pointer: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": SPEC_URI + "#" + json_pointer},
        registry=REGISTRY,
        format_checker=FormatChecker(),
    )


def is_valid(schema_name: str, instance: Any) -> bool:
    return validator_at(pointer("components", "schemas", schema_name)).is_valid(instance)


def walk(node: Any, tokens: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield tokens, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*tokens, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*tokens, index))


def is_example_value_location(tokens: tuple[Any, ...]) -> bool:
    """True inside an example payload (whose keys are data, not OpenAPI keywords)."""
    for i, token in enumerate(tokens[:-1]):
        if token == "examples" and i + 2 < len(tokens) and tokens[i + 2] == "value":
            return True
        if token == "example" and i > 0 and tokens[i - 1] != "properties":
            return True
    return False


def schema_nodes() -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every schema object in the document (components and inline), with its location."""

    def visit(tokens: tuple[Any, ...], node: Any) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
        if not isinstance(node, dict):
            return
        yield tokens, node
        for key in ("items", "additionalProperties", "not"):
            if isinstance(node.get(key), dict):
                yield from visit((*tokens, key), node[key])
        for key in ("oneOf", "anyOf", "allOf"):
            for index, sub in enumerate(node.get(key, [])):
                yield from visit((*tokens, key, index), sub)
        for name, sub in node.get("properties", {}).items():
            yield from visit((*tokens, "properties", name), sub)

    for name, node in SPEC["components"]["schemas"].items():
        yield from visit(("components", "schemas", name), node)
    for tokens, node in walk(SPEC["paths"], ("paths",)):
        if tokens and tokens[-1] == "schema" and not is_example_value_location(tokens):
            yield from visit(tokens, node)
    for name, node in SPEC["components"]["responses"].items():
        for media, content in node.get("content", {}).items():
            yield from visit(("components", "responses", name, "content", media, "schema"), content["schema"])


def collect_examples() -> list[tuple[str, str, Any]]:
    """(label, pointer of the schema, instance) for every example in the document."""
    found: list[tuple[str, str, Any]] = []
    for tokens, node in walk(SPEC["paths"], ("paths",)):
        if len(tokens) >= 2 and tokens[-2] == "content" and isinstance(node, dict) and "schema" in node:
            schema_ptr = pointer(*tokens, "schema")
            for name, example in node.get("examples", {}).items():
                found.append((f"{pointer(*tokens)} examples.{name}", schema_ptr, deref(example)["value"]))
            if "example" in node:
                found.append((f"{pointer(*tokens)} example", schema_ptr, node["example"]))
    for tokens, node in schema_nodes():
        if "example" in node:
            found.append((f"{pointer(*tokens)} example", pointer(*tokens), node["example"]))
        for index, value in enumerate(node.get("examples", []) if isinstance(node.get("examples"), list) else []):
            found.append((f"{pointer(*tokens)} examples[{index}]", pointer(*tokens), value))
    return found


EXAMPLES = collect_examples()


# --------------------------------------------------------------------------- document level


def test_spec_is_valid_openapi_3_1() -> None:
    assert SPEC["openapi"] == "3.1.0"
    validate(SPEC)  # raises on any violation of the OpenAPI 3.1 schema


def test_info_servers_security_and_tags() -> None:
    assert SPEC["info"]["title"] == "Northflank Jobs API"
    assert SPEC["info"]["version"] == "1.0.0"
    assert "source" in SPEC["info"]["description"].lower()
    assert SPEC["servers"] == [{"url": "https://api.northflank.com"}]
    assert SPEC["components"]["securitySchemes"]["bearerAuth"]["type"] == "http"
    assert SPEC["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert SPEC["security"] == [{"bearerAuth": []}]
    assert [tag["name"] for tag in SPEC["tags"]] == ["Jobs"]
    assert SPEC["tags"][0]["description"]


def test_paths_and_operations_in_documented_order() -> None:
    assert list(SPEC["paths"]) == [
        "/v1/projects/{projectId}/jobs/manual",
        "/v1/projects/{projectId}/jobs/cron",
        "/v1/projects/{projectId}/jobs/{jobId}/runs",
        "/v1/projects/{projectId}/jobs/{jobId}",
        "/v1/teams/{teamId}/projects/{projectId}/jobs/manual",
    ]
    found = {
        op["operationId"]: (path, method)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    assert found == OPERATIONS


@pytest.mark.parametrize("op_id", list(OPERATIONS))
def test_operation_conventions(op_id: str) -> None:
    op = operation(op_id)
    path, _ = OPERATIONS[op_id]
    assert op["tags"] == ["Jobs"]
    assert op["summary"] and op["description"]
    assert op["security"] == [{"bearerAuth": []}]
    # required permission: as an extension AND as a line of the description
    assert op["x-required-permission"] == PERMISSIONS[op_id]
    assert f"Required permission: {PERMISSIONS[op_id]}" in op["description"].splitlines()
    # errors: the shared, explicitly non-page-sourced response
    assert op["responses"]["default"] == {"$ref": "#/components/responses/Error"}
    # path parameters: reusable components, one per template variable, all required strings
    params = [deref(p) for p in op["parameters"]]
    assert all("$ref" in p and p["$ref"].startswith("#/components/parameters/") for p in op["parameters"])
    assert sorted(p["name"] for p in params) == sorted(re.findall(r"{(\w+)}", path))
    for param in params:
        assert param["in"] == "path" and param["required"] is True
        assert param["schema"] == {"type": "string"} and param["description"]
    # envelope: {"data": <named result>} with data required
    envelope = response_schema(op_id)
    assert envelope["type"] == "object" and envelope["required"] == ["data"]
    assert ref_name(operation(op_id)["responses"]["200"]["content"]["application/json"]["schema"]).endswith("Response")
    assert "$ref" in envelope["properties"]["data"]
    if "requestBody" in op:
        body = op["requestBody"]
        assert body["required"] is True
        assert ref_name(body["content"]["application/json"]["schema"]).endswith("Request")
        assert body["content"]["application/json"]["examples"]
    assert op["responses"]["200"]["content"]["application/json"]["examples"]


def test_error_response_is_shared_and_marked_as_not_from_pages() -> None:
    error = SPEC["components"]["responses"]["Error"]
    source = "Northflank API convention; not documented on the source pages"
    assert error["x-source"] == source
    assert "not documented on the" in " ".join(error["description"].split())
    body = deref(error["content"]["application/json"]["schema"])
    assert body is component("ErrorResponse")
    assert body["required"] == ["error"]
    detail = prop(body, "error")
    assert detail is component("ErrorDetail")
    assert detail["required"] == ["message"]
    assert detail["properties"]["message"]["type"] == "string"
    assert detail["properties"]["id"]["type"] == "string"
    assert "type" not in detail["properties"]["details"]  # any JSON value
    assert component("ErrorResponse")["x-source"] == source
    assert is_valid("ErrorResponse", {"error": {"message": "Not found", "id": "x", "details": [1]}})
    assert not is_valid("ErrorResponse", {"error": {"id": "x"}})


def test_component_names_are_pascal_case_and_sorted() -> None:
    names = list(SPEC["components"]["schemas"])
    assert names == sorted(names)
    for name in names:
        assert re.fullmatch(r"[A-Z][A-Za-z]*", name), name
    assert set(SPEC["components"]["parameters"]) == {"ProjectId", "JobId", "TeamId"}


def test_every_ref_resolves() -> None:
    for tokens, node in walk(SPEC):
        if isinstance(node, dict) and "$ref" in node and not is_example_value_location(tokens):
            deref(node)


def test_union_branches_that_are_objects_are_named_components() -> None:
    for tokens, node in schema_nodes():
        for keyword in ("oneOf", "anyOf"):
            for branch in node.get(keyword, []):
                if "$ref" in branch:
                    continue
                assert branch.get("type") != "object" and "properties" not in branch, (
                    f"inline object branch at {pointer(*tokens)}/{keyword}"
                )


def test_objects_tolerate_unknown_fields() -> None:
    for tokens, node in schema_nodes():
        assert node.get("additionalProperties") is not False, pointer(*tokens)


def test_patterns_compile() -> None:
    count = 0
    for _tokens, node in schema_nodes():
        if "pattern" in node:
            re.compile(node["pattern"])
            count += 1
    assert count > 40


@pytest.mark.parametrize(("label", "schema_pointer", "instance"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_validates_against_its_schema(label: str, schema_pointer: str, instance: Any) -> None:
    errors = sorted(validator_at(schema_pointer).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_examples_were_found() -> None:
    # 5 request + 6 response page examples (the team-scoped path repeats put manual job's),
    # plus the per-field example values printed on the "Create manual job" page (cluster).
    media = [e for e in EXAMPLES if "/content/" in e[0]]
    assert len(media) == 11
    assert len(EXAMPLES) > len(media)


def test_validation_is_not_vacuous() -> None:
    # The example-validation machinery really rejects bad instances (refs are followed).
    create = pointer("components", "schemas", "CreateManualJobRequest")
    good = {"name": "Example Job", "billing": {"deploymentPlan": "nf-compute-20"}, "backoffLimit": 0}
    assert validator_at(create).is_valid(good)
    assert not validator_at(create).is_valid({**good, "billing": {"deploymentPlan": "bad plan"}})
    assert not validator_at(create).is_valid({**good, "healthChecks": [{"protocol": "HTTP"}]})


# --------------------------------------------------------------------------- createManualJob


def test_create_manual_job_fields_hidden_by_renderer_indentation_are_top_level() -> None:
    request = request_schema("createManualJob")
    # After "Choose later" and after each free-form map the page indents everything deeper;
    # the example shows these are top-level siblings.
    for name in (
        "disabledCI",
        "buildConfiguration",
        "buildSettings",
        "runtimeEnvironment",
        "runtimeFiles",
        "buildArguments",
        "buildFiles",
        "healthChecks",
    ):
        assert name in request["properties"], name
    for name in ("runtimeEnvironment", "runtimeFiles", "buildArguments", "buildFiles"):
        assert "properties" not in request["properties"][name], name
    assert request["properties"]["runtimeEnvironment"]["additionalProperties"] == {"type": "string"}
    assert request["properties"]["buildArguments"]["additionalProperties"] == {"type": "string"}
    assert ref_name(request["properties"]["runtimeFiles"]["additionalProperties"]) == "SecretFile"
    assert prop(request, "healthChecks", "[]") is component("HealthCheck")
    assert "dockerSecretMounts" not in request["properties"]  # not on this page
    data = data_schema("createManualJob")
    for name in ("jobType", "id", "appId", "deployment", "buildSettings", "status", "cluster", "createdAt"):
        assert name in data["properties"], name


def test_create_manual_job_name_limits_and_required() -> None:
    request = request_schema("createManualJob")
    assert set(request["required"]) == {"name", "billing", "backoffLimit"}
    name = request["properties"]["name"]
    assert (name["minLength"], name["maxLength"]) == (3, 39)
    assert name["pattern"] == r"^[a-zA-Z]((-|\s)?[a-zA-Z0-9]+((-|\s)[a-zA-Z0-9]+)*)?$"
    assert request["properties"]["description"]["pattern"] == r"""^[a-zA-Z0-9.,?\s\\/'"()[\];`%^&*\-_:!]+$"""
    tag = prop(request, "tags", "[]")
    assert (tag["minLength"], tag["maxLength"]) == (3, 39)
    assert tag["pattern"] == r"^[a-zA-Z](-?[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)?$"
    base = {"billing": {"deploymentPlan": "nf-compute-20"}, "backoffLimit": 0}
    assert is_valid("CreateManualJobRequest", {**base, "name": "a" * 39})
    assert not is_valid("CreateManualJobRequest", {**base, "name": "a" * 40})
    assert prop(request, "billing") is component("Billing")
    assert component("Billing")["properties"]["deploymentPlan"]["pattern"] == "^[A-Za-z0-9-]+$"


def test_create_manual_job_deployment_options() -> None:
    deployment = request_schema("createManualJob")["properties"]["deployment"]
    assert branch_names(deployment, "anyOf") == [
        "ManualJobVcsDeployment",
        "ManualJobExternalDeployment",
        "ManualJobInternalDeployment",
        "ChooseLaterDeployment",
    ]
    assert component("ManualJobVcsDeployment")["required"] == ["vcs"]
    assert component("ManualJobExternalDeployment")["required"] == ["external"]
    assert component("ManualJobInternalDeployment")["required"] == ["internal"]
    choose_later = component("ChooseLaterDeployment")
    assert choose_later["type"] == "object" and "properties" not in choose_later
    assert "metadata" not in component("ManualJobVcsDeployment")["properties"]  # cron page only
    vcs = prop(component("ManualJobVcsDeployment"), "vcs")
    assert vcs["properties"]["projectType"]["enum"] == ["bitbucket", "gitlab", "github", "self-hosted"]
    assert vcs["properties"]["selfHostedVcsId"]["pattern"] == r"^[A-Za-z0-9-]+\/[A-Za-z0-9-]+$"
    internal = prop(component("ManualJobInternalDeployment"), "internal")
    assert "required" not in internal  # id optional in the request...
    assert internal["properties"]["id"]["pattern"] == "^[A-Za-z0-9-]+$"
    assert "maxLength" not in internal["properties"]["id"]
    storage = prop(component("ManualJobVcsDeployment"), "storage")
    assert storage is component("DeploymentStorage")
    assert storage["properties"]["shmSize"]["maximum"] == 10240
    assert storage["properties"]["shmSize"]["enum"][-1] == 10240


def test_create_manual_job_build_settings_and_build_storage() -> None:
    settings = prop(request_schema("createManualJob"), "buildSettings")
    assert branch_names(settings, "oneOf") == ["ManualJobDockerfileBuildSettings", "BuildpackBuildSettings"]
    dockerfile = prop(component("ManualJobDockerfileBuildSettings"), "dockerfile")
    assert dockerfile["properties"]["buildEngine"]["enum"] == ["kaniko", "buildkit"]
    assert "buildkit" not in dockerfile["properties"]  # only the cron and put-manual pages have it
    assert set(dockerfile["required"]) == {"dockerFilePath", "dockerWorkDir"}
    # The page's enum exceeds its own maximum: both are kept, recorded in DECISIONS.md.
    size = prop(component("BuildConfiguration"), "storage", "ephemeralStorage", "storageSize")
    assert size["enum"] == [16384, 32768, 65536, 131072, 262144, 524288]
    assert (size["minimum"], size["maximum"]) == (16384, 65536)
    assert is_valid("BuildStorage", {"ephemeralStorage": {"storageSize": 65536}})
    assert not is_valid("BuildStorage", {"ephemeralStorage": {"storageSize": 131072}})


def test_create_manual_job_response_shape() -> None:
    data = data_schema("createManualJob")
    assert ref_name(response_schema("createManualJob")["properties"]["data"]) == "ManualJob"
    assert data["properties"]["jobType"]["enum"] == ["manual"]
    assert {"jobType", "id", "appId", "status", "name", "billing", "backoffLimit"} <= set(data["required"])
    assert "cluster" not in data["required"]  # required on the cron and get pages only
    deployment = prop(data, "deployment")
    assert "oneOf" not in deployment and "anyOf" not in deployment  # one object, as the example shows
    assert {"vcs", "external", "internal", "imageUrl"} <= set(deployment["properties"])
    assert prop(deployment, "internal")["required"] == ["id"]  # ...but required in the response
    cluster = prop(data, "cluster")
    assert cluster["properties"]["id"]["type"] == "string"
    assert "enum" not in cluster["properties"]["id"]  # "one of aws-cluster-id" is an example value
    assert cluster["properties"]["id"]["example"] == "aws-cluster-id"
    assert "loadBalancers" not in cluster["properties"]
    assert "format" not in data["properties"]["createdAt"]
    status = prop(data, "status", "build", "status")
    assert "UNSCHEDULABLE" not in status["enum"] and len(status["enum"]) == 11


# --------------------------------------------------------------------------- putCronJob


def test_put_cron_job_name_and_tag_limits_differ_from_create() -> None:
    request = request_schema("putCronJob")
    assert (request["properties"]["name"]["minLength"], request["properties"]["name"]["maxLength"]) == (3, 52)
    tag = prop(request, "tags", "[]")
    assert (tag["minLength"], tag["maxLength"]) == (1, 100)
    assert tag["pattern"] == "^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$"
    base = {
        "billing": {"deploymentPlan": "nf-compute-20"},
        "backoffLimit": 0,
        "schedule": "30 8 * * *",
        "concurrencyPolicy": "forbid",
    }
    assert is_valid("PutCronJobRequest", {**base, "name": "a" * 52})
    assert not is_valid("PutCronJobRequest", {**base, "name": "a" * 53})
    assert not is_valid("PutCronJobRequest", {**base, "name": "ok", "tags": ["x"]})  # name min 3
    assert is_valid("PutCronJobRequest", {**base, "name": "Job", "tags": ["x"]})  # tag min 1 here


def test_put_cron_job_schedule_fields_are_top_level_and_required() -> None:
    request = request_schema("putCronJob")
    assert set(request["required"]) == {"name", "billing", "backoffLimit", "schedule", "concurrencyPolicy"}
    for name in ("schedule", "suspended", "concurrencyPolicy"):
        assert name in request["properties"], name
        assert name not in prop(request, "healthChecks", "[]")["properties"], name
    assert request["properties"]["schedule"]["pattern"] == (
        r"(@(annually|yearly|monthly|weekly|daily|hourly))|((((\d+,)+\d+|(\d+(\/|-)\d+)|\d+|\*) ?){5})"
    )
    policy = request["properties"]["concurrencyPolicy"]
    assert policy["enum"] == ["allow", "forbid", "replace"]  # lowercase on this page
    data = data_schema("putCronJob")
    assert "pattern" not in data["properties"]["schedule"]  # the response documents no pattern
    assert data["properties"]["jobType"]["enum"] == ["cron"]


def test_put_cron_job_deployment_metadata_and_vcs_are_siblings() -> None:
    deployment = request_schema("putCronJob")["properties"]["deployment"]
    assert branch_names(deployment, "anyOf") == [
        "CronJobVcsDeployment",
        "CronJobExternalDeployment",
        "CronJobInternalDeployment",
        "ChooseLaterDeployment",
    ]
    vcs_branch = component("CronJobVcsDeployment")
    # The page nests vcs under metadata.labels.annotations; really all three are siblings.
    assert {"metadata", "vcs"} <= set(vcs_branch["properties"])
    metadata = prop(vcs_branch, "metadata")
    assert metadata is component("WorkloadMetadata")
    assert set(metadata["properties"]) == {"labels", "annotations"}
    assert metadata["properties"]["labels"]["additionalProperties"] == {"type": "string"}
    assert metadata["properties"]["annotations"]["additionalProperties"] == {"type": ["string", "object"]}
    vcs = prop(vcs_branch, "vcs")
    assert "azure" in vcs["properties"]["projectType"]["enum"]
    assert vcs["properties"]["selfHostedVcsId"]["pattern"] == r"^([A-Za-z0-9-]+\/[A-Za-z0-9-]+)|([0-9a-f]{24})$"
    internal = prop(component("CronJobInternalDeployment"), "internal")
    assert internal is component("InternalSource")
    assert (internal["properties"]["id"]["minLength"], internal["properties"]["id"]["maxLength"]) == (3, 54)


def test_put_cron_job_build_settings_has_buildkit() -> None:
    settings = prop(request_schema("putCronJob"), "buildSettings")
    assert branch_names(settings, "oneOf") == ["CronJobDockerfileBuildSettings", "BuildpackBuildSettings"]
    buildkit = prop(component("CronJobDockerfileBuildSettings"), "dockerfile", "buildkit")
    assert buildkit["properties"]["useInternalCache"]["type"] == "boolean"
    assert buildkit["properties"]["internalCacheStorage"]["type"] == "number"
    assert "format" not in buildkit["properties"]["internalCacheStorage"]  # float only on page 004


def test_put_cron_job_response_requires_cluster_with_load_balancers() -> None:
    data = data_schema("putCronJob")
    assert {"cluster", "status", "schedule", "concurrencyPolicy", "jobType"} <= set(data["required"])
    cluster = prop(data, "cluster")
    assert cluster is component("ClusterWithLoadBalancers")
    assert prop(cluster, "loadBalancers")["items"] == {"type": "string"}
    internal = prop(data, "deployment", "internal")
    assert internal["required"] == ["id"]
    assert internal["properties"]["id"]["maxLength"] == 54
    assert "metadata" in prop(data, "deployment")["properties"]


# --------------------------------------------------------------------------- runJob


def test_run_job_permission_and_parameters() -> None:
    op = operation("runJob")
    assert op["x-required-permission"] == "Project > Jobs > General > Read"
    assert [deref(p)["name"] for p in op["parameters"]] == ["projectId", "jobId"]
    request = request_schema("runJob")
    assert "required" not in request  # every override is optional
    assert set(request["properties"]) == {
        "runtimeEnvironment",
        "runtimeFiles",
        "dockerSecretMounts",
        "billing",
        "deployment",
    }
    plan = prop(request, "billing", "deploymentPlan")
    assert (plan["minLength"], plan["maxLength"]) == (3, 100)
    assert plan["pattern"] == "^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$"
    assert ref_name(request["properties"]["dockerSecretMounts"]["additionalProperties"]) == "SecretFile"


def test_run_job_deployment_override_internal_or_external() -> None:
    deployment = request_schema("runJob")["properties"]["deployment"]
    assert branch_names(deployment, "anyOf") == ["RunJobInternalDeployment", "RunJobExternalDeployment"]
    internal_branch = component("RunJobInternalDeployment")
    external_branch = component("RunJobExternalDeployment")
    assert "required" not in internal_branch and "required" not in external_branch
    assert set(internal_branch["properties"]) == {"docker", "buildpack", "storage", "internal"}
    assert set(external_branch["properties"]) == {"docker", "buildpack", "storage", "external"}
    assert prop(internal_branch, "internal") is component("InternalSource")
    assert prop(external_branch, "external") is component("ExternalSource")
    assert prop(internal_branch, "docker") is component("DockerRuntimeOverride")


def test_run_job_storage_enums_exceed_their_maximum() -> None:
    storage = prop(component("RunJobInternalDeployment"), "storage")
    assert storage is component("RunJobDeploymentStorage")
    size = prop(storage, "ephemeralStorage", "storageSize")
    assert size["enum"][-1] == 512000 and len(size["enum"]) == 18
    assert size["maximum"] == 204800
    shm = storage["properties"]["shmSize"]
    assert shm["enum"][-1] == 143360 and len(shm["enum"]) == 17
    assert shm["maximum"] == 61440
    assert is_valid("RunJobDeploymentStorage", {"shmSize": 61440})
    assert not is_valid("RunJobDeploymentStorage", {"shmSize": 81920})


def test_run_job_build_sha_is_a_sha_or_latest() -> None:
    sha = prop(component("InternalSource"), "buildSHA")
    assert sha is component("BuildSha")
    assert len(sha["oneOf"]) == 2
    assert sha["oneOf"][0]["minLength"] == sha["oneOf"][0]["maxLength"] == 40
    assert sha["oneOf"][1]["enum"] == ["latest"]
    assert is_valid("BuildSha", "a" * 40)
    assert is_valid("BuildSha", "latest")
    assert not is_valid("BuildSha", "a" * 39)
    assert not is_valid("BuildSha", "newest")


def test_run_job_response() -> None:
    data = data_schema("runJob")
    assert ref_name(response_schema("runJob")["properties"]["data"]) == "JobRun"
    assert data["required"] == ["id", "runName"]
    assert set(data["properties"]) == {"id", "runName"}
    assert not is_valid("RunJobResponse", {"data": {"id": "x"}})


# --------------------------------------------------------------------------- getJob


def test_get_job_has_no_body_and_its_own_result() -> None:
    op = operation("getJob")
    assert "requestBody" not in op
    assert [deref(p)["name"] for p in op["parameters"]] == ["projectId", "jobId"]
    data = data_schema("getJob")
    assert ref_name(response_schema("getJob")["properties"]["data"]) == "JobDetails"
    assert set(data["required"]) == {
        "id",
        "appId",
        "name",
        "tags",
        "projectId",
        "jobType",
        "createdAt",
        "disabledCI",
        "disabledCD",
        "billing",
        "settings",
        "cluster",
    }
    assert data["properties"]["jobType"]["enum"] == ["manual", "cron"]
    assert "format" not in data["properties"]["createdAt"]
    assert "maxLength" not in data["properties"]["name"]


def test_get_job_settings_nesting_and_capitalised_concurrency_policy() -> None:
    settings = prop(data_schema("getJob"), "settings")
    assert set(settings["properties"]) == {"cron", "backoffLimit", "activeDeadlineSeconds"}
    assert set(settings["required"]) == {"backoffLimit", "activeDeadlineSeconds"}
    assert settings["properties"]["activeDeadlineSeconds"]["minimum"] == 1
    cron = prop(settings, "cron")
    assert set(cron["properties"]) == {"schedule", "concurrencyPolicy"}
    assert cron["properties"]["concurrencyPolicy"]["enum"] == ["Allow", "Forbid", "Replace"]


def test_get_job_deployment_and_build_engine() -> None:
    data = data_schema("getJob")
    size = prop(data, "deployment", "storage", "ephemeralStorage")
    assert size["required"] == ["storageSize"]
    assert size["properties"]["storageSize"]["type"] == "number"
    assert "region" in prop(data, "deployment")["properties"]
    engine = prop(data, "buildEngineConfiguration")
    assert engine["properties"]["buildEngine"]["enum"] == ["buildpack", "kaniko", "buildkit"]
    assert len(prop(engine, "buildpack", "builder")["enum"]) == 10
    vcs = prop(data, "vcsData")
    assert "azure" not in vcs["properties"]["projectType"]["enum"]
    assert set(vcs["required"]) == {"projectUrl", "projectType", "dockerWorkDir", "dockerFilePath"}
    assert prop(data, "buildConfiguration") is component("BuildConfiguration")


def test_get_job_cluster_and_billing() -> None:
    data = data_schema("getJob")
    cluster = prop(data, "cluster")
    assert cluster is component("Cluster")
    assert set(cluster["required"]) == {"id", "name"}
    assert "loadBalancers" not in cluster["properties"]
    billing = prop(data, "billing")
    assert billing["required"] == ["deploymentPlan"]
    assert "pattern" not in billing["properties"]["deploymentPlan"]
    assert "buildPlan" not in billing["properties"]


# --------------------------------------------------------------------------- putManualJob


@pytest.mark.parametrize("op_id", ["putManualJob", "putManualJobInTeam"])
def test_put_manual_job_is_deprecated_with_replacement(op_id: str) -> None:
    op = operation(op_id)
    assert op["deprecated"] is True
    assert op["x-codegen-replaced-by"] == "createManualJob"
    assert "deprecated" in op["description"].lower()
    assert "createManualJob" in op["description"]
    assert op["externalDocs"]["url"].endswith("/docs/v1/api/jobs/put-job")
    assert request_schema(op_id) is component("PutManualJobRequest")
    assert response_schema(op_id) is component("PutManualJobResponse")


def test_put_manual_job_team_variant() -> None:
    team = operation("putManualJobInTeam")
    assert team["x-codegen-variant-of"] == "putManualJob"
    assert "x-codegen-variant-of" not in operation("putManualJob")
    assert [deref(p)["name"] for p in team["parameters"]] == ["teamId", "projectId"]
    assert SPEC["components"]["parameters"]["TeamId"]["description"]


def test_put_manual_job_required_and_limits_follow_its_own_page() -> None:
    request = request_schema("putManualJob")
    assert set(request["required"]) == {"name", "backoffLimit"}  # billing is not marked required here
    assert request["properties"]["name"]["maxLength"] == 52
    tag = prop(request, "tags", "[]")
    assert (tag["minLength"], tag["maxLength"]) == (3, 100)
    assert {"stageId", "infrastructure", "dockerSecretMounts"} <= set(request["properties"])
    assert prop(request, "infrastructure", "architecture")["enum"] == ["x86", "arm"]
    billing = prop(request, "billing")
    assert billing is component("PutManualJobBilling")
    for name in ("buildPlan", "deploymentPlan"):
        plan = billing["properties"][name]
        assert plan["pattern"] == "^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$"
        assert (plan["minLength"], plan["maxLength"]) == (3, 100)
    assert "gpuCount" in prop(billing, "gpu", "configuration")["properties"]
    assert "maximum" not in request["properties"].get("activeDeadlineSeconds", {})
    assert "minimum" not in request["properties"]["activeDeadlineSeconds"]


def test_put_manual_job_deployment_options_and_internal_id() -> None:
    deployment = request_schema("putManualJob")["properties"]["deployment"]
    assert branch_names(deployment, "anyOf") == [
        "PutManualJobVcsDeployment",
        "PutManualJobExternalDeployment",
        "PutManualJobInternalDeployment",
        "ChooseLaterDeployment",
    ]
    for name in branch_names(deployment, "anyOf")[:3]:
        assert "required" not in component(name), name  # nothing marked required on this page
    storage = prop(component("PutManualJobVcsDeployment"), "storage")
    assert {"useHdbStorage", "usePdSsdStorage", "ephemeralStorage", "shmSize"} == set(storage["properties"])
    assert "enum" not in prop(storage, "ephemeralStorage", "storageSize")
    vcs = prop(component("PutManualJobVcsDeployment"), "vcs")
    assert vcs["properties"]["selfHostedVcsId"]["pattern"] == "^([A-Za-z0-9-]+)|([0-9a-f]{24})$"
    internal_id = prop(component("PutManualJobInternalDeployment"), "internal", "id")
    assert [b["type"] for b in internal_id["anyOf"]] == ["string", "string"]
    assert internal_id["anyOf"][0]["pattern"] == r"^[a-zA-Z](-?[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)?$"
    assert set(internal_id["anyOf"][1]) == {"type"}
    assert is_valid("PutManualJobInternalSource", {"id": "Not_A_Slug!"})  # second option accepts it


def test_put_manual_job_build_settings() -> None:
    settings = prop(request_schema("putManualJob"), "buildSettings")
    assert branch_names(settings, "anyOf") == [
        "PutManualJobDockerfileBuildSettings",
        "PutManualJobBuildpackBuildSettings",
    ]
    dockerfile = prop(component("PutManualJobDockerfileBuildSettings"), "dockerfile")
    assert dockerfile["properties"]["buildEngine"]["enum"] == ["buildkit", "kaniko"]
    assert dockerfile["properties"]["useCache"]["deprecated"] is True
    buildkit = prop(dockerfile, "buildkit")
    assert buildkit["properties"]["internalCacheStorage"]["format"] == "float"
    assert buildkit["properties"]["cacheStorageSize"]["type"] == "integer"
    builder = prop(component("PutManualJobBuildpackBuildSettings"), "buildpack", "builder")
    assert len(builder["enum"]) == 15 and builder["enum"][0] == "HEROKU_24"
    config = prop(request_schema("putManualJob"), "buildConfiguration")
    assert "enableGitLfs" in config["properties"]
    size = prop(config, "storage", "ephemeralStorage", "storageSize")
    assert "maximum" not in size and 524288 in size["enum"]


def test_put_manual_job_health_check_differs() -> None:
    check = prop(request_schema("putManualJob"), "healthChecks", "[]")
    assert check is component("PutManualJobHealthCheck")
    assert "?" in check["properties"]["path"]["pattern"]  # query strings allowed on this page only
    assert "maximum" not in check["properties"]["periodSeconds"]
    assert component("HealthCheck")["properties"]["periodSeconds"]["maximum"] == 600
    assert set(check["required"]) == set(component("HealthCheck")["required"])


def test_put_manual_job_response() -> None:
    data = data_schema("putManualJob")
    assert ref_name(response_schema("putManualJob")["properties"]["data"]) == "PutManualJobResult"
    assert set(data["required"]) == {"name", "backoffLimit", "jobType", "id", "appId"}
    assert data["properties"]["jobType"]["enum"] == ["manual"]
    assert data["properties"]["createdAt"]["format"] == "date-time"
    assert data["properties"]["updatedAt"]["format"] == "date-time"
    build = prop(data, "status", "build")
    assert {"UNSCHEDULABLE", "IN_PROGRESS"} <= set(build["properties"]["status"]["enum"])
    assert build["properties"]["lastTransitionTime"]["format"] == "date-time"
    assert prop(data, "cluster") is component("ClusterWithLoadBalancers")
    assert prop(data, "deployment", "internal") is component("PutManualJobInternalSource")
    assert not is_valid(
        "PutManualJobResult",
        {"name": "Job", "backoffLimit": 0, "jobType": "manual", "id": "j", "appId": "a", "createdAt": "yesterday"},
    )


# --------------------------------------------------------------------------- shared components


def test_components_shared_only_where_pages_agree() -> None:
    docker = component("DockerRuntimeOverride")
    for branch in (
        "ManualJobVcsDeployment",
        "CronJobExternalDeployment",
        "RunJobInternalDeployment",
        "PutManualJobInternalDeployment",
    ):
        assert prop(component(branch), "docker") is docker
    assert docker["required"] == ["configType"]
    # The get-job page describes docker/buildpack overrides in other words: kept separate.
    assert prop(data_schema("getJob"), "deployment", "docker") is not docker
    # Storage differs on three pages: three schemas.
    assert prop(component("ManualJobVcsDeployment"), "storage") is prop(component("CronJobVcsDeployment"), "storage")
    assert prop(component("CronJobVcsDeployment"), "storage") is not prop(
        component("PutManualJobVcsDeployment"), "storage"
    )
    # Builder enum: same 10 members on create/cron/get; 15 on put-manual.
    assert (
        prop(component("BuildpackBuildSettings"), "buildpack", "builder")["enum"]
        == prop(data_schema("getJob"), "buildEngineConfiguration", "buildpack", "builder")["enum"]
    )
