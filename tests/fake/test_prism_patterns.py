"""The pattern rewrite that keeps Prism's request validation from being vacuous changes spelling only.

For every regex in ``spec/openapi.yaml`` the rewritten pattern must accept and reject
exactly the strings the original does, and must compile in JavaScript's unicode mode
(how Ajv, inside Prism, compiles patterns). Samples per pattern: every string in the
spec's examples (so the example values of the field the pattern belongs to), strings
hypothesis generates from the original pattern, and near misses derived from those.
Equivalence is checked under Python ``re`` and under node (original without the ``u``
flag, as the documented JavaScript patterns are meant, against rewritten with it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support.prism_patterns import (
    PatternSite,
    UnsupportedPattern,
    iter_schema_patterns,
    rewrite_pattern,
    rewrite_spec_patterns,
)
from tests.support.prism_server import SPEC, load_spec

pytestmark = pytest.mark.slow  # node evaluates every pattern

#: Characters inserted to make near misses: the escaped ones, separators, and
#: characters where regex engines disagree (unicode digits and spaces, astral).
PROBES = (
    ":",
    "@",
    "/",
    "-",
    ".",
    "_",
    " ",
    "\n",
    "\\",
    "?",
    "&",
    "=",
    "{",
    "}",
    "[",
    "]",
    "'",
    "A",
    "z",
    "0",
    "é",
    "\u0663",
    "\u001c",
    "\ufeff",
    "\u00a0",
    "\U0001f600",
)
GENERATED_PER_PATTERN = 50
NEAR_MISS_BASES = 25
#: Near misses are made from the spec's example values and from the shortest matching
#: samples, none longer than this.
NEAR_MISS_MAX_BASE_LENGTH = 16
#: Generated samples and near misses longer than this are left out (the spec's example
#: strings never are): long strings add little here, and make backtracking slow.
MAX_SAMPLE_LENGTH = 48
#: Patterns that backtrack exponentially get a lower cap. The documented health-check
#: path pattern nests quantifiers, ``([...]+(=[...]+)?)*``: a near miss such as
#: "/?" + 24 letters + "!" takes 3.5 s in Python and 0.5 s in node, about 4x more per
#: two added characters (hypothesis readily generates such strings: Python's ``$``
#: accepts a trailing newline, so it generates matches ending in "\n", which then fail
#: in JavaScript after backtracking through every split).
BACKTRACKING_CAPS = {
    r"^\/([a-zA-Z0-9-._]+\/)*[a-zA-Z0-9-._]*((\?([a-zA-Z0-9-._]+(=[a-zA-Z0-9-._]+)?)*)"
    r"(&([a-zA-Z0-9-._]+(=[a-zA-Z0-9-._]+)?)*)*)?$": 16,
}

SPEC_DATA = load_spec()
SITES = iter_schema_patterns(SPEC_DATA)
UNIQUE_PATTERNS = sorted({site.pattern for site in SITES})


def _short_name(site: PatternSite) -> str:
    parts = [p for p in site.pointer.split("/")[1:] if p not in ("properties", "pattern")]
    return ".".join(parts[-3:])


PATTERN_IDS = {
    pattern: _short_name(next(site for site in SITES if site.pattern == pattern)) for pattern in UNIQUE_PATTERNS
}


# --- Samples -----------------------------------------------------------------------


def _strings_in(node: Any, out: set[str]) -> None:
    if isinstance(node, str):
        out.add(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            out.add(str(key))
            _strings_in(value, out)
    elif isinstance(node, list):
        for item in node:
            _strings_in(item, out)


def _example_strings(node: Any, out: set[str]) -> None:
    """Every string (values and keys) inside any ``example``/``examples`` of the spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("example", "examples"):
                _strings_in(value, out)
            else:
                _example_strings(value, out)
    elif isinstance(node, list):
        for item in node:
            _example_strings(item, out)


@cache
def spec_example_strings() -> tuple[str, ...]:
    found: set[str] = set()
    _example_strings(SPEC_DATA, found)
    return tuple(sorted(found))


def generated_matches(pattern: str) -> list[str]:
    """Strings hypothesis derives from ``pattern`` (deterministic: derandomized, no database)."""
    found: list[str] = []

    @settings(
        max_examples=GENERATED_PER_PATTERN,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.from_regex(pattern))
    def collect(value: str) -> None:
        found.append(value)

    collect()
    return found


def near_misses(sample: str) -> list[str]:
    variants = [
        sample[1:],
        sample[:-1],
        sample * 2,
        sample.upper(),
        sample.replace("-", "--"),
        " " + sample,
        sample + " ",
        sample + "\n",
    ]
    middle = len(sample) // 2
    for probe in PROBES:
        variants += [probe + sample, sample + probe, sample[:middle] + probe + sample[middle:]]
        if sample:
            variants.append(sample[:middle] + probe + sample[middle + 1 :])
    return variants


@cache
def samples_for(pattern: str) -> tuple[str, ...]:
    compiled = re.compile(pattern)
    base = list(spec_example_strings()) + generated_matches(pattern)
    matching = sorted({s for s in base if compiled.search(s)}, key=lambda s: (len(s), s))
    samples = set(base) | {"", " ", "\n"}
    examples = set(spec_example_strings())
    bases = {s for s in matching if s in examples}  # the field's own example values
    bases.update([s for s in matching if len(s) <= NEAR_MISS_MAX_BASE_LENGTH][:NEAR_MISS_BASES])
    for sample in sorted(bases):
        samples.update(near_misses(sample))
    cap = BACKTRACKING_CAPS.get(pattern, MAX_SAMPLE_LENGTH)
    return tuple(sorted({s for s in samples if len(s) <= cap} | examples))


# --- node ----------------------------------------------------------------------------

NODE_CHECK = r"""
const fs = require("fs");
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
function compile(source, flags) {
  try { return [new RegExp(source, flags), null]; } catch (e) { return [null, String(e.message)]; }
}
const results = cases.map(c => {
  const [origU, origUError] = compile(c.original, "u");
  const [orig, origError] = compile(c.original, "");
  const [rewU, rewUError] = compile(c.rewritten, "u");
  const mismatches = [];
  let accepted = 0;
  if (orig && rewU) {
    for (const s of c.samples) {
      const a = orig.test(s), b = rewU.test(s);
      if (a) accepted++;
      if (a !== b) mismatches.push(s);
    }
  }
  return { original: c.original, originalValidUnicode: origU !== null, originalError: origError,
           rewrittenUnicodeError: rewUError, accepted, mismatches: mismatches.slice(0, 10) };
});
process.stdout.write(JSON.stringify(results));
"""


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not on PATH; it is needed to check patterns the way Prism compiles them "
            "(install Node 20, as for `npm ci`)",
            pytrace=False,
        )
    return node


def run_node_check(cases: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    script = tmp_path / "check_patterns.js"
    script.write_text(NODE_CHECK, encoding="utf-8")
    data = tmp_path / "patterns.json"
    data.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    completed = subprocess.run(
        [node_executable(), str(script), str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results: list[dict[str, Any]] = json.loads(completed.stdout)
    assert len(results) == len(cases)
    return results


# --- The spec's patterns --------------------------------------------------------------


def test_backtracking_caps_name_patterns_of_the_spec() -> None:
    assert set(BACKTRACKING_CAPS) <= set(UNIQUE_PATTERNS)


def test_every_pattern_of_the_spec_is_found() -> None:
    """The walk finds each ``pattern:`` of the YAML (a missed one would reach Prism unrewritten)."""
    text = SPEC.read_text(encoding="utf-8")
    assert len(SITES) == len(re.findall(r"^\s*pattern:", text, flags=re.MULTILINE))
    assert len(SITES) > 40
    for site in SITES:
        node: Any = SPEC_DATA
        for part in site.pointer.split("/")[1:]:
            key = part.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
        assert node == site.pattern


@pytest.mark.parametrize("pattern", UNIQUE_PATTERNS, ids=[PATTERN_IDS[p] for p in UNIQUE_PATTERNS])
def test_rewritten_pattern_accepts_and_rejects_the_same_strings_under_python_re(
    pattern: str,
) -> None:
    rewritten = rewrite_pattern(pattern)
    original_re, rewritten_re = re.compile(pattern), re.compile(rewritten)
    samples = samples_for(pattern)
    accepted = [s for s in samples if original_re.search(s)]
    rejected = [s for s in samples if not original_re.search(s)]
    # Not vacuous: the samples exercise both outcomes.
    assert len(accepted) >= 10 and len(rejected) >= 10, (len(accepted), len(rejected))
    mismatches = [s for s in samples if bool(original_re.search(s)) != bool(rewritten_re.search(s))]
    assert mismatches == []


def test_rewritten_patterns_compile_in_unicode_mode_and_match_like_the_originals_in_node(
    tmp_path: Path,
) -> None:
    cases: list[dict[str, Any]] = [
        {"original": p, "rewritten": rewrite_pattern(p), "samples": list(samples_for(p))} for p in UNIQUE_PATTERNS
    ]
    results = run_node_check(cases, tmp_path)
    for case, result in zip(cases, results, strict=False):
        label = PATTERN_IDS[case["original"]]
        assert result["originalError"] is None, f"{label}: invalid even without the u flag"
        assert result["rewrittenUnicodeError"] is None, f"{label}: {result['rewrittenUnicodeError']}"
        assert result["mismatches"] == [], label
        assert result["accepted"] >= 10, label
    # The rewrite touches exactly the patterns unicode mode refuses: the documented
    # imagePath pattern (``\:`` and ``\@``), and nothing else of this spec.
    invalid = {r["original"] for r in results if not r["originalValidUnicode"]}
    changed = {c["original"] for c in cases if c["rewritten"] != c["original"]}
    assert changed == invalid
    assert {PATTERN_IDS[p] for p in invalid} == {"schemas.ExternalSource.imagePath"}


def test_spec_examples_are_among_the_samples_and_satisfy_their_patterns() -> None:
    """The example value of the field a pattern belongs to is sampled, and the spec agrees with itself."""
    examples = set(spec_example_strings())
    assert "nginx:latest" in examples  # the imagePath of the response examples
    checked = 0
    for site in SITES:
        field = site.pointer.split("/properties/")[-1].split("/")[0]
        values = _field_example_values(SPEC_DATA, field)
        for value in values:
            assert value in samples_for(site.pattern)
            assert re.search(site.pattern, value), (site.pointer, value)
            assert re.search(rewrite_pattern(site.pattern), value), (site.pointer, value)
            checked += 1
    assert checked > 50


def _field_example_values(node: Any, field: str, inside: bool = False) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            now_inside = inside or key in ("example", "examples")
            if now_inside and key == field:
                items = value if isinstance(value, list) else [value]
                found.update(item for item in items if isinstance(item, str))
            found |= _field_example_values(value, field, now_inside)
    elif isinstance(node, list):
        for item in node:
            found |= _field_example_values(item, field, inside)
    return found


def test_rewrite_spec_patterns_returns_a_copy_with_every_pattern_rewritten() -> None:
    rewritten_spec, changes = rewrite_spec_patterns(SPEC_DATA)
    assert [site for site, _ in changes] == SITES
    assert load_spec() == SPEC_DATA, "the input spec must not be modified"
    after = iter_schema_patterns(rewritten_spec)
    assert [s.pointer for s in after] == [s.pointer for s in SITES]
    assert [s.pattern for s in after] == [new for _, new in changes]
    assert [s.pattern for s in after] == [rewrite_pattern(s.pattern) for s in SITES]


# --- The rewriter on constructs the spec does not use (yet) ---------------------------

REWRITES = [
    # identity escapes unicode mode refuses become the bare character
    (r"a\:b\@c", "a:b@c"),
    (r"[\:\@\'\"]", "[:@'\"]"),
    (r"\-x", "-x"),
    (r"\a\e\z", "aez"),
    # allowed escapes are kept
    (r"\/\.\*\+\?\(\)\[\]\{\}\|\^\$\\", r"\/\.\*\+\?\(\)\[\]\{\}\|\^\$\\"),
    (r"[\-\]\\\^]", r"[\-\]\\\^]"),
    (r"\d\D\w\W\s\S\b\B\n\t\r\f\v\0", r"\d\D\w\W\s\S\b\B\n\t\r\f\v\0"),
    (r"\x41\u00e9\cJ", r"\x41\u00e9\cJ"),
    # lone braces and brackets, literal in non-unicode mode
    (r"a{2}b{2,}c{2,3}", r"a{2}b{2,}c{2,3}"),
    (r"{x}", r"\{x\}"),
    (r"a{2\,3}", r"a\{2,3\}"),
    (r"a{,3}", r"a\{,3\}"),
    (r"x]", r"x\]"),
    # a dash next to a class escape is a literal dash in non-unicode mode
    (r"[\s-x]", r"[\s\-x]"),
    (r"[a-\d]", r"[a\-\d]"),
    (r"[\w-]", r"[\w-]"),
    (r"[-\w]", r"[-\w]"),
    (r"[0-9-._]", r"[0-9-._]"),
    (r"[^\:]", r"[^:]"),
    (r"[[]", r"[[]"),
    (r"(?:\:)(?=\@)(?!\#)", r"(?::)(?=@)(?!#)"),
]


@pytest.mark.parametrize(("original", "expected"), REWRITES)
def test_rewrite_pattern_respells(original: str, expected: str) -> None:
    assert rewrite_pattern(original) == expected


def test_synthetic_rewrites_are_unicode_valid_and_equivalent_in_node(tmp_path: Path) -> None:
    probes = [
        "",
        "a",
        "b",
        "ab",
        "a:b@c",
        ":",
        "@",
        "-",
        "x",
        " ",
        "\t",
        "{x}",
        "{",
        "}",
        "]",
        "x]",
        "aa",
        "aaa",
        "aaaa",
        "a{2,3}",
        "a{,3}",
        "'",
        '"',
        "#",
        "\\",
        "aez",
        "A",
        "_",
        "0",
        "5",
        "é",
        "J",
        "\n",
        "[",
        "^",
        ".",
        "/",
    ]
    cases = [{"original": o, "rewritten": e, "samples": probes} for o, e in REWRITES]
    for case, result in zip(cases, run_node_check(cases, tmp_path), strict=False):
        assert result["originalError"] is None, case
        assert result["rewrittenUnicodeError"] is None, case
        assert result["mismatches"] == [], case


@pytest.mark.parametrize(
    "pattern",
    [r"(a)\1", r"\01", r"\8", r"\u{41}", r"\xZ", r"\c1", r"(?<n>a)\k<n>", "[abc", "abc\\"],
)
def test_constructs_that_cannot_be_respelt_safely_are_refused(pattern: str) -> None:
    with pytest.raises(UnsupportedPattern):
        rewrite_pattern(pattern)


def test_only_schema_patterns_are_rewritten() -> None:
    spec: dict[str, Any] = {
        "x-vendor": {"pattern": "\\:"},
        "components": {
            "schemas": {
                "pattern": {"type": "string", "pattern": "a\\:"},
                "Thing": {
                    "type": "object",
                    "properties": {"pattern": {"type": "string", "pattern": "b\\@"}},
                    "patternProperties": {"^k\\:": {"type": "string", "pattern": "c\\:"}},
                    "example": {"pattern": "\\:"},
                    "enum": [{"pattern": "\\:"}],
                },
            },
            "examples": {"e": {"value": {"pattern": "\\:"}}},
        },
    }
    rewritten, changes = rewrite_spec_patterns(spec)
    assert sorted(site.pointer for site, _ in changes) == [
        "/components/schemas/Thing/patternProperties/^k\\:",
        "/components/schemas/Thing/patternProperties/^k\\:/pattern",
        "/components/schemas/Thing/properties/pattern/pattern",
        "/components/schemas/pattern/pattern",
    ]
    thing = rewritten["components"]["schemas"]["Thing"]
    assert rewritten["components"]["schemas"]["pattern"]["pattern"] == "a:"
    assert thing["properties"]["pattern"]["pattern"] == "b@"
    assert thing["patternProperties"] == {"^k:": {"type": "string", "pattern": "c:"}}
    # Data and extensions are left alone.
    assert rewritten["x-vendor"] == {"pattern": "\\:"}
    assert thing["example"] == {"pattern": "\\:"}
    assert thing["enum"] == [{"pattern": "\\:"}]
    assert rewritten["components"]["examples"] == spec["components"]["examples"]
    assert spec["components"]["schemas"]["pattern"]["pattern"] == "a\\:"  # input untouched
