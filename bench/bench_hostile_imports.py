"""Hostile workbooks against `bo hr employees import`, as whole processes: wall time, peak
memory and exit code.

- a zip bomb: a valid workbook whose first sheet is 2 GiB of whitespace, about 2 MB zipped
  (before the import bounds: 30 s and 4.3 GB of memory, then "no data rows");
- a billion-laughs sheet: nine levels of ten entities each (before: exit 70).

Target (issue 9): both refused with exit 1 in well under a second, in bounded memory.
Run: ``.venv/bin/python bench/bench_hostile_imports.py``. Files are cached in ``bench/out/``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
BO = [sys.executable, "-m", "bo_console"]


def _base(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "org_unit", "hire_date"])
    sheet.append(["Good", "FIN", "2024-01-01"])
    book.save(path)


def _with_sheet(dest: Path, write: object) -> Path:
    if dest.exists():
        return dest
    base = OUT / "hostile-base.xlsx"
    _base(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open(item.filename, "w", force_zip64=True) as fh:
                    write(fh)  # type: ignore[operator]
            else:
                out.writestr(item, src.read(item.filename))
    return dest


def zip_bomb() -> Path:
    def whitespace(fh: zipfile.ZipExtFile) -> None:
        fh.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        block = b" " * 2**24
        for _ in range(128):  # 2 GiB
            fh.write(block)
        fh.write(b"</sheetData></worksheet>")

    return _with_sheet(OUT / "hostile-zipbomb.xlsx", whitespace)


def billion_laughs() -> Path:
    entities = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "ha">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _with_sheet(OUT / "hostile-laughs.xlsx", lambda fh: fh.write(sheet))


def measure(db: str, path: Path) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in KiB, exit code, stderr) of one import in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [*BO, "--db", db, "hr", "employees", "import", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before), done.returncode, done.stderr.strip()


def in_process(path: Path) -> tuple[float, str]:
    """(seconds, first problem) of reading ``path`` for an import, without process start-up."""
    from bo_console.core.io import Column, ImportReport, iter_records

    report = ImportReport()
    columns = [Column("name"), Column("org_unit"), Column("hire_date")]
    started = time.perf_counter()
    for _chunk in iter_records(path, columns, report):
        pass
    return time.perf_counter() - started, str(report.errors[0]) if report.errors else "accepted"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    files = [zip_bomb(), billion_laughs()]
    for path in files:
        seconds, problem = in_process(path)
        print(f"{path.name}: refused in-process in {seconds * 1000:.1f} ms ({problem})")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bo.db")
        subprocess.run([*BO, "--db", db, "init"], check=True, capture_output=True)
        for path in files:
            seconds, rss, code, err = measure(db, path)
            size = os.path.getsize(path) / 2**20
            print(f"{path.name}: {size:.1f} MB on disk; exit {code} in {seconds * 1000:.0f} ms")
            print(f"  peak RSS of the slowest process so far: {rss / 1024:.0f} MB; {err}")


if __name__ == "__main__":
    main()
