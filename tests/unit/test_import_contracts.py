"""The import contracts in pyproject.toml hold on this tree, and break on planted violations.

``./dev test`` runs ``lint-imports`` on the tree; these tests show it would catch a break:
they copy the package, plant one forbidden import per contract (and a module outside every
layer), and check that import-linter names each contract as broken.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

PLANTED: dict[str, tuple[str, str]] = {
    # contract name: (module under src/bo_console, the import planted at its end)
    "Finance slice: faces > seed > service facade > services > models": (
        "finance/models.py",
        "from bo_console.finance import ledger",
    ),
    "HR slice: faces > seed > services > models": (
        "hr/models/__init__.py",
        "from bo_console.hr.service import payroll",
    ),
    "IT slice: faces > seed > service facade > services > models": (
        "it/models.py",
        "from bo_console.it import tickets",
    ),
    "Logistics slice: faces > seed > service facade > services > models": (
        "logistics/models.py",
        "from bo_console.logistics import stock",
    ),
    "Data slice: faces > service facade > services > catalogue > models": (
        "data/catalogue.py",
        "from bo_console.data import queries",
    ),
    "Front office slice: faces > service > models": (
        "front_office/models.py",
        "from bo_console.front_office import service",
    ),
    "Other departments see HR only through its service package": (
        "it/assets.py",
        "from bo_console.hr import models",
    ),
    "Headless: core, models and services import no face": (
        "core/text.py",
        "import typer",
    ),
    "Departments meet only through each other's service API": (
        "hr/service/common.py",
        "from bo_console.finance import ledger",
    ),
    "Finance depends on no other department (everyone posts to finance, not back)": (
        "finance/journal.py",
        "from bo_console.hr import models",
    ),
    "Faces reach no SQL toolkit": (
        "commands/jobs.py",
        "import sqlalchemy",
    ),
    "Core, the UI kit and the CLI kit know no department": (
        "clikit/__init__.py",
        "from bo_console import departments",
    ),
}


def _lint(tree: Path) -> tuple[int, dict[str, str]]:
    """Run lint-imports on the copy at ``tree``; (exit code, contract name -> KEPT/BROKEN)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(tree / "pyproject.toml")],
        cwd=tree / "src",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    status = dict(re.findall(r"^(.+?) (KEPT|BROKEN)(?: \(.*\))?$", done.stdout, re.MULTILINE))
    return done.returncode, status


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package and its pyproject.toml."""
    shutil.copytree(
        ROOT / "src" / "bo_console",
        tmp_path / "src" / "bo_console",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_contract_holds_on_this_tree(tree: Path) -> None:
    code, status = _lint(tree)
    assert status == dict.fromkeys(PLANTED, "KEPT")
    assert code == 0


def test_a_planted_violation_breaks_each_contract(tree: Path) -> None:
    package = tree / "src" / "bo_console"
    for module, line in PLANTED.values():
        with (package / module).open("a", encoding="utf-8") as fh:
            fh.write(f"\n{line}  # planted\n")
    code, status = _lint(tree)
    assert status == dict.fromkeys(PLANTED, "BROKEN")
    assert code != 0


def test_a_module_outside_every_layer_breaks_the_slice(tree: Path) -> None:
    (tree / "src" / "bo_console" / "finance" / "helpers.py").write_text('"""Stray."""\n')
    code, status = _lint(tree)
    broken = {name for name, state in status.items() if state == "BROKEN"}
    assert broken == {"Finance slice: faces > seed > service facade > services > models"}
    assert code != 0
