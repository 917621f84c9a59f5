"""Deprecated operations warn at the caller's line, and type checkers flag their calls.

Type checkers read ``typing_extensions.deprecated`` (PEP 702; mypy reports a
call with ``--enable-error-code deprecated``, pyright with
``reportDeprecated``). At run time this module's own ``deprecated`` is used: it
issues the same ``DeprecationWarning`` pointing at the caller's line, but
unlike ``typing_extensions``' it does not import ``asyncio`` to decorate a
coroutine function, so a program that only uses the sync client never pays
for asyncio.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["called_through_a_wrapper", "deprecated"]

F = TypeVar("F", bound=Callable[..., Any])

# Frames between the caller and the decorated method that are ours (the raw-response wrapper).
_OWN_FRAMES: contextvars.ContextVar[int] = contextvars.ContextVar("_OWN_FRAMES", default=0)


@contextmanager
def called_through_a_wrapper() -> Iterator[None]:
    """Within this block a warning skips one more frame, so it still points at the user's line."""
    token = _OWN_FRAMES.set(_OWN_FRAMES.get() + 1)
    try:
        yield
    finally:
        _OWN_FRAMES.reset(token)


def deprecated(message: str) -> Callable[[F], F]:
    """Decorate a method so that every call warns ``message`` (``DeprecationWarning``)."""

    def decorate(method: F) -> F:
        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                # Runs in the awaiting coroutine's task: stacklevel 2 is the line that awaits.
                warnings.warn(message, DeprecationWarning, stacklevel=2 + _OWN_FRAMES.get())
                return await method(*args, **kwargs)

        else:

            @functools.wraps(method)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, DeprecationWarning, stacklevel=2 + _OWN_FRAMES.get())
                return method(*args, **kwargs)

        wrapper.__deprecated__ = message  # type: ignore[attr-defined]  # as PEP 702 decorators set it
        return wrapper  # type: ignore[return-value]

    return decorate
