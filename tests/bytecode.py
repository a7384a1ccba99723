"""Bytecode for a test run, written once before the pytest-xdist workers start.

Each worker imports the whole suite when it collects. Where no bytecode is cached (a fresh
clone, or every run when PYTHONDONTWRITEBYTECODE is set) every worker compiles src/ and tests/
itself, and rewrites the asserts of each test module first: about 5 s of CPU per worker for the
rewriting alone. Written here once, on every core, it is read from ``__pycache__`` by each worker
as if pytest and Python had written it.

pytest's rewriting is not public API (``_pytest.assertion.rewrite``): when it changes, this
writes only the plain bytecode and says so (the workers then rewrite for themselves), and
tests/unit/test_bytecode.py fails.

    .venv/bin/python -m tests.bytecode
"""

from __future__ import annotations

import ast
import compileall
import fnmatch
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SOURCE = TESTS.parent / "src"
# pytest's default `python_files`, which pyproject.toml keeps, and the conftest modules: the
# modules whose asserts it rewrites.
REWRITTEN = ("test_*.py", "*_test.py", "conftest.py")
_REWRITTEN_RX = re.compile(r"/(test_[^/]*|[^/]*_test|conftest)\.py$")


def rewritten_modules(folder: Path) -> list[Path]:
    """The modules under ``folder`` whose asserts pytest rewrites."""
    return sorted(
        path
        for path in folder.rglob("*.py")
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in REWRITTEN)
    )


def cached_path(module: Path) -> Path:
    """Where pytest looks for the rewritten bytecode of ``module``."""
    from _pytest.assertion.rewrite import PYC_TAIL, get_cache_dir

    return get_cache_dir(module) / (module.name[:-3] + PYC_TAIL)


def rewrite(module: Path) -> bool:
    """Write pytest's rewritten bytecode of ``module`` unless it is up to date; True if written.

    The same steps as pytest's import hook, with the default settings (no
    ``enable_assertion_pass_hook``, as pyproject.toml has it).
    """
    from _pytest.assertion.rewrite import _read_pyc, _write_pyc_fp, rewrite_asserts

    pyc = cached_path(module)
    if _read_pyc(module, pyc) is not None:
        return False
    stat = os.stat(module)
    source = module.read_bytes()
    tree = ast.parse(source, filename=str(module))
    rewrite_asserts(tree, source, str(module), None)
    code = compile(tree, str(module), "exec", dont_inherit=True)
    pyc.parent.mkdir(exist_ok=True)
    # Written aside and renamed, as pytest does, so a reader never sees half a file.
    partial = pyc.with_name(f"{pyc.name}.{os.getpid()}")
    with open(partial, "wb") as out:
        _write_pyc_fp(out, stat, code)
    os.replace(partial, pyc)
    return True


def main() -> int:
    """Compile src/ and tests/, the test modules as pytest rewrites them. Quiet unless the
    rewriting could not be done; always exit 0 (a missing cache only costs time)."""
    compileall.compile_dir(SOURCE, quiet=2, workers=0)
    compileall.compile_dir(TESTS, quiet=2, workers=0, rx=_REWRITTEN_RX)
    modules = rewritten_modules(TESTS)
    cores = os.cpu_count() or 1
    try:
        with ProcessPoolExecutor(max_workers=cores) as pool:
            list(pool.map(rewrite, modules, chunksize=max(1, len(modules) // (cores * 4))))
    except Exception as error:  # a module that does not parse, or pytest's internals changed
        print(f"tests.bytecode: pytest's rewriting is not cached ({error!r})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
