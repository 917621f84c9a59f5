"""Issue 20's sweep of public specs through Prism, shard 1 of 4 (see sweep_harness.py and sweep_specs.py)."""

from __future__ import annotations

import pytest

from tests.sweep.sweep_harness import check_spec
from tests.sweep.sweep_specs import SweepSpec, shard

pytestmark = pytest.mark.slow  # generation of each spec, and Prism (node)


@pytest.mark.parametrize("spec", shard(1), ids=lambda spec: spec.id)
def test_sweep(spec: SweepSpec, tmp_path_factory: pytest.TempPathFactory) -> None:
    check_spec(spec, tmp_path_factory)
