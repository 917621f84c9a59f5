"""`python -m openapi_client_gen` (installed), or `python -m generator` in a checkout."""

import sys

from .cli import main

sys.exit(main(prog=f"python -m {__package__}"))
