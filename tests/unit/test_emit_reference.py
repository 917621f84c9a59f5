"""Unit tests of generator/emit/reference.py: what api.md says about each operation."""

from __future__ import annotations

import ast
import dataclasses

from generator.emit import reference
from generator.ir import nodes as ir
from tests.support import ir_factory as f


def _body(hint: str, required: bool = True) -> ir.Body:
    return ir.Body(
        content_type="application/json",
        encoding="json",
        model=hint.split(" ")[0],
        type_hint=hint,
        required=required,
        description="",
        example_json=None,
    )  # type: ignore[arg-type]


def _job_api() -> tuple[ir.Api, ir.Tag, ir.Operation]:
    op = f.op(
        "runJob",
        path_params=(f.param("projectId", "path", python_name="project_id"), f.param("jobId", "path", positional=True)),
        query_params=(f.param("limit", type_hint="int"),),
        body=_body("RunJobRequest | Mapping[str, Any]"),
        result_type="list[JobRun] | None",
    )
    tag = f.tag("jobs", op)
    api = dataclasses.replace(f.api(tag), models=("Job", "JobRun", "RunJobRequest", "RunJobResponse"))
    return api, tag, op


def test_the_signature_is_the_method_s_own_without_the_common_arguments() -> None:
    _api, tag, op = _job_api()
    text = reference.signature(op, tag)
    assert text.startswith("client.jobs.runjob(")
    # It parses as a function definition with the method's parameters, in its order and kinds.
    func = ast.parse(f"def {text.removeprefix('client.jobs.')}: ...").body[0]
    assert isinstance(func, ast.FunctionDef)
    assert [a.arg for a in func.args.args] == ["jobid"]
    assert [a.arg for a in func.args.kwonlyargs] == ["project_id", "body", "limit"]
    assert ast.unparse(func.returns) == "list[JobRun] | None"  # type: ignore[arg-type]
    assert "timeout" not in text


def test_a_short_signature_stays_on_one_line() -> None:
    op = f.op("getJob", path_params=(f.param("id", "path", positional=True),), result_type="Job")
    assert reference.signature(op, f.tag("jobs", op)) == "client.jobs.getjob(id: str) -> Job"


def test_the_models_taken_and_returned_are_found_in_the_type_hints() -> None:
    api, tag, op = _job_api()
    assert reference.takes(op, api) == ["RunJobRequest"]
    assert reference.returns(op, api) == ["JobRun"]  # not the envelope, not Mapping or list
    assert reference.tag_models(tag, api) == ["JobRun", "RunJobRequest"]


def test_a_long_import_line_is_split_one_name_per_line() -> None:
    assert reference.import_line(["A", "B"], "pkg") == "from pkg.models import A, B"
    names = [f"Model{i:02}" for i in range(12)]
    text = reference.import_line(names, "pkg")
    assert compile(text, "<import>", "exec") and text.count("\n") == len(names) + 1


def test_without_a_summary_the_description_s_first_paragraph_stands_in_as_text() -> None:
    assert reference.summary(f.op("a", summary="Get it", description="Long")) == "Get it"
    described = f.op("a", description="<p>Creates a <code>customer</code>.</p><p>More.</p>")
    assert reference.summary(described) == "Creates a ``customer``."
    assert reference.summary(f.op("a")) == ""
