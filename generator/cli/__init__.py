"""The command line (`openapi-client-gen`): one module per command, one table of exit codes (``exit.py``)."""

from .app import main

__all__ = ["main"]
