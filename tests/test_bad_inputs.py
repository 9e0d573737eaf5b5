"""Every case in tests/bad_inputs/ through the real CLI: the exact error, exit code, no traceback,
nothing written outside the output folder, no partial file — in English, then again in Chinese
(the same exit code and spot, one 错误 line in Chinese)."""

import pytest

from .bad_inputs.harness import load_cases, problems, problems_in_chinese, run

CASES = load_cases()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert {c.category for c in CASES} == {"yaml", "schema", "templates", "markup", "paths", "hostile"}


@pytest.mark.parametrize("case", [pytest.param(c, marks=[pytest.mark.slow] if c.get("slow") else [],
                                               id=f"{c.category}/{c.name}") for c in CASES])
def test_bad_input(case, tmp_path):
    english = run(case, tmp_path / "en")
    assert problems(english) == []
    chinese = run(case, tmp_path / "zh", lang="zh")
    assert problems_in_chinese(chinese, english, (tmp_path / "en", tmp_path / "zh")) == []
