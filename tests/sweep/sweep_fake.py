"""The fake leg of the sweep (issue 22): each package's testing fake against Prism and against the spec.

For one spec, after the Prism leg (``sweep_harness.run_spec``) and while Prism still runs:

1. **calls**: every operation called through Prism is called again, with the same arguments, through
   ``Fake<Api>().client(retry=disabled)``. Outcomes: ``accepted`` (2xx), ``refused`` (the fake refused
   the request: its status, ``rejected[-1].message`` and problems), ``no_answer`` (``FakeError``: the spec
   gives no example response), ``answer_unparsed`` (the client rejects the fake's own answer), ``error``
   (any other ``FakeError`` or exception), ``client_refused`` (the client refused the arguments before
   sending, as it did in the Prism leg: a Prism-leg failure, not the fake's). Every call Prism did not
   refuse must be accepted, including the parts Prism cannot judge (``Plan.unjudged``): the fake
   decodes those styles itself.
2. **refusals**: deliberately invalid requests (``MUTATIONS``), made from a valid request both Prism and
   the fake accepted, are sent raw (``httpx.Client``) to both; both must refuse or both accept
   (``agree_refused``/``agree_accepted``, else ``disagree``). Kinds Prism cannot judge are not built
   (``BLIND_SPOTS``).
3. **answers**: for every operation with a 2xx JSON response, the raw body of the fake's default answer
   (the bytes the transport returned, not the parsed model; from the operation table when the call
   did not reach it) is validated against the declared response schema by ``SchemaJudge``.
4. **errors**: for every declared non-2xx JSON response, ``fake.<tag>.<op>.fails(status, MESSAGE)``
   is configured, the call is made, and the raw error body is validated against that response's schema.

``SchemaJudge`` is an independent validator (``jsonschema``; the set-up of ``generator/openapi/values.py``
``_Checker``): draft 4 for OpenAPI 3.0 with ``nullable`` honoured (an error about ``null`` under a
schema with ``nullable: true`` is dropped), 2020-12 for 3.1, a ``referencing`` registry holding the
whole document so ``#/components/...`` refs resolve; formats are not asserted (as in OpenAPI).
"""

from __future__ import annotations

import copy
import importlib
import json
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_plus

import httpx

Mutate = Callable[[httpx.Request], httpx.Request]  # a valid request made invalid

MESSAGE = "sweep: a configured failure"
NOT_IN_ENUM = "sweep-not-in-enum"
NOT_A_NUMBER = "sweep-not-a-number"
PER_KIND = 3  # invalid requests of one kind per spec (the first operations that allow it)

#: Outcomes that fail the spec's test, by leg (``refused`` in the call leg only where Prism did not refuse).
FAKE_FAILING: dict[str, tuple[str, ...]] = {
    "call": ("refused", "no_answer", "answer_unparsed", "error"),
    "refusal": ("disagree", "error"),
    "answer": ("invalid", "no_answer"),
    "error": ("invalid",),
}

#: Invalid requests the refusal leg does not build, and why (docs/sweep.md lists them too).
BLIND_SPOTS: dict[str, str] = {
    "unjudged parts": "parameters and fields in Plan.unjudged (label/matrix/array path parameters, "
    "pipe/space-delimited queries, nested form objects, typeless enums, form/multipart arrays): Prism dies on "
    "them or misreads them, so it cannot be the judge there",
    "undeclared body keys": "the fake refuses JSON keys the schema does not declare (the client's closed "
    "request contract); Prism accepts them unless additionalProperties is false: a deliberate difference "
    "(tests/fake/test_against_prism.py pins it)",
    "readOnly required properties": "a readOnly property is not sent in a request (its `required` applies to "
    "responses), so leaving it out makes nothing invalid: it is never the property removed",
    "form and multipart bodies": "Prism reads repeated fields as a string and JSON parts as 'reserved "
    "characters'; only JSON bodies are mutated",
    "HEAD requests": "Prism answers HEAD without a body, so its verdict (a problem document) cannot be read",
    "formats, patterns, bounds": "not mutated: values are made invalid by a missing required part, a wrong JSON "
    "type, a value outside an enum, JSON that does not parse, an unsupported media type, missing credentials, "
    "an unknown path or method: refusals any judge of the spec must make",
}


# --- An independent validator ------------------------------------------------------------------


class Uncheckable(Exception):
    """The schema cannot be used by the validator (an unresolvable ref, a regex Python cannot compile...)."""


_URI = "urn:sweep:document"


def _escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


class SchemaJudge:
    """``jsonschema`` over the whole spec document; ``problems(value, tokens)`` for the schema at ``tokens``."""

    def __init__(self, document: dict[str, Any]) -> None:
        import jsonschema
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4, DRAFT202012

        self.document = document
        self.openapi30 = str(document.get("openapi", "")).startswith("3.0")
        specification = DRAFT4 if self.openapi30 else DRAFT202012
        registry: Registry[Any] = Registry().with_resource(_URI, Resource.from_contents(document, specification))
        cls = jsonschema.Draft4Validator if self.openapi30 else jsonschema.Draft202012Validator
        self.validator = cls({}, registry=registry)

    def problems(self, value: Any, tokens: tuple[str | int, ...]) -> list[str]:
        pointer = quote("".join("/" + _escape(t) for t in tokens), safe="/~")
        try:
            errors = list(self.validator.evolve(schema={"$ref": f"{_URI}#{pointer}"}).iter_errors(value))
        except Exception as exc:
            raise Uncheckable(f"{type(exc).__name__}: {str(exc)[:200]}") from None
        found: list[str] = []
        for error in errors:
            schema = error.schema if isinstance(error.schema, dict) else {}
            if self.openapi30 and error.instance is None and schema.get("nullable") is True:
                continue
            where = "/".join(str(p) for p in error.absolute_path)
            found.append(f"{error.message[:200]}" + (f" (at /{where})" if where else ""))
        return found


def _lookup(document: Any, tokens: list[str | int]) -> Any:
    node = document
    for token in tokens:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _deref(document: Any, node: Any, at: list[str | int]) -> tuple[Any, list[str | int]]:
    """Follow local ``$ref``s (of path items, responses, media types) to where the object really is."""
    for _ in range(20):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            break
        at = [p.replace("~1", "/").replace("~0", "~") for p in node["$ref"][2:].split("/")]
        node = _lookup(document, at)
    return node, at


def locate(document: Any, tokens: list[str | int]) -> tuple[Any, tuple[str | int, ...]]:
    """The node at ``tokens`` (a path item, response, media type; refs followed) and its real pointer."""
    node: Any = document
    at: list[str | int] = []
    for token in tokens:
        node, at = _deref(document, node, at)
        node = node[token]
        at = [*at, token]
    node, at = _deref(document, node, at)
    return node, tuple(at)


def responses_of(document: Any, path: str, method: str) -> tuple[dict[str, Any], tuple[str | int, ...]]:
    """An operation's responses and their real pointer; none for an OpenAPI 3.1 operation that declares none."""
    operation, at = locate(document, ["paths", path, method.lower()])
    if not isinstance(operation, dict) or not isinstance(operation.get("responses"), dict):
        return {}, (*at, "responses")
    responses, where = locate(document, [*at, "responses"])
    return responses, where


def is_json(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith(("+json", "/json"))


def _json_schema_media(response: Any) -> bool:
    """Whether a response declares a JSON media type with a schema (something to validate against)."""
    content = response.get("content") if isinstance(response, dict) else None
    return any(is_json(m) and isinstance(v, dict) and "schema" in v for m, v in (content or {}).items())


def status_key(responses: dict[str, Any], status: int) -> str | None:
    """The declared response for ``status``: exact, else its range (``4XX``), else ``default``."""
    keys = {str(k).upper(): str(k) for k in responses}
    for wanted in (str(status), f"{str(status)[:1]}XX", "DEFAULT"):
        if wanted in keys:
            return keys[wanted]
    return None


def media_key(content: dict[str, Any], content_type: str) -> str | None:
    """The declared media type a response's ``content-type`` falls under (exact, else a range)."""
    base = content_type.split(";")[0].strip().lower()
    for key in content:
        if key.split(";")[0].strip().lower() == base:
            return key
    major = base.split("/")[0]
    for key in content:
        if key.split(";")[0].strip().lower() in (f"{major}/*", "*/*"):
            return key
    return None


def judge_body(
    judge: SchemaJudge, path: str, method: str, status: int, content_type: str, body: bytes
) -> tuple[str, str]:
    """(valid | invalid | unchecked | not_json | no_schema, detail) for a raw response body."""
    responses, at = responses_of(judge.document, path, method)
    key = status_key(responses, status)
    if key is None:
        return "invalid", f"status {status} is not declared ({', '.join(map(str, responses))})"
    response, response_at = locate(judge.document, [*at, key])
    content = response.get("content") or {}
    if not content:
        return ("valid", "no content declared") if not body else ("invalid", f"{key} declares no content")
    media = media_key(content, content_type)
    if media is None:
        return "invalid", f"sent {content_type!r}; {key} declares {', '.join(content)} | body {body[:200]!r}"
    if not is_json(media):
        return "not_json", media
    node, media_at = locate(judge.document, [*response_at, "content", media])
    if not isinstance(node, dict) or "schema" not in node:
        return "no_schema", media
    try:
        value = json.loads(body)
    except ValueError as exc:
        return "invalid", f"not JSON ({exc}): {body[:120]!r}"
    try:
        problems = judge.problems(value, (*media_at, "schema"))
    except Uncheckable as exc:
        return "unchecked", str(exc)
    where = f"{key} {media} ({'/'.join(map(str, media_at))})"
    if problems:
        return "invalid", f"{where}: " + "; ".join(problems[:3]) + f" | body {body[:200]!r}"
    return "valid", where


# --- Records -----------------------------------------------------------------------------------


@dataclass
class FakeCheck:
    leg: str  # call | refusal | answer | error
    operation_id: str
    outcome: str
    detail: str = ""
    kind: str = ""  # refusal: the mutation; error: the declared status; answer: where the body came from
    prism: str = ""  # the Prism leg's outcome (call), Prism's verdict (refusal)

    @property
    def failing(self) -> bool:
        if self.outcome not in FAKE_FAILING.get(self.leg, ()):
            return False
        return not (self.leg == "call" and self.outcome == "refused" and self.prism == "refused")


def fake_counts(checks: list[FakeCheck]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for check in checks:
        key = f"{check.leg}.{check.outcome}"
        counts[key] = counts.get(key, 0) + 1
    return counts


class FakeRecorder:
    """Wraps one fake's ``handle_request`` (on the instance): keeps the last request and raw response."""

    def __init__(self, fake: Any) -> None:
        self.fake = fake
        self.request: httpx.Request | None = None
        self.response: httpx.Response | None = None
        inner = fake.handle_request

        def handle(request: httpx.Request) -> httpx.Response:
            self.request = request
            response = inner(request)
            response.read()
            self.response = response
            return response

        fake.handle_request = handle

    def clear(self) -> None:
        self.request = self.response = None


# --- One spec's fake leg -----------------------------------------------------------------------


@dataclass
class Planned:
    """One operation of the Prism leg, as the fake leg reuses it."""

    tag: Any
    ir_op: Any
    plan: Any  # sweep_harness.Plan, or None when no valid call could be built
    prism_outcome: str
    prism_request: httpx.Request | None
    fake_outcome: str = ""
    fake_request: httpx.Request | None = None


class FakeLeg:
    def __init__(self, package: str, api: Any, view: Any, server: Any, restart: Callable[[Any], Any]) -> None:
        self.package = package
        self.api = api
        self.view = view
        self.server = server
        self.restart = restart
        testing = importlib.import_module(f"{package}.testing")
        self.fake_error: type[BaseException] = testing.FakeError
        self.fake_module = importlib.import_module(f"{package}._fake")
        self.errors = importlib.import_module(f"{package}.errors")
        retry = importlib.import_module(f"{package}._retry").RetryPolicy
        self.fake = getattr(testing, api.fake_class)()
        self.recorder = FakeRecorder(self.fake)
        self.client = self.fake.client(retry=retry.disabled())
        self.judge = SchemaJudge(view.data)
        self.checks: list[FakeCheck] = []

    def close(self) -> None:
        self.client.close()

    def operation(self, planned: Planned) -> Any:
        return getattr(getattr(self.fake, planned.tag.fake_attribute), planned.ir_op.python_name)

    # 1. the valid calls

    def call(self, planned: Planned) -> tuple[str, str]:
        """Make the operation's valid call through the fake: (outcome, detail)."""
        ir_op, plan = planned.ir_op, planned.plan
        before = len(self.fake.rejected)
        self.recorder.clear()
        method = getattr(getattr(self.client, planned.tag.attribute), ir_op.python_name)
        failure: BaseException | None = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                method(*copy.deepcopy(plan.args), **copy.deepcopy(plan.kwargs))
        except self.errors.RequestValidationError as exc:
            return "client_refused", _line(str(exc))
        except self.fake_error as exc:
            if "no example response" in str(exc):
                return "no_answer", _line(str(exc))
            return "error", f"FakeError: {_line(str(exc))}"
        except Exception as exc:
            failure = exc
        rejected = self.fake.rejected
        if len(rejected) > before:
            last = rejected[-1]
            problems = "; ".join(f"{p.location}.{p.field}: {p.message}" for p in last.problems)
            message = last.message.splitlines()[0] if last.message else ""
            return "refused", f"{last.status} {message}" + (f" [{problems}]" if problems else "")
        if isinstance(failure, self.errors.ResponseValidationError):
            return "answer_unparsed", _line(str(failure))
        if failure is not None:
            return "error", f"{type(failure).__name__}: {_line(str(failure))}"
        return "accepted", ""

    def run_calls(self, planned: list[Planned]) -> None:
        for item in planned:
            if item.plan is None:  # no valid call could be built: the answer from the table
                if self._has_2xx_json(item.ir_op):
                    self.table_answer(item)
                continue
            if not item.prism_outcome:
                continue  # not called in the Prism leg (no 2xx response): only its error bodies
            outcome, detail = self.call(item)
            item.fake_outcome = outcome
            item.fake_request = self.recorder.request
            self.checks.append(FakeCheck("call", item.ir_op.operation_id, outcome, detail, prism=item.prism_outcome))
            self.answer(item, outcome, detail)

    # 3. default answers

    def answer(self, item: Planned, outcome: str, detail: str) -> None:
        ir_op = item.ir_op
        if not self._has_2xx_json(ir_op):
            return
        op_id = ir_op.operation_id
        response = self.recorder.response
        if outcome in ("accepted", "answer_unparsed") and response is not None:
            verdict, why = judge_body(
                self.judge,
                ir_op.path,
                ir_op.method,
                response.status_code,
                response.headers.get("content-type", ""),
                response.content,
            )
            self.checks.append(FakeCheck("answer", op_id, verdict, why, kind="wire"))
            return
        if outcome == "no_answer":
            self.checks.append(FakeCheck("answer", op_id, "no_answer", detail, kind="wire"))
            return
        self.table_answer(item)

    def table_answer(self, item: Planned) -> None:
        """The default answer from the operation table, when no call reached it."""
        ir_op = item.ir_op
        spec = self.operation(item)._spec
        cases = [c for c in spec.responses if c.kind == "empty" or c.example is not None]
        if not cases:
            self.checks.append(FakeCheck("answer", ir_op.operation_id, "no_answer", "no example", kind="table"))
            return
        case = cases[0]
        content = b"" if case.example is None else self.fake_module._example_content(case)
        status = int(case.status) if case.status.isdigit() else int(case.status[0]) * 100
        verdict, why = judge_body(self.judge, ir_op.path, ir_op.method, status, case.media_type or "", content)
        self.checks.append(FakeCheck("answer", ir_op.operation_id, verdict, why, kind="table"))

    def _has_2xx_json(self, ir_op: Any) -> bool:
        responses, at = responses_of(self.view.data, ir_op.path, ir_op.method)
        for key in responses:
            if str(key).startswith("2"):
                response, _ = locate(self.view.data, [*at, key])
                if _json_schema_media(response):
                    return True
        return False

    # 4. declared error bodies

    def run_errors(self, planned: list[Planned]) -> None:
        for item in planned:
            ir_op = item.ir_op
            responses, at = responses_of(self.view.data, ir_op.path, ir_op.method)
            for key in responses:
                key = str(key)
                if key.startswith(("1", "2")):
                    continue
                response, _ = locate(self.view.data, [*at, key])
                if not _json_schema_media(response):
                    continue
                code = error_code(responses, key)
                if code is None:
                    continue
                self.checks.append(self.error_body(item, key, code))

    def error_body(self, item: Planned, key: str, code: int) -> FakeCheck:
        """The body of ``fails(code, MESSAGE)``: through a valid call, else as the fake builds it for the operation."""
        ir_op = item.ir_op
        check = FakeCheck("error", ir_op.operation_id, "unreached", kind=f"{key}->{code}")
        operation = self.operation(item)
        response: httpx.Response | None = None
        if item.plan is not None:
            operation.fails(code, MESSAGE)
            try:
                outcome, detail = self.call(item)
            finally:
                operation.reset()
            response = self.recorder.response
            if response is None or response.status_code != code or outcome == "refused":
                check.detail, response = f"the call ended {outcome}: {detail}", None
        if response is None:  # no valid call reaches the fake: the answer it would give, from its own code
            try:
                response = self.fake_module.error(code, MESSAGE)._respond(None, operation._spec.errors)
            except Exception as exc:
                check.detail += f"; building it: {type(exc).__name__}: {_line(str(exc))}"
                return check
            check.kind += " (no call)"
        verdict, why = judge_body(
            self.judge,
            ir_op.path,
            ir_op.method,
            code,
            response.headers.get("content-type", ""),
            response.content,
        )
        check.outcome, check.detail = verdict, why
        if verdict == "valid" and MESSAGE not in response.text:
            check.detail += " (the message has no place in it)"
        return check

    # 2. invalid requests, to both

    def run_refusals(self, planned: list[Planned]) -> None:
        used: dict[str, int] = {}
        with httpx.Client(timeout=20.0) as prism, httpx.Client(transport=self.fake, timeout=20.0) as fake:
            for item in planned:
                if (
                    item.plan is None
                    or item.plan.offline
                    or item.prism_request is None
                    or item.fake_request is None
                    or item.ir_op.method.upper() == "HEAD"
                    or item.prism_outcome not in ("accepted", "response_invalid", "prism_cannot_mock")
                    or item.fake_outcome not in ("accepted", "no_answer", "answer_unparsed")
                ):
                    continue
                for kind, where, mutate in mutations(self.view, self.api, item):
                    if used.get(kind, 0) >= PER_KIND:
                        continue
                    used[kind] = used.get(kind, 0) + 1
                    self.checks.append(self.refusal(prism, fake, item, kind, where, mutate, mutate))
            for kind, where, (item, to_prism, to_fake) in spec_mutations(self.view, planned):
                self.checks.append(self.refusal(prism, fake, item, kind, where, to_prism, to_fake))

    def refusal(
        self,
        prism: httpx.Client,
        fake: httpx.Client,
        item: Planned,
        kind: str,
        where: str,
        to_prism: Mutate,
        to_fake: Mutate,
    ) -> FakeCheck:
        check = FakeCheck("refusal", item.ir_op.operation_id, "disagree", kind=f"{kind} {where}")
        try:
            assert item.prism_request is not None and item.fake_request is not None
            return self._refusal(prism, fake, check, to_prism(item.prism_request), to_fake(item.fake_request))
        except Exception as exc:  # the harness's own mutation broke: reported, not hidden
            check.outcome, check.detail = "error", f"{type(exc).__name__}: {_line(str(exc))}"
            return check

    def _refusal(
        self, prism: httpx.Client, fake: httpx.Client, check: FakeCheck, to_prism: httpx.Request, to_fake: httpx.Request
    ) -> FakeCheck:
        from tests.sweep.sweep_harness import _violation_text, prism_verdict

        try:
            prism_response = prism.send(to_prism)
            verdict = prism_verdict(prism_response)
        except httpx.HTTPError as exc:
            verdict, prism_response = None, None
            check.detail = f"Prism: {type(exc).__name__}"
        if prism_response is None or not self.server.is_running():
            deadline = time.monotonic() + 3
            while self.server.is_running() and time.monotonic() < deadline:
                time.sleep(0.05)
            if not self.server.is_running():
                self.server = self.restart(self.server)
            check.outcome, check.prism = "prism_crashed", "crashed"
            return check
        prism_refused = verdict is not None or _unparsed_by_prism(prism_response)
        check.prism = (
            f"{prism_response.status_code} " + "; ".join(_violation_text(v) for v in verdict or [])
            if prism_refused
            else f"{prism_response.status_code} accepted"
        )[:300]
        before = len(self.fake.rejected)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fake_response = fake.send(to_fake)
            fake_status = str(fake_response.status_code)
        except AssertionError as exc:  # FakeError: accepted, but nothing to answer
            fake_status = f"FakeError {_line(str(exc), 120)}"
        rejected = self.fake.rejected
        fake_refused = len(rejected) > before
        fake_text = (
            f"{rejected[-1].status} {rejected[-1].message}"
            + "".join(f" [{p.location}.{p.field}: {p.message}]" for p in rejected[-1].problems)
            if fake_refused
            else f"{fake_status} accepted"
        )
        check.detail = f"fake: {fake_text[:300]}"
        if prism_refused == fake_refused:
            check.outcome = "agree_refused" if prism_refused else "agree_accepted"
        return check


def _unparsed_by_prism(response: httpx.Response) -> bool:
    """Prism's HTTP layer refused a body it cannot parse: 400 ``{"error": {"code": "invalid_json"}}``, or
    ``Invalid JSON`` as text when the request accepts text (pinecone.io's operations)."""
    if response.status_code != 400:
        return False
    if response.headers.get("content-type", "").startswith("text/plain"):
        return response.text.strip() == "Invalid JSON"
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return False
    return isinstance(error, dict) and error.get("code") == "invalid_json"


def error_code(responses: dict[str, Any], key: str) -> int | None:
    """A status the fake can fail with whose declared response is ``key`` (``4XX``: one no exact key takes)."""
    upper = key.upper()
    if upper.isdigit():
        code = int(upper)
        return code if 300 <= code <= 599 else None
    if upper.endswith("XX") and upper[:1] in "345":
        candidates = [int(upper[0]) * 100 + n for n in (0, 22, 18, 99, 1, 2, 3, 4, 5, 6, 7, 8, 9)]
    elif upper == "DEFAULT":
        candidates = [500, 599, 503, 502, 418, 499, 450, 400]
    else:
        return None
    for code in candidates:
        if status_key(responses, code) == key:
            return code
    return None


# --- The invalid requests ----------------------------------------------------------------------


def rebuild(
    request: httpx.Request,
    *,
    path: str | None = None,
    query: list[tuple[str, str]] | None = None,
    drop_headers: tuple[str, ...] = (),
    content: bytes | None = None,
    content_type: str | None = None,
) -> httpx.Request:
    """A copy of ``request`` with its raw path, raw query pairs, headers or body replaced."""
    raw = request.url.raw_path.decode("ascii")
    old_path, _, old_query = raw.partition("?")
    pairs = query if query is not None else raw_pairs(old_query)
    text = "&".join(f"{k}={v}" if v is not None else k for k, v in pairs)
    url = request.url.copy_with(raw_path=((path or old_path) + (f"?{text}" if text else "")).encode("ascii"))
    headers = httpx.Headers([(k, v) for k, v in request.headers.multi_items() if k.lower() not in drop_headers])
    body = request.content if content is None else content
    if content is not None or "content-length" in headers:
        headers["content-length"] = str(len(body))
    if content_type is not None:
        headers["content-type"] = content_type
    return httpx.Request(request.method, url, headers=headers, content=body)


def raw_pairs(query: str) -> list[tuple[str, str]]:
    """The raw (still encoded) ``name=value`` pairs of a query string."""
    return [(k, v) for k, _, v in (p.partition("=") for p in query.split("&") if p)]


def _decoded(name: str) -> str:
    return unquote_plus(name)


def _schema_of(view: Any, param: dict[str, Any]) -> dict[str, Any]:
    if "schema" in param:
        schema = view.resolve(param["schema"])
    else:
        media = next(iter((param.get("content") or {}).values()), {})
        schema = view.resolve(media.get("schema") or {})
    return schema if isinstance(schema, dict) else {}


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    return {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _credential_names(api: Any) -> set[tuple[str, str]]:
    return {
        (str(s.location), str(s.parameter).lower())
        for s in getattr(api, "security_schemes", ())
        if getattr(s, "kind", "") == "api_key"
    }


def mutations(view: Any, api: Any, item: Planned) -> Iterator[tuple[str, str, Mutate]]:
    """Invalid variants of one valid request: (kind, where, the change)."""
    ir_op, plan = item.ir_op, item.plan
    operation, params = view.operation(ir_op.method, ir_op.path)
    credentials = _credential_names(api)
    passed = {(location, name): value for location, name, _, _, value in plan.passed}
    for param in params:
        location, name = param.get("in"), str(param.get("name"))
        if f"{location}:{name}" in plan.unjudged or (location, name) not in passed:
            continue
        if (location, name.lower()) in credentials:
            continue
        schema = _schema_of(view, param)
        value = passed[(location, name)]
        style = param.get("style", "form" if location == "query" else "simple")
        if location == "query" and style in ("form", "deepObject") and not isinstance(value, dict):
            if param.get("required"):
                yield "query_required_missing", f"query {name}", _drop_query(name)
            if "content" in param:
                continue
            if not isinstance(value, list) and schema.get("enum") and _types(schema) <= {"string"}:
                yield "query_enum_outside", f"query {name}", _set_query(name, NOT_IN_ENUM)
            if (
                not isinstance(value, list)
                and _types(schema) & {"integer", "number"}
                and "string" not in _types(schema)
            ):
                yield "query_not_a_number", f"query {name}", _set_query(name, NOT_A_NUMBER)
        elif location == "path" and style == "simple" and not isinstance(value, list | dict) and "content" not in param:
            if schema.get("enum") and _types(schema) <= {"string"}:
                yield "path_enum_outside", f"path {name}", _set_path(ir_op.path, name, NOT_IN_ENUM)
            if _types(schema) & {"integer", "number"} and "string" not in _types(schema):
                yield "path_not_a_number", f"path {name}", _set_path(ir_op.path, name, NOT_A_NUMBER)
        elif location == "header" and param.get("required"):
            if name.lower() not in ("accept", "content-type", "authorization"):
                yield "header_required_missing", f"header {name}", _drop_header(name)
    body = ir_op.body
    if body is not None and body.encoding == "json" and "body" in plan.kwargs:
        request_body = view.resolve(operation.get("requestBody") or {})
        media = (request_body.get("content") or {}).get(body.content_type) or {}
        schema = _merged(view, media.get("schema") or {})
        sent = _json_body(item.prism_request)
        if isinstance(sent, dict) and isinstance(_json_body(item.fake_request), dict):
            properties = {k: view.resolve(v) for k, v in (schema.get("properties") or {}).items()}
            for name in schema.get("required") or []:
                sub = properties.get(name) or {}
                if name in sent and not (isinstance(sub, dict) and sub.get("readOnly")):
                    yield "body_required_missing", f"body {name}", _body_without(name)
                    break
            for name, sub in properties.items():
                kinds = _types(sub) if isinstance(sub, dict) else set()
                if name in sent and len(kinds) == 1 and not sub.get("nullable") and "enum" not in sub:
                    wrong: Any = 12345 if kinds == {"string"} else "sweep-wrong-type"
                    if kinds <= {"string", "integer", "number", "boolean"}:
                        yield "body_wrong_type", f"body {name} ({kinds.pop()})", _body_with(name, wrong)
                        break
        if isinstance(sent, dict | list):
            yield "body_not_json", "body", _body_raw(b'{"sweep": not json', None)
            yield "body_media_type_unsupported", "body", _body_raw(None, "application/x-sweep-unknown")
    if _secured(view, operation):
        yield "no_credentials", "security", _strip_credentials(api)


def _merged(view: Any, schema: Any, depth: int = 0) -> dict[str, Any]:
    """A body schema with its ``allOf`` members' properties and required names merged (refs resolved)."""
    schema = view.resolve(schema)
    if not isinstance(schema, dict):
        return {}
    merged = {
        **schema,
        "properties": dict(schema.get("properties") or {}),
        "required": list(schema.get("required") or []),
    }
    for part in (schema.get("allOf") or []) if depth < 10 else []:
        part = _merged(view, part, depth + 1)
        merged["properties"].update(part.get("properties") or {})
        merged["required"] += [r for r in part.get("required") or [] if r not in merged["required"]]
    return merged


def _json_body(request: httpx.Request | None) -> Any:
    if request is None or not is_json(request.headers.get("content-type", "")):
        return None
    try:
        return json.loads(request.content)
    except ValueError:
        return None


def _drop_query(name: str) -> Mutate:
    def mutate(request: httpx.Request) -> httpx.Request:
        pairs = raw_pairs(request.url.raw_path.decode("ascii").partition("?")[2])
        kept = [(k, v) for k, v in pairs if _decoded(k) != name and not _decoded(k).startswith(name + "[")]
        return rebuild(request, query=kept)

    return mutate


def _set_query(name: str, text: str) -> Mutate:
    def mutate(request: httpx.Request) -> httpx.Request:
        pairs = raw_pairs(request.url.raw_path.decode("ascii").partition("?")[2])
        return rebuild(request, query=[(k, text if _decoded(k) == name else v) for k, v in pairs])

    return mutate


def _set_path(template: str, name: str, text: str) -> Mutate:
    segments = template.strip("/").split("/")
    index = segments.index("{" + name + "}") - len(segments) if "{" + name + "}" in segments else None

    def mutate(request: httpx.Request) -> httpx.Request:
        raw = request.url.raw_path.decode("ascii").partition("?")[0]
        if index is None:
            return request
        parts = raw.split("/")
        parts[index] = text
        return rebuild(request, path="/".join(parts))

    return mutate


def _drop_header(name: str) -> Mutate:
    return lambda request: rebuild(request, drop_headers=(name.lower(),))


def _body_without(name: str) -> Mutate:
    def mutate(request: httpx.Request) -> httpx.Request:
        data = json.loads(request.content)
        data.pop(name, None)
        return rebuild(request, content=json.dumps(data).encode())

    return mutate


def _body_with(name: str, value: Any) -> Mutate:
    def mutate(request: httpx.Request) -> httpx.Request:
        data = json.loads(request.content)
        data[name] = value
        return rebuild(request, content=json.dumps(data).encode())

    return mutate


def _body_raw(content: bytes | None, content_type: str | None) -> Mutate:
    return lambda request: rebuild(request, content=content, content_type=content_type)


def _secured(view: Any, operation: dict[str, Any]) -> bool:
    requirements = operation.get("security", view.data.get("security"))
    return bool(requirements) and all(bool(r) for r in requirements)


def _strip_credentials(api: Any) -> Mutate:
    names = _credential_names(api)

    def mutate(request: httpx.Request) -> httpx.Request:
        drop = ["authorization", "cookie", *(name for location, name in names if location == "header")]
        pairs = raw_pairs(request.url.raw_path.decode("ascii").partition("?")[2])
        kept = [(k, v) for k, v in pairs if ("query", _decoded(k).lower()) not in names]
        return rebuild(request, query=kept, drop_headers=tuple(drop))

    return mutate


def spec_mutations(view: Any, planned: list[Planned]) -> Iterator[tuple[str, str, tuple[Planned, Mutate, Mutate]]]:
    """Once per spec: a path no operation has, and a method the path does not take."""
    usable = [
        p
        for p in planned
        if p.plan is not None
        and not p.plan.offline
        and p.prism_request is not None
        and p.fake_request is not None
        and p.ir_op.method.upper() != "HEAD"
        and p.prism_outcome in ("accepted", "response_invalid", "prism_cannot_mock")
    ]
    if not usable:
        return
    item = usable[0]

    def unknown(request: httpx.Request) -> httpx.Request:
        raw = request.url.raw_path.decode("ascii").partition("?")[0]
        base = raw[: len(raw) - len(_filled_path(item))] if raw.endswith(_filled_path(item)) else ""
        return rebuild(request, path=base + "/sweep-no-such-path/a/b/c/d/e/f")

    yield "unknown_path", "/sweep-no-such-path/a/b/c/d/e/f", (item, unknown, unknown)
    for candidate in usable:
        taken = {m.lower() for m in view.resolve(view.data["paths"][candidate.ir_op.path])}
        free = [m for m in ("patch", "put", "post", "delete", "get") if m not in taken]
        if free and not _another_route(view, candidate.ir_op.path, free[0]):
            method = free[0].upper()

            def other(request: httpx.Request, method: str = method) -> httpx.Request:
                return httpx.Request(method, request.url, headers=request.headers, content=request.content)

            yield (
                "method_not_allowed",
                f"{method} {candidate.ir_op.path}",
                (candidate, other, other),
            )
            return


def _filled_path(item: Planned) -> str:
    """The operation's path as sent, without the base path (from the Prism request's tail)."""
    template = item.ir_op.path.strip("/").split("/")
    raw = item.prism_request.url.raw_path.decode("ascii").partition("?")[0] if item.prism_request else ""
    return "/" + "/".join(raw.strip("/").split("/")[-len(template) :])


def _another_route(view: Any, path: str, method: str) -> bool:
    """Whether another templated path with ``method`` could match ``path`` (the method would be allowed)."""
    count = len(path.strip("/").split("/"))
    for other, item in (view.data.get("paths") or {}).items():
        if other != path and len(other.strip("/").split("/")) == count and method in view.resolve(item):
            return True
    return False


def _line(text: str, limit: int = 300) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[:4])[:limit]


def run_fake_leg(package: str, api: Any, view: Any, planned: list[Planned], server: Any, restart: Any) -> Any:
    """The four checks for one spec: (checks, the Prism server, which may have been restarted)."""
    leg = FakeLeg(package, api, view, server, restart)
    try:
        leg.run_calls(planned)
        leg.run_refusals(planned)
        leg.run_errors(planned)
    finally:
        leg.close()
    return leg.checks, leg.server
