"""Purchasing and selling: approval, receipts within tolerance, the three-way match and GRNI,
reorder, reservations, first-expiry-first-out, expired lots, invoicing what was delivered,
counts, and two clerks shipping the last units at once."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import BoError, PermissionDenied, RuleViolation
from bo_console.logistics import service
from tests.unit.logistics.conftest import (
    DAY,
    Team,
    add_item,
    balance,
    buy,
    checks_ok,
    sell,
    ship,
    stock_value,
)


def _order(store: Store, team: Team, sku: str, quantity: int, price: int) -> str:
    with store.write() as session:
        return service.create_order(
            session,
            team.clerk,
            service.PurchaseOrderCreate(
                supplier="S1",
                date=DAY,
                location="DMM/A-01",
                lines=[service.OrderLineCreate(item=sku, quantity=quantity, unit_price=price)],
            ),
        ).number


def _receive(store: Store, team: Team, order: str, quantity: int) -> str:
    with store.write() as session:
        return service.receive(
            session,
            team.clerk,
            service.ReceiptCreate(
                order=order, date=DAY, lines=[service.ReceiptLineCreate(line=1, quantity=quantity)]
            ),
        ).number


def test_approval_above_the_limit_needs_another_manager(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "BIG")
    small = _order(store, team, "BIG", 10, 1000)  # 100.00, under the 10,000.00 limit
    big = _order(store, team, "BIG", 1000, 1500)  # 15,000.00
    with store.write() as session:
        service.approve_order(session, team.clerk, small)
    with pytest.raises(PermissionDenied):
        with store.write() as session:
            service.approve_order(session, team.clerk, big)
    with store.write() as session:
        own = service.create_order(
            session,
            team.manager,
            service.PurchaseOrderCreate(
                supplier="S1",
                date=DAY,
                location="DMM/A-01",
                lines=[service.OrderLineCreate(item="BIG", quantity=1000, unit_price=1500)],
            ),
        ).number
    with pytest.raises(RuleViolation, match="someone other than"):
        with store.write() as session:
            service.approve_order(session, team.manager, own)
    with store.write() as session:
        service.approve_order(session, team.manager, big)
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="ck_lg_po_approver"):
        conn.execute("UPDATE lg_purchase_order SET approved_by = created_by WHERE total > 1000000")
    conn.close()


def test_receipt_needs_approval_and_stays_within_the_order(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "RCV")
    order = _order(store, team, "RCV", 100, 1000)
    with pytest.raises(RuleViolation, match="approved order"):
        _receive(store, team, order, 10)
    with store.write() as session:
        service.approve_order(session, team.clerk, order)
    _receive(store, team, order, 60)
    with pytest.raises(RuleViolation, match="at most 40 more"):
        _receive(store, team, order, 41)
    with store.read() as session:
        assert service.get_order(session, team.clerk, order).row.status == "partly_received"
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="ck_lg_po_line_received"):
        conn.execute("UPDATE lg_po_line SET received_qty = 101")
    conn.close()
    _receive(store, team, order, 40)
    with store.read() as session:
        assert service.get_order(session, team.clerk, order).row.status == "received"


def test_tolerance_allows_a_little_more(store: Store, team: Team) -> None:
    from bo_console.core import settings

    add_item(store, team.clerk, "TOL")
    with store.write() as session:
        settings.put(session, team.admin, "logistics.receipt_tolerance_pct", "5")
    order = _order(store, team, "TOL", 100, 1000)
    with store.write() as session:
        service.approve_order(session, team.clerk, order)
    _receive(store, team, order, 105)
    with pytest.raises(RuleViolation):
        _receive(store, team, order, 1)


def test_three_way_match_grni_and_price_variance(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "BIL")
    order = _order(store, team, "BIL", 100, 1000)
    with store.write() as session:
        service.approve_order(session, team.clerk, order)
    receipt = _receive(store, team, order, 60)
    assert balance(store, "2130") == -60_000
    with pytest.raises(RuleViolation, match="at most 60 more"):
        with store.write() as session:
            service.bill_receipt(
                session,
                team.accountant,
                receipt,
                on=DAY,
                reference="INV-778",
                lines=[service.BillLine(line=1, quantity=100, unit_price=1000)],
            )
    with pytest.raises(PermissionDenied):
        with store.write() as session:
            service.bill_receipt(
                session,
                team.clerk,
                receipt,
                on=DAY,
                reference="INV-778",
                lines=[service.BillLine(line=1, quantity=60, unit_price=1000)],
            )
    with store.write() as session:
        first = service.bill_receipt(
            session,
            team.accountant,
            receipt,
            on=DAY,
            reference="INV-778",
            lines=[service.BillLine(line=1, quantity=40, unit_price=1050)],
        )
    assert first.variance == 2000  # 40 x 0.50 dearer
    assert balance(store, "5110") == 2000
    assert balance(store, "2130") == -20_000  # 20 received and not billed at 10.00
    assert balance(store, "2110") == -(42_000 + 6_300)  # bill total with 15 % VAT
    assert checks_ok(store) == {}
    with store.write() as session:
        service.bill_receipt(
            session,
            team.accountant,
            receipt,
            on=DAY,
            reference="INV-779",
            lines=[service.BillLine(line=1, quantity=20, unit_price=990)],
        )
    assert balance(store, "2130") == 0 and balance(store, "5110") == 1800
    assert stock_value(store) == 60_000 == balance(store, "1310")
    assert checks_ok(store) == {}


def test_standard_cost_item_puts_the_difference_on_variance(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "STD", costing="standard", standard_cost=900)
    buy(store, team, "STD", 10, 1000)
    assert stock_value(store) == 9000 == balance(store, "1310")
    assert balance(store, "5110") == 1000 and balance(store, "2130") == -10_000
    assert checks_ok(store) == {}


def test_reorder_suggests_until_an_order_is_raised(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "RO", supplier="S1", reorder_point=50, reorder_qty=100)
    add_item(store, team.clerk, "NOSUP", reorder_point=5, reorder_qty=10)
    buy(store, team, "RO", 40, 100)
    with store.read() as session:
        assert [s.sku for s in service.reorder_suggestions(session, team.clerk)] == ["NOSUP", "RO"]
    with store.write() as session:
        numbers = service.reorder(session, team.clerk, on=DAY, location="DMM/A-01", notify=True)
    assert len(numbers) == 1
    with store.read() as session:
        assert [s.sku for s in service.reorder_suggestions(session, team.clerk)] == ["NOSUP"]
        view = service.get_order(session, team.clerk, numbers[0])
        assert view.lines[0].quantity == 100 and view.row.status == "draft"
        from bo_console.core import inbox

        items = inbox.list_items(session, team.clerk, dept="logistics")
        assert any("below reorder point" in i.subject for i in items)


def test_the_reorder_job_reports_progress_per_supplier_and_records_its_summary(
    store: Store, team: Team
) -> None:
    from bo_console.core import jobs
    from bo_console.core.errors import AlreadyDone
    from bo_console.finance.document_models import PartyCreate
    from bo_console.finance.parties import add_party

    with store.write() as session:
        add_party(
            session,
            team.admin,
            PartyCreate(code="S2", name="Riyadh Gloves", is_customer=False, is_supplier=True),
        )
    add_item(store, team.clerk, "RA", supplier="S1", reorder_point=50, reorder_qty=100)
    add_item(store, team.clerk, "RB", supplier="S2", reorder_point=50, reorder_qty=100)
    heard: list[tuple[int, int]] = []
    done = service.run_reorder(
        store, team.clerk, on=DAY, location="DMM/A-01", progress=lambda d, t: heard.append((d, t))
    )
    # One order per supplier, then the note: advancing counts that end at the total.
    assert heard == [(1, 3), (2, 3), (3, 3)]
    assert len(done.numbers) == 2 and done.summary == f"draft orders: {', '.join(done.numbers)}"
    with pytest.raises(AlreadyDone):
        service.run_reorder(store, team.clerk, on=DAY, location="DMM/A-01")
    heard.clear()
    again = service.run_reorder(
        store,
        team.clerk,
        on=DAY,
        location="DMM/A-01",
        force=True,
        progress=lambda d, t: heard.append((d, t)),
    )
    assert heard == [(1, 1)] and again.summary == "draft orders: none"
    with store.read() as session:
        runs = jobs.list_runs(session, team.admin, name="logistics.reorder")
    assert [(r.outcome, r.summary) for r in runs] == [
        ("ok", "draft orders: none"),
        ("skipped", runs[1].summary),
        ("ok", done.summary),
    ]


def test_confirmation_reserves_stock(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "RSV")
    buy(store, team, "RSV", 10, 100)
    sell(store, team, "RSV", 7)
    with pytest.raises(RuleViolation, match="3 available"):
        sell(store, team, "RSV", 4)


def test_fefo_and_expired_lots(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "SYR", lot_tracked=True)
    buy(store, team, "SYR", 5, 100, lot="OLD", expiry=date(2026, 11, 9))  # expired on DAY
    buy(store, team, "SYR", 5, 100, lot="LATE", expiry=date(2027, 6, 30))
    buy(store, team, "SYR", 5, 100, lot="SOON", expiry=date(2027, 1, 31))
    with store.read() as session:
        from bo_console.logistics.common import find_item

        item = find_item(session, "SYR")
        picks = service.suggest_picks(session, item, 1, 7, DAY)
    assert [(p.lot, p.quantity) for p in picks] == [("SOON", 5), ("LATE", 2)]
    order = sell(store, team, "SYR", 12)
    with pytest.raises(RuleViolation, match="expired"):
        ship(store, team.clerk, order, 1, lot="OLD")
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="expired lot"):
        conn.execute(
            "INSERT INTO lg_stock_move (item_id, location_id, lot_id, date, kind, quantity, "
            "value, source, source_ref, memo, created_at, created_by) "
            "SELECT item_id, 1, id, '2026-11-10', 'issue', -1, -100, 'delivery', 'X', '', "
            "'2026-11-10', 'x' FROM lg_lot WHERE lot_no = 'OLD'"
        )
    conn.close()
    ship(store, team.clerk, order, 7)
    with pytest.raises(RuleViolation, match="only 3 unexpired"):
        ship(store, team.clerk, order, 5)
    with store.read() as session:
        left = {r.lot: r.quantity for r in service.on_hand(session, team.clerk, "SYR")}
    assert left == {"OLD": 5, "LATE": 3}


def test_invoice_what_was_delivered_only(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "INV")
    buy(store, team, "INV", 10, 1000)
    order = sell(store, team, "INV", 10, price=2500)
    ship(store, team.clerk, order, 4)
    with pytest.raises(PermissionDenied):
        with store.write() as session:
            service.invoice_order(session, team.clerk, order, on=DAY)
    with store.write() as session:
        number = service.invoice_order(session, team.accountant, order, on=DAY)
    assert number.startswith("INV-")
    assert balance(store, "4100") == -10_000 and balance(store, "1210") == 11_500
    with pytest.raises(RuleViolation, match="nothing delivered"):
        with store.write() as session:
            service.invoice_order(session, team.accountant, order, on=DAY)
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="ck_lg_so_line_invoiced"):
        conn.execute("UPDATE lg_so_line SET invoiced_qty = 5")
    with pytest.raises(sqlite3.IntegrityError, match="ck_lg_so_line_delivered"):
        conn.execute("UPDATE lg_so_line SET delivered_qty = 11")
    conn.close()
    assert checks_ok(store) == {}


def test_count_posts_differences_and_needs_a_manager_above_the_limit(
    store: Store, team: Team
) -> None:
    add_item(store, team.clerk, "CNT")
    buy(store, team, "CNT", 100, 3000)
    with store.write() as session:
        number = service.open_count(session, team.clerk, location="DMM/A-01", on=DAY).number
        service.record_counts(
            session, team.clerk, number, [service.CountLineCreate(item="CNT", counted=95)]
        )
    with store.read() as session:
        diff = service.differences(session, team.clerk, number)
    assert [(d.system, d.counted, d.difference, d.value) for d in diff] == [(100, 95, -5, -15_000)]
    with store.write() as session:
        service.post_count(session, team.clerk, number)  # 150.00 is under the 1,000.00 limit
    assert balance(store, "5130") == 15_000 and stock_value(store) == 285_000
    with store.write() as session:
        big = service.open_count(session, team.clerk, location="DMM/A-01", on=DAY).number
        service.record_counts(
            session, team.clerk, big, [service.CountLineCreate(item="CNT", counted=0)]
        )
    with pytest.raises(PermissionDenied, match="approval limit"):
        with store.write() as session:
            service.post_count(session, team.clerk, big)
    with store.write() as session:
        service.post_count(session, team.manager, big)
    assert stock_value(store) == 0 == balance(store, "1310") and balance(store, "5130") == 300_000
    assert checks_ok(store) == {}


def test_two_clerks_ship_the_last_units_at_once(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "LAST")
    buy(store, team, "LAST", 20, 100)
    first, second = sell(store, team, "LAST", 10), sell(store, team, "LAST", 10)
    with store.write() as session:
        service.adjust(
            session,
            team.manager,
            location="DMM/A-01",
            on=DAY,
            reason="broken",
            lines=[service.AdjustmentLine(item="LAST", quantity=-10)],
        )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def clerk(order: str, actor_index: int) -> None:
        actor = (team.clerk, team.clerk2)[actor_index]
        barrier.wait()
        try:
            ship(store, actor, order, 10)
            outcomes.append("shipped")
        except BoError as exc:
            outcomes.append(f"refused: {exc.message}")

    threads = [threading.Thread(target=clerk, args=(o, i)) for i, o in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "refused: LAST: 0 on hand at DMM/A-01; cannot take 10"
    assert sorted(outcomes)[1] == "shipped"
    with store.read() as session:
        assert service.get_item(session, team.clerk, "LAST").on_hand == 0
    assert checks_ok(store) == {}
