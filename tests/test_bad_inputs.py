"""Every case in tests/bad_inputs/ through the real CLI: the exact error, exit code, no traceback,
nothing written outside the output folder, no partial file."""

import pytest

from .bad_inputs.harness import load_cases, problems, run

CASES = load_cases()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert {c.category for c in CASES} == {"yaml", "schema", "templates", "markup", "paths"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.category}/{c.name}" for c in CASES])
def test_bad_input(case, tmp_path):
    outcome = run(case, tmp_path)
    assert problems(outcome) == []
