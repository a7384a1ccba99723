"""Input an adversary would give: control and bidi characters, over-long text, spreadsheets that
expand to gigabytes or define entities. Each is one line (or a row report), exit 1, nothing
written, and quick."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode, ValidationFailed
from bo_console.core.text import BadText, clean
from tests.cli.conftest import Bo


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("Nul\x00Name", "NUL byte (U+0000)"),
        ("a\x01b", "control character (U+0001)"),
        ("a\x85b", "control character (U+0085)"),
        ("Ali\u202egnp.exe", "bidirectional control (U+202E)"),
        ("x\u2066y", "bidirectional control (U+2066)"),
    ],
)
def test_clean_refuses_what_no_field_may_hold(value: str, what: str) -> None:
    with pytest.raises(BadText) as refused:
        clean(value, "name")
    assert refused.value.message.startswith(f"name holds a {what}")


def test_clean_keeps_tabs_newlines_and_arabic_marks() -> None:
    assert clean(" a\tb\nc ") == "a\tb\nc"
    assert clean("عبد\u200fالله") == "عبد\u200fالله"


def test_journal_memo_with_a_control_character_is_refused(bo: Bo, store: Store) -> None:
    code, out, err = bo(
        "finance", "journal", "add", "-d", "2026-03-01", "-m", "a\x01b",
        "-l", "6230:10:", "-l", "1150::10",
    )  # fmt: skip
    assert code == ExitCode.ERROR and out == "", err
    assert "memo" in err and "U+0001" in err and "Traceback" not in err


def test_employee_name_with_a_bidi_override_is_refused(bo: Bo, store: Store) -> None:
    assert bo("hr", "units", "add", "FIN", "Finance")[0] == 0
    code, _, err = bo(
        "hr", "employees", "add", "--name", "Ali\u202egnp.exe", "--unit", "FIN",
        "--hire-date", "2026-01-01",
    )  # fmt: skip
    assert code == ExitCode.ERROR, err
    assert "name" in err and "U+202E" in err
    assert json.loads(bo("hr", "employees", "list", "-f", "json")[1]) == []


def test_an_imported_nul_byte_is_a_row_problem(bo: Bo, store: Store, tmp_path: Path) -> None:
    assert bo("hr", "units", "add", "FIN", "Finance")[0] == 0
    path = tmp_path / "nul.csv"
    path.write_text("name,org_unit,hire_date\nNul\x00Name,FIN,2024-01-01\n", encoding="utf-8")
    code, _, err = bo("hr", "employees", "import", str(path))
    assert code == ExitCode.ERROR
    assert "row 2, column name: holds a NUL byte" in err
    assert json.loads(bo("hr", "employees", "list", "-f", "json")[1]) == []


def test_an_over_long_journal_description_is_refused_not_cut(
    bo: Bo, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "entry,date,description,account,debit,credit\n"
        f"1,2026-01-05,{'x' * 100_000},1110,10,\n1,2026-01-05,,4100,,10\n",
        encoding="utf-8",
    )
    code, _, err = bo("finance", "journal", "import", str(path))
    assert code == ExitCode.ERROR, err
    assert "row 2, column description: longer than 200 characters" in err
    assert json.loads(bo("finance", "journal", "list", "-f", "json")[1]) == []


def test_the_store_refuses_control_text_naming_the_field(store: Store) -> None:
    from bo_console.core.models import JobRun

    with pytest.raises(ValidationFailed, match="^name holds a NUL"), store.write() as session:
        session.add(JobRun(name="a\x00", key="", user_login="u", os_user="u", pid=1))


def _workbook(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "org_unit", "hire_date"])
    sheet.append(["Good", "FIN", "2024-01-01"])
    path = tmp_path / "good.xlsx"
    book.save(path)
    return path


def _replace_sheet(source: Path, dest: Path, write: object) -> Path:
    """``source`` with its first sheet's XML replaced by what ``write(fh)`` writes."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open(item.filename, "w", force_zip64=True) as fh:
                    write(fh)  # type: ignore[operator]
            else:
                out.writestr(item, src.read(item.filename))
    return dest


def test_a_zip_bomb_workbook_is_refused_at_once(bo: Bo, store: Store, tmp_path: Path) -> None:
    def whitespace(fh: zipfile.ZipExtFile) -> None:
        fh.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        block = b" " * 2**20
        for _ in range(64):
            fh.write(block)
        fh.write(b"</sheetData></worksheet>")

    bomb = _replace_sheet(_workbook(tmp_path), tmp_path / "bomb.xlsx", whitespace)
    assert bomb.stat().st_size < 2**20
    started = time.monotonic()
    code, _, err = bo("hr", "employees", "import", str(bomb))
    assert code == ExitCode.ERROR, err
    assert "zip bomb" in err and "nothing was imported" in err
    assert time.monotonic() - started < 2


def test_a_billion_laughs_workbook_is_refused(bo: Bo, store: Store, tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "ha">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    bomb = _replace_sheet(
        _workbook(tmp_path), tmp_path / "laughs.xlsx", lambda fh: fh.write(laughs)
    )
    code, _, err = bo("hr", "employees", "import", str(bomb))
    assert code == ExitCode.ERROR, err
    assert "declares a document type" in err and "internal error" not in err
