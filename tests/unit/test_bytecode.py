"""The bytecode written before the test workers start is what pytest itself would read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _pytest.assertion.rewrite import _read_pyc

from tests import bytecode

SAMPLE = "def test_sample():\n    left = 1\n    assert left == 2\n"


def test_rewritten_bytecode_is_read_by_pytest_and_explains_a_failure(tmp_path: Path) -> None:
    module = tmp_path / "test_sample.py"
    module.write_text(SAMPLE)
    assert bytecode.rewrite(module)
    code = _read_pyc(module, bytecode.cached_path(module))
    assert code is not None, "pytest would not read the cached bytecode"
    namespace: dict[str, object] = {"__name__": "test_sample"}
    exec(code, namespace)
    with pytest.raises(AssertionError) as failed:
        namespace["test_sample"]()  # type: ignore[operator]
    # A plain assert says nothing; the rewritten one shows the comparison.
    assert "assert 1 == 2" in str(failed.value)


def test_up_to_date_bytecode_is_left_and_a_changed_module_rewritten(tmp_path: Path) -> None:
    module = tmp_path / "test_sample.py"
    module.write_text(SAMPLE)
    assert bytecode.rewrite(module)
    assert not bytecode.rewrite(module)
    module.write_text(SAMPLE + "\n# changed\n")
    os.utime(module, (1, 1))
    assert bytecode.rewrite(module)


def test_the_suites_test_modules_and_conftests_are_the_ones_rewritten() -> None:
    modules = {
        path.relative_to(bytecode.TESTS).as_posix()
        for path in bytecode.rewritten_modules(bytecode.TESTS)
    }
    assert {"conftest.py", "e2e/conftest.py", "unit/test_bytecode.py"} <= modules
    assert "bytecode.py" not in modules and "e2e/tmux.py" not in modules
