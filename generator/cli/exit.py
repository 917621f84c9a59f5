"""Every command's exit codes, in one table (the README's "Exit codes" section lists the same)."""

from __future__ import annotations

import enum


class Exit(enum.IntEnum):
    OK = 0  # done; `check`/`verify`: up to date; `breaking`: nothing breaks
    DRIFT = 1  # `check`: out of date; `verify`: a file differs from its manifest; `breaking`: a change breaks callers
    INVALID = 2  # the spec has errors, or a flag or the configuration is wrong: the message says what to do
    INTERNAL = 3  # a generator bug: nothing was written; please report it with the spec
    BROKEN_PIPE = 128 + 13  # the reader went away (`dump-ir | head`), as for a process killed by SIGPIPE
