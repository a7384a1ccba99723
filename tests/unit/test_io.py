"""The shared import/export module, proved on users: encodings, reports, neutralisation."""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from bo_console.clikit import emit
from bo_console.core import io, security, user_io
from bo_console.core.db import Store
from bo_console.core.errors import ValidationFailed
from bo_console.core.io import ImportRejected
from bo_console.core.security import Actor, Identity
from bo_console.core.text import clean
from bo_console.departments import init_database

HEADER = "login,full_name,roles\n"


def _logins(store: Store, admin: Actor) -> set[str]:
    with store.read() as session:
        return {u.login for u in security.list_users(session, admin)}


def _import(store: Store, admin: Actor, path: Path, dry_run: bool = False) -> int:
    with store.write() as session:
        return len(user_io.import_users(session, admin, path, dry_run=dry_run))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_csv_with_or_without_bom(store: Store, admin: Actor, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "users.csv"
    path.write_text(
        HEADER + "mona,منى فاروق,finance-clerk\nali,Ali,it-clerk;analyst\n", encoding=encoding
    )
    assert _import(store, admin, path) == 2
    with store.read() as session:
        users = {u.login: u for u in security.list_users(session, admin)}
    assert users["mona"].full_name == "منى فاروق"
    assert users["ali"].roles == ("analyst", "it-clerk")


def test_xlsx_import(store: Store, admin: Actor, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Login", "Full name", "Roles"])
    sheet.append(["sara", "Sara Williams", "hr-manager"])
    sheet.append([None, None, None])
    sheet.append(["noura", "نورة", "hr-clerk"])
    path = tmp_path / "users.xlsx"
    book.save(path)
    assert _import(store, admin, path) == 2
    assert {"sara", "noura"} <= _logins(store, admin)


def test_a_bad_row_near_the_end_writes_nothing(store: Store, admin: Actor, tmp_path: Path) -> None:
    lines = [f"user{i},User {i},analyst" for i in range(2000)]
    lines[1997] = "user1997,User,wizard"
    lines[1998] = "user5,dup,analyst"
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    before = _logins(store, admin)
    with pytest.raises(ImportRejected) as caught:
        _import(store, admin, path)
    assert _logins(store, admin) == before
    report = caught.value.report
    assert report.rows == 2000
    assert [(e.row, e.field) for e in report.errors] == [(1999, "roles"), (2000, "login")]
    assert "also appears in row 7" in report.errors[1].message
    assert "nothing was imported" in caught.value.message


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16"])
def test_other_encodings_are_rejected_with_the_line(
    store: Store, admin: Actor, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "users.csv"
    path.write_bytes((HEADER + "ok,Fine,analyst\nbad,عربي,analyst\n").encode(encoding))
    with pytest.raises(ImportRejected) as caught:
        _import(store, admin, path)
    error = caught.value.report.errors[0]
    assert "UTF-8" in error.message
    # cp1256 is fine until the Arabic on line 3; UTF-16 fails at its byte-order mark.
    assert error.row == (3 if encoding == "cp1256" else 1)
    assert _logins(store, admin) == {"boadmin"}


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "empty"),
        ("login,roles,colour\nx,analyst,red\n", "unknown column"),
        ("login,full_name\nx,X\n", "required column is missing"),
        ("login,login,roles\nx,x,analyst\n", "twice"),
        ("login,full_name,roles\nBad Login,X,analyst\n", "invalid login"),
        ("login,full_name,roles\nboadmin,X,analyst\n", "already a console user"),
        ("login,full_name,roles\nx,X,\n", "at least one role"),
        ("login,full_name,roles\nx,X,analyst,extra\n", "cells but"),
    ],
)
def test_problems_are_reported(
    store: Store, admin: Actor, tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "u.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        _import(store, admin, path)
    assert any(needle in e.message for e in caught.value.report.errors), caught.value.errors


def test_no_rows_and_wrong_kind_of_file(store: Store, admin: Actor, tmp_path: Path) -> None:
    header_only = tmp_path / "h.csv"
    header_only.write_text(HEADER, encoding="utf-8")
    with pytest.raises(ValidationFailed, match="no data rows"):
        _import(store, admin, header_only)
    other = tmp_path / "u.txt.gz"
    other.write_bytes(b"\x1f\x8b")
    with pytest.raises(ValidationFailed, match=r"\.csv or \.xlsx"):
        _import(store, admin, other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ImportRejected, match="problem"):
        _import(store, admin, broken)


def test_dry_run_writes_nothing(store: Store, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(HEADER + "mona,Mona,analyst\n", encoding="utf-8")
    with store.write() as session:
        assert user_io.import_users(session, admin, path, dry_run=True) == ["mona"]
    assert "mona" not in _logins(store, admin)


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_export_then_import_round_trip(
    store: Store, admin: Actor, tmp_path: Path, make_user: Callable[..., Actor], suffix: str
) -> None:
    make_user("omar", "finance-clerk", "analyst", full_name='=HYPERLINK("x")')
    out = tmp_path / f"users.{suffix}"
    with store.read() as session:
        assert user_io.export_users(session, admin, out) == 2
    if suffix == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data[1]["full_name"] == '=HYPERLINK("x")'  # JSON is not a spreadsheet
        return
    if suffix == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        sheet = load_workbook(out).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], r, strict=True)) for r in values[1:]]
    omar = next(r for r in rows if r["login"] == "omar")
    assert omar["full_name"] == '\'=HYPERLINK("x")' and omar["roles"] == "analyst;finance-clerk"


DANGEROUS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\x00"])


@given(first=DANGEROUS, rest=st.text(max_size=20))
def test_every_dangerous_text_cell_is_neutralised(first: str, rest: str) -> None:
    value = first + rest
    out = io.neutralise(value)
    if io._PLAIN_NUMBER.match(value):
        assert out == value
    else:
        assert out == "'" + value


@given(
    value=st.text(max_size=20).filter(
        lambda v: not v.startswith(("=", "+", "-", "@", "\t", "\r", "\x00"))
    )
)
def test_harmless_cells_are_untouched(value: str) -> None:
    assert io.neutralise(value) == value


def test_numbers_stay_numbers_and_json_keeps_exact_decimals(tmp_path: Path) -> None:
    rows = [{"name": "-cmd|' /C calc'!A0", "amount": Decimal("-12.50"), "text_amount": "-12.50"}]
    text = io.dumps(rows, ["name", "amount", "text_amount"], "csv")
    assert text.splitlines()[1] == "'-cmd|' /C calc'!A0,-12.50,-12.50"
    data = json.loads(io.dumps(rows, ["amount"], "json"))
    assert data == [{"amount": "-12.50"}]
    path = tmp_path / "x.xlsx"
    io.write_file(rows, ["name", "amount"], path, "xlsx")
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A2"].value == "'-cmd|' /C calc'!A0"
    assert sheet["B2"].value == -12.5


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_the_bom_never_reaches_the_first_header(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "u.csv"
    path.write_text("Login,Full name,roles\nmona,منى,analyst\n", encoding=encoding)
    report = io.ImportReport()
    chunks = list(io.iter_records(path, user_io.COLUMNS, report))
    assert report.errors == []
    assert chunks == [[(2, {"login": "mona", "full_name": "منى", "roles": "analyst"})]]


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_bad_rows_near_the_end_write_nothing_and_are_named(
    store: Store, admin: Actor, tmp_path: Path
) -> None:
    rows: list[list[object]] = [["login", "full_name", "roles"]]
    rows += [[f"user{i}", f"User {i}", "analyst"] for i in range(500)]
    rows[499] = ["user498", "Wrong", "wizard"]  # spreadsheet row 500
    rows[500] = [12345, "Numbers are not logins", "analyst"]  # row 501
    path = _sheet(tmp_path / "u.xlsx", rows)
    with pytest.raises(ImportRejected) as caught:
        _import(store, admin, path)
    assert [(e.row, e.field) for e in caught.value.report.errors] == [
        (500, "roles"),
        (501, "login"),
    ]
    assert _logins(store, admin) == {"boadmin"}


def test_an_empty_sheet_or_file_is_refused(store: Store, admin: Actor, tmp_path: Path) -> None:
    empty_sheet = _sheet(tmp_path / "e.xlsx", [])
    with pytest.raises(ImportRejected) as caught:
        _import(store, admin, empty_sheet)
    assert "empty" in caught.value.report.errors[0].message
    empty_csv = tmp_path / "e.csv"
    empty_csv.write_bytes(b"")
    with pytest.raises(ImportRejected) as caught:
        _import(store, admin, empty_csv)
    assert (caught.value.report.errors[0].row, "empty") == (1, "empty")


# Text weighted towards what matters to a spreadsheet: formula starts, separators, quotes.
CELL_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(list("=+-@\t\r\n\x00,\"'1.")), st.characters()),
    max_size=12,
)


@example(cells=['Mona\r=HYPERLINK("http://x")'])
@example(cells=["-12.50", "@SUM(A1)", ""])
@given(cells=st.lists(CELL_TEXT, min_size=1, max_size=4))
def test_csv_export_fuzz_no_cell_can_start_a_formula(cells: list[str]) -> None:
    columns = [f"c{i}" for i in range(len(cells))]
    text = io.dumps([dict(zip(columns, cells, strict=True))], columns, "csv")
    # A spreadsheet splits rows at CR as well as LF: parse the way it would.
    parsed = list(csv.reader(re.findall(r"[^\r\n]*(?:\r\n|\r|\n)", text)))
    assert parsed[0] == columns
    assert len(parsed) == 2, "a cell broke out into a row of its own"
    for original, written in zip(cells, parsed[1], strict=True):
        if original.startswith(io._FORMULA_START) and not io._PLAIN_NUMBER.match(original):
            assert written == "'" + original
        else:
            assert written == original


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(cells=["\x01=1+1", "\r\n@x", "-3"])
@given(cells=st.lists(CELL_TEXT, min_size=1, max_size=4))
def test_xlsx_export_fuzz_no_cell_is_a_formula(cells: list[str]) -> None:
    columns = [f"c{i}" for i in range(len(cells))]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.xlsx"
        io.write_file([dict(zip(columns, cells, strict=True))], columns, path, "xlsx")
        sheet = load_workbook(path).active
        assert sheet is not None
        written = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    for original, cell in zip(cells, written, strict=True):
        assert cell.data_type != "f", (original, cell.value)
        value = "" if cell.value is None else str(cell.value)
        kept = io._XLSX_ILLEGAL.sub("", original)
        if kept.startswith(io._FORMULA_START) and not io._PLAIN_NUMBER.match(kept):
            assert value.startswith("'"), (original, value)


def test_cells_xlsx_cannot_hold_are_dropped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    rows = [{"name": "Mona\x01\x1b", "cmd": "\x00=1+1", "tab": "\tindent"}]
    io.write_file(rows, ["name", "cmd", "tab"], path, "xlsx")
    sheet = load_workbook(path).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == ["Mona", "'=1+1", "'\tindent"]


def test_exact_decimals_survive_json_and_csv() -> None:
    rows = [{"amount": Decimal("12345678901234567.891"), "small": Decimal("0.10")}]
    assert json.loads(io.dumps(rows, ["amount", "small"], "json")) == [
        {"amount": "12345678901234567.891", "small": "0.10"}
    ]
    assert (
        io.dumps(rows, ["amount", "small"], "csv") == "amount,small\n12345678901234567.891,0.10\n"
    )


def test_output_to_a_missing_directory_is_refused_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="does not exist"):
        io.write_file([{"a": 1}], ["a"], tmp_path / "nowhere" / "x.csv", "csv")
    with pytest.raises(ValidationFailed, match="is a directory"):
        io.write_file([{"a": 1}], ["a"], tmp_path, "csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "table"])
def test_exports_are_readable_by_their_owner_only_whatever_the_umask(
    tmp_path: Path, fmt: str
) -> None:
    old_umask = os.umask(0o022)
    try:
        existing = tmp_path / f"old.{fmt}"
        existing.write_text("before")
        existing.chmod(0o644)
        for path in (tmp_path / f"new.{fmt}", existing):
            if fmt == "table":
                emit([{"salary": "48050.00"}], ["salary"], fmt, path)
            else:
                io.write_file([{"salary": "48050.00"}], ["salary"], path, fmt)
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"new.{fmt}", f"old.{fmt}"]


def test_a_failed_export_leaves_neither_a_partial_file_nor_the_name_asked_for(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), io.private_output(target) as partial:
        partial.write_text("half")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


TRICKY_USERS = [
    ("mona", "منى فاروق", ("finance-clerk",)),
    ("ali", "-Ali", ("analyst", "it-clerk")),
    ("eve", '=HYPERLINK("http://x","y")', ("hr-clerk",)),
    ("reem", "ريم الغامدي", ("finance-clerk",)),
]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_users_round_trip_into_a_new_database(
    store: Store, admin: Actor, tmp_path: Path, suffix: str
) -> None:
    with store.write() as session:
        for login, name, roles in TRICKY_USERS:
            security.add_user(session, admin, login=login, roles=roles, full_name=name)
        security.set_active(session, admin, login="reem", active=False)
    exported = tmp_path / f"users.{suffix}"
    with store.read() as session:
        assert user_io.export_users(session, admin, exported) == 5
        original = [u for u in security.list_users(session, admin) if u.login != "boadmin"]

    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    init_database(other, Identity("boadmin", "test"))
    with other.read() as session:
        other_admin = security.sign_in(session, Identity("boadmin", "test"))
    # The exported file holds this database's admin too: everyone else comes across.
    keep = tmp_path / f"others.{suffix}"
    _drop_login(exported, keep, "boadmin")
    with other.write() as session:
        assert len(user_io.import_users(session, other_admin, keep)) == 4
    with other.read() as session:
        copied = [u for u in security.list_users(session, other_admin) if u.login != "boadmin"]

    def shape(users: list[security.UserView]) -> list[tuple[object, ...]]:
        return [(u.login, u.full_name, u.roles, u.active) for u in users]

    assert shape(copied) == shape(original)


def _drop_login(source: Path, dest: Path, login: str) -> None:
    if source.suffix == ".csv":
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        dest.write_text(
            "".join(line for line in lines if not line.startswith(f"{login},")), encoding="utf-8"
        )
        return
    book = load_workbook(source)
    sheet = book.active
    assert sheet is not None
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, 1).value == login:
            sheet.delete_rows(row)
    book.save(dest)


def test_import_reads_the_active_column(store: Store, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "login,roles,active\nleft,analyst,no\nhere,analyst,yes\nplain,analyst,\n"
        "odd,analyst,maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        _import(store, admin, path)
    assert [(e.row, e.field) for e in caught.value.report.errors] == [(5, "active")]
    path.write_text(
        "login,roles,active\nleft,analyst,no\nhere,analyst,yes\nplain,analyst,\n",
        encoding="utf-8",
    )
    assert _import(store, admin, path) == 3
    with store.read() as session:
        active = {u.login: u.active for u in security.list_users(session, admin)}
    assert active == {"boadmin": True, "left": False, "here": True, "plain": True}


def test_text_that_is_not_utf8_is_refused_before_it_is_stored(store: Store, admin: Actor) -> None:
    assert clean("  Mona\u0301 ") == "Moná"  # trimmed and composed (NFC)
    with pytest.raises(ValidationFailed, match=r"'Bob\\xff' is not UTF-8"):
        clean("Bob\udcff")
    with store.write() as session, pytest.raises(ValidationFailed, match="not UTF-8"):
        security.add_user(session, admin, login="bob", roles=["analyst"], full_name="Bob\udcff")
    assert _logins(store, admin) == {"boadmin"}
