"""Stock-takes: scanning tags against the register, what is missing and what turns up
elsewhere, closing, and the database refusing a scan into a closed stock-take."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation
from bo_console.it import service
from tests.unit.it.conftest import IT
from tests.unit.it.factories import asset


def _register(it: IT) -> None:
    asset(it, "LT-0001", "SN1", location="HQ 2")
    asset(it, "LT-0002", "SN2", location="HQ 2")
    asset(it, "LT-0003", "SN3", location="HQ 2")
    asset(it, "LT-0004", "SN4", location="Warehouse")
    asset(it, "LT-0005", "SN5", location="HQ 2")
    with it.store.write() as session:
        service.dispose(session, it.manager, "LT-0005", on=date(2026, 11, 1), method="scrapped")


def test_a_stock_take_finds_missing_and_misplaced_assets(it: IT) -> None:
    _register(it)
    with it.store.write() as session:
        take = service.start_stocktake(session, it.clerk, "hq 2")
        assert (take.expected, take.found) == (3, 0)
        assert service.start_stocktake(session, it.clerk, "HQ 2").id == take.id  # carries on
        results = [
            service.scan_asset(session, it.clerk, take.ref, tag)
            for tag in ("lt-0001", "LT-0001 ", "LT-0004", "LT-0005", "LT-0002")
        ]
        with pytest.raises(NotFound, match="no asset with tag"):
            service.scan_asset(session, it.clerk, take.ref, "LT-9999")
    assert [r.outcome for r in results] == ["found", "again", "elsewhere", "disposed", "found"]
    assert "the register has it at Warehouse" in results[2].message
    with it.store.write() as session:
        closed = service.close_stocktake(session, it.clerk, take.id)
        with pytest.raises(RuleViolation, match="closed"):
            service.scan_asset(session, it.clerk, take.ref, "LT-0003")
        with pytest.raises(RuleViolation, match="already closed"):
            service.close_stocktake(session, it.clerk, take.ref)
    assert (closed.status, closed.expected, closed.found) == ("closed", 3, 2)
    assert [line.tag for line in closed.missing] == ["LT-0003"]
    assert [(s.tag, s.result) for s in closed.surprises] == [
        ("LT-0005", "disposed"),
        ("LT-0004", "elsewhere"),
    ]
    with it.store.read() as session:
        listed = service.list_stocktakes(session, it.auditor)
        asset_row = service.get_asset(session, it.clerk, "LT-0003").row
    assert [(t.ref, t.expected, t.found) for t in listed] == [(take.ref, 3, 2)]
    assert asset_row.status == "in_stock"  # a stock-take changes no asset


def test_every_location_and_permissions(it: IT) -> None:
    _register(it)
    with it.store.write() as session:
        with pytest.raises(PermissionDenied):
            service.start_stocktake(session, it.requester)
        take = service.start_stocktake(session, it.clerk)
        service.scan_asset(session, it.clerk, take.id, "LT-0004")
        with pytest.raises(PermissionDenied):
            service.scan_asset(session, it.auditor, take.id, "LT-0001")
    with it.store.read() as session:
        view = service.get_stocktake(session, it.auditor, take.ref)
    assert (view.expected, view.found) == (4, 1)
    assert [line.result for line in view.lines if line.tag == "LT-0004"] == ["found"]


def test_the_database_refuses_a_scan_into_a_closed_stock_take(it: IT) -> None:
    _register(it)
    with it.store.write() as session:
        take = service.start_stocktake(session, it.clerk, "HQ 2")
        service.close_stocktake(session, it.clerk, take.id)
    assert it.store.path is not None
    conn = sqlite3.connect(it.store.path)
    with pytest.raises(sqlite3.IntegrityError, match="stock-take is closed"):
        conn.execute(
            "INSERT INTO it_stocktake_scan (stocktake_id, asset_id, scanned_at, scanned_by) "
            "VALUES (?, 1, '2026-12-01 00:00:00', 'x')",
            (take.id,),
        )
    conn.close()
