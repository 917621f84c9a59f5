"""Problems found in a spec, as values: collected, sorted and rendered one per line."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True, kw_only=True)
class Diagnostic:
    """One problem, anchored to a file and a JSON pointer inside it.

    ``code`` is a stable kebab-case rule id (like buf's lint ids) so users can
    grep for it and tests can snapshot it; ``line`` is filled in when known.
    """

    file: str
    pointer: str
    code: str
    level: Level = field(compare=False)
    message: str = field(compare=False)
    line: int | None = field(default=None, compare=False)

    def render(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.pointer else self.file
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{where}: {self.level.value}[{self.code}]: {self.message}"


@dataclass(slots=True, kw_only=True)
class Diagnostics:
    """Collector passed through the pipeline; builders append, nobody raises."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str, pointer: str, code: str, message: str) -> None:
        self.items.append(Diagnostic(file=file, pointer=pointer, code=code, level=Level.ERROR, message=message))

    def warning(self, file: str, pointer: str, code: str, message: str) -> None:
        self.items.append(Diagnostic(file=file, pointer=pointer, code=code, level=Level.WARNING, message=message))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.level is Level.ERROR for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self.items)))

    def __len__(self) -> int:
        return len(set(self.items))

    def render(self) -> str:
        return "".join(d.render() + "\n" for d in self)


def escape_pointer_token(token: str) -> str:
    """RFC 6901 escaping of one reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer such as ``/paths/~1pets/get`` from raw tokens."""
    return "".join("/" + escape_pointer_token(str(t)) for t in tokens)
