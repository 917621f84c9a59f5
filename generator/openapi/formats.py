"""The string formats the client checks by their shape, and a format checker that agrees with it.

The generated models check ``date-time``, ``date``, ``time``, ``uuid`` and ``byte`` by these
patterns (``models/prepare.py``); every other format stays unchecked. Anything that judges a
value for the client (a spec's example or default, an answer the testing fake builds) uses the
same shapes, so what passes here is what the client accepts.
"""

from __future__ import annotations

import re
from typing import Any

# ECMA-262 patterns (the dialect of the spec's own `pattern`s) of the RFC 3339 and RFC 4122
# shapes, and of base64 (RFC 4648). They check the shape, not the calendar: 2021-02-30 passes.
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
_DATE = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
FORMAT_PATTERNS = {
    "date-time": f"^{_DATE}[Tt]{_TIME}$",
    "date": f"^{_DATE}$",
    "time": f"^{_TIME}$",
    "uuid": r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
    "byte": r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
}


def format_checker() -> Any:
    """A ``jsonschema.FormatChecker`` asserting exactly the formats above, by their patterns."""
    import jsonschema  # type: ignore[import-untyped, unused-ignore]

    checker = jsonschema.FormatChecker(formats=())
    for name, pattern in FORMAT_PATTERNS.items():
        compiled = re.compile(pattern)

        def check(value: object, compiled: re.Pattern[str] = compiled) -> bool:
            return not isinstance(value, str) or compiled.search(value) is not None

        checker.checks(name)(check)
    return checker
