"""What the tests share: paths of this repository, generation harnesses, servers, specs and strategies."""
