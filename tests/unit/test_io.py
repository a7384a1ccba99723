"""The shared import/export module, proved on users: encodings, reports, neutralisation."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from bo_console.core import io, security, user_io
from bo_console.core.db import Store
from bo_console.core.errors import ValidationFailed
from bo_console.core.io import ImportRejected
from bo_console.core.security import Actor

HEADER = "login,full_name,roles\n"


def _logins(store: Store, admin: Actor) -> set[str]:
    with store.read() as session:
        return {u.login for u in security.list_users(session, admin)}


def _import(store: Store, admin: Actor, path: Path, dry_run: bool = False) -> int:
    with store.write() as session:
        return user_io.import_users(session, admin, path, dry_run=dry_run)


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
    if encoding == "cp1256":
        assert error.row == 3


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
        assert user_io.import_users(session, admin, path, dry_run=True) == 1
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
