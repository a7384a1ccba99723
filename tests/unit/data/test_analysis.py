"""Pivots, a month against last year, and workbooks of several sheets (pandas)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import UsageProblem
from bo_console.core.security import Actor
from bo_console.data import analysis, service
from tests.unit.finance.documents_helpers import add_parties, doc


@pytest.fixture
def analyst(store: Store, make_user: Callable[..., Actor]) -> Actor:
    clerk = make_user("omar", "finance-clerk")
    with store.write() as session:
        add_parties(session, clerk)
        for party, day, price in (
            ("C1", date(2025, 10, 3), 1000),
            ("C1", date(2026, 10, 5), 1500),
            ("B1", date(2026, 10, 6), 700),
            ("B1", date(2026, 11, 1), 300),
        ):
            doc(session, clerk, party=party, day=day, lines=[("Item", 1000, price, "Z")])
    return make_user("ana", "analyst")


PERIOD = {"from_month": "2025-01", "to_month": "2026-12"}


def test_a_saved_query_pivoted_by_two_columns(store: Store, analyst: Actor) -> None:
    with store.write() as session:
        result = service.pivot_query(
            session,
            analyst,
            "revenue-by-customer-month",
            PERIOD,
            rows="customer",
            columns="month",
            values="revenue",
        )
    assert result.columns == ["customer", "2025-10", "2026-10", "2026-11", "total"]
    assert result.rows == [("B1", 0, 700, 300, 1000), ("C1", 1000, 1500, 0, 2500)]
    with store.write() as session, pytest.raises(UsageProblem, match="no column 'nope'"):
        service.pivot_query(
            session,
            analyst,
            "revenue-by-customer-month",
            PERIOD,
            rows="nope",
            columns="month",
            values="revenue",
        )


def test_a_month_against_the_same_month_last_year(store: Store, analyst: Actor) -> None:
    with store.write() as session:
        result = service.month_against_last_year(
            session, analyst, "revenue-by-customer-month", "2026-10"
        )
        heads = service.month_against_last_year(session, analyst, "headcount-movement", "2026-10")
        with pytest.raises(UsageProblem, match="does not take months"):
            service.month_against_last_year(session, analyst, "stock-turnover", "2026-10")
    assert result.columns[:2] == ["customer", "name"]
    rows = {r[0]: r for r in result.rows}
    revenue = result.columns.index("revenue")
    assert rows["C1"][revenue : revenue + 3] == (1500, 1000, 500)
    assert rows["B1"][revenue : revenue + 3] == (700, 0, 700)
    assert heads.columns[:4] == ["month", "hires", "hires_last_year", "hires_change"]
    assert heads.rows[0][0] == "2026-10"


def test_a_workbook_has_one_sheet_per_part_and_the_same_bytes_twice(
    store: Store, analyst: Actor, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    with store.write() as session:
        result = service.run_query(session, analyst, "revenue-by-customer-month", PERIOD)
    pivoted = analysis.pivot(result, "customer", "month", "revenue")
    evil = service.ResultSet(columns=["a"], rows=[("=HYPERLINK(1)",)])
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    analysis.write_workbook([("result", result), ("pivot", pivoted), ("x", evil)], first)
    time.sleep(1.1)  # a time stamped on saving would differ now
    analysis.write_workbook([("result", result), ("pivot", pivoted), ("x", evil)], second)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]
    book = load_workbook(first)
    assert book.sheetnames == ["result", "pivot", "x"]
    assert [c.value for c in book["pivot"][1]] == pivoted.columns
    assert book["x"]["A2"].value == "'=HYPERLINK(1)"
    assert oct(first.stat().st_mode & 0o777) == "0o600"
