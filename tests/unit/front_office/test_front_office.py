"""The front office: customers registered pending and approved by finance, quotations that
become orders, order status without finance's insides, requests to the back office, and
what the front-office role may not see."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation
from bo_console.core.security import Actor
from bo_console.finance import service as finance
from bo_console.front_office import service as front
from bo_console.front_office.models import (
    CustomerRequest,
    GateDelivery,
    QuotationCreate,
    TicketRequest,
    parse_lines,
)
from bo_console.logistics import service as logistics
from tests.unit.logistics.conftest import DAY, Team, add_item, buy, ship, team

__all__ = ["team"]  # the fixture

VAT = "300000000000003"
CR = "1010123456"


@pytest.fixture
def desk(make_user: Callable[..., Actor]) -> Actor:
    return make_user("noura", "front-office")


def _register(store: Store, desk: Actor, vat: str = VAT, cr: str = CR) -> tuple[str, int]:
    with store.write() as session:
        view, item_id = front.register_customer(
            session,
            desk,
            front.CustomerRegistration(name="Al Noor Clinic", cr_number=cr, tax_number=vat),
        )
        return view.code, item_id


def _quote(store: Store, desk: Actor, customer: str, lines: str = "GLV-M:4") -> str:
    with store.write() as session:
        status = front.enter_quotation(
            session,
            desk,
            QuotationCreate(customer=customer, date=DAY, lines=parse_lines(lines)),
        )
        assert status.stage == "quotation"
        return status.number


def test_registration_validates_cr_and_vat(store: Store, desk: Actor) -> None:
    from pydantic import ValidationError

    for cr, vat, wrong in (
        ("1010123456", "300000000000004", "VAT number"),
        ("101012345", VAT, "commercial registration"),
        ("9010123456", VAT, "commercial registration"),
    ):
        with pytest.raises(ValidationError, match=wrong):
            front.CustomerRegistration(name="X", cr_number=cr, tax_number=vat)
    code, _ = _register(store, desk)
    with pytest.raises(RuleViolation, match="already has this VAT number"):
        _register(store, desk, cr="1010999999")


def test_finance_approves_a_pending_customer_then_it_can_be_sold_to(
    store: Store, team: Team, desk: Actor, make_user: Callable[..., Actor]
) -> None:
    add_item(store, team.manager, "GLV-M")
    code, item_id = _register(store, desk)
    with pytest.raises(RuleViolation, match="pending approval by finance"):
        _quote(store, desk, code)
    with store.read() as session:
        item = inbox.get_item(session, team.accountant, item_id)
        assert (item.kind, item.to_dept, item.status) == ("customer-approval", "finance", "open")
        pending = finance.pending_customers(session, team.accountant)
        assert [p.code for p in pending] == [code]
    with store.reading() as reader:
        assert finance.pending_customers(reader, team.accountant) == pending
    # Whoever registered it cannot approve it, not even holding finance.post.
    both = make_user("sami", "front-office", "finance-clerk")
    sami_code, _ = _register(store, both, vat="311111111111113", cr="4030123456")
    with store.write() as session, pytest.raises(RuleViolation, match="registered by you"):
        finance.approve_customer(session, both, sami_code)
    with store.write() as session, pytest.raises(PermissionDenied):
        finance.approve_customer(session, desk, code)
    with store.write() as session:
        view = finance.approve_customer(session, team.accountant, code, "CR and VAT checked")
        assert (view.status, view.approved_by) == ("approved", "fclerk")
    with store.read() as session:
        item = inbox.get_item(session, team.accountant, item_id)
        assert (item.status, item.closed_at is not None) == ("approved", True)
    assert _quote(store, desk, code).startswith("SO-")


def test_the_database_refuses_self_approval(store: Store, desk: Actor) -> None:
    code, _ = _register(store, desk)
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="someone other than who registered"):
        conn.execute(
            "UPDATE fin_party SET status = 'approved', approved_by = 'noura' WHERE code = ?",
            (code,),
        )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE fin_party SET status = 'maybe' WHERE code = ?", (code,))
    conn.close()


def test_rejected_customer_is_closed_with_its_item(store: Store, team: Team, desk: Actor) -> None:
    code, item_id = _register(store, desk)
    with store.write() as session:
        finance.reject_customer(session, team.accountant, code, "CR expired")
        with pytest.raises(RuleViolation, match="rejected, not pending"):
            finance.approve_customer(session, team.accountant, code)
    with store.read() as session:
        assert inbox.get_item(session, team.accountant, item_id).status == "rejected"


def test_quotation_to_paid_as_the_front_office_sees_it(
    store: Store, team: Team, desk: Actor
) -> None:
    add_item(store, team.manager, "GLV-M", sale_price=2500)
    buy(store, team, "GLV-M", 50, 1000)
    number = _quote(store, desk, "C1", "GLV-M:4, GLV-M:2:30.00")
    with store.write() as session:
        assert front.convert_quotation(session, desk, number).stage == "reserved"
        with pytest.raises(RuleViolation, match="not a draft"):
            front.convert_quotation(session, desk, number)
    ship(store, team.clerk, number, 4)
    with store.read() as session:
        status = front.order_status(session, desk, number)
    assert status.stage == "shipped"
    assert [(x.ordered, x.shipped, x.unit_price) for x in status.lines] == [
        (4, 4, 2500),
        (2, 0, 3000),
    ]
    with store.write() as session:
        invoice = logistics.invoice_order(session, team.accountant, number, on=DAY)
    with store.read() as session:
        status = front.order_status(session, desk, number)
    assert (status.stage, status.invoices) == ("invoiced", {invoice: "posted"})
    from bo_console.finance import payments

    with store.write() as session:
        payments.enter_payment(
            session,
            team.accountant,
            payments.PaymentCreate(
                direction="received", party="C1", date=DAY, amount=11_500, apply=((invoice, None),)
            ),
        )
    with store.read() as session:
        assert front.order_status(session, desk, number).stage == "paid"


def test_front_office_sees_status_but_no_ledger_salary_or_cost(
    store: Store, team: Team, desk: Actor
) -> None:
    from bo_console.hr.service.people import queries

    add_item(store, team.manager, "GLV-M")
    with store.read() as session:
        with pytest.raises(PermissionDenied):
            finance.list_entries(session, desk, finance.EntryFilter())
        with pytest.raises(PermissionDenied):
            finance.trial_balance(session, desk, as_of=date(2026, 11, 30))
        with pytest.raises(PermissionDenied):
            logistics.get_item(session, desk, "GLV-M")
        with pytest.raises(PermissionDenied):
            logistics.list_sales_orders(session, desk)
        with pytest.raises(PermissionDenied):
            queries.list_employees(session, desk, reveal=True)
        with pytest.raises(PermissionDenied):
            queries.get_employee(session, desk, "E00001")
        with pytest.raises(PermissionDenied):
            inbox.list_items(session, desk, dept="finance")


def test_requests_to_the_back_office_and_my_requests(store: Store, team: Team, desk: Actor) -> None:
    add_item(store, team.manager, "GLV-M")
    order, _ = buy(store, team, "GLV-M", 5, 1000)
    with store.write() as session:
        # An order that has been received in full expects nothing more at the gate.
        with pytest.raises(RuleViolation, match="nothing is expected"):
            front.record_gate_delivery(session, desk, GateDelivery(order=order))
        with pytest.raises(NotFound):
            front.request_invoice_copy(
                session, desk, CustomerRequest(customer="C1", document="INV-2026-9999")
            )
        statement = front.request_statement(session, desk, CustomerRequest(customer="C1"))
        ticket = front.raise_ticket(session, desk, TicketRequest(subject="Card reader is dead"))
    with store.read() as session:
        mine = front.my_requests(session, desk)
        assert [(i.kind, i.to_dept, i.status) for i in mine] == [
            ("customer-statement", "finance", "open")
        ]
        assert [(x.entity, x.ref) for x in inbox.links(session, desk, statement.id or 0)] == [
            ("party", "C1")
        ]
    assert ticket.row.subject == "Card reader is dead"


def test_gate_delivery_is_closed_by_the_receipt(store: Store, team: Team, desk: Actor) -> None:
    add_item(store, team.manager, "GLV-M")
    with store.write() as session:
        order = logistics.create_order(
            session,
            team.clerk,
            logistics.PurchaseOrderCreate(
                supplier="S1",
                date=DAY,
                location="DMM/A-01",
                lines=[logistics.OrderLineCreate(item="GLV-M", quantity=5, unit_price=1000)],
            ),
        )
        logistics.approve_order(session, team.manager, order.number)
        item = front.record_gate_delivery(
            session, desk, GateDelivery(order=order.number.lower(), delivery_note="DN-77")
        )
    assert item.to_dept == "logistics" and "DN-77" in item.body
    with store.write() as session:
        logistics.receive(
            session,
            team.clerk,
            logistics.ReceiptCreate(
                order=order.number,
                date=DAY,
                lines=[logistics.ReceiptLineCreate(line=1, quantity=5)],
            ),
        )
    with store.read() as session:
        done = inbox.get_item(session, desk, item.id or 0)
        notes = [c.text for c in inbox.comments(session, desk, item.id or 0)]
    assert done.status == "done" and notes[0].startswith("Received as GRN-")


def test_intake_is_all_or_nothing_and_once_per_reference(
    store: Store, team: Team, desk: Actor, tmp_path: Path
) -> None:
    from bo_console.core.io import ImportRejected
    from bo_console.front_office import intake

    add_item(store, team.manager, "GLV-M")
    buy(store, team, "GLV-M", 5, 1000)
    path = tmp_path / "orders.json"
    path.write_text(
        '[{"reference": "P-1", "customer": "C1", "date": "2026-11-10",'
        ' "lines": [{"sku": "GLV-M", "quantity": 4}]},'
        ' {"reference": "P-2", "customer": "C1", "date": "2026-11-10",'
        ' "lines": [{"sku": "GLV-M", "quantity": 4}]}]'
    )
    # Together the two orders want more than is in stock: neither is taken in.
    with pytest.raises(ImportRejected) as refused, store.write() as session:
        intake.intake_orders(session, desk, path)
    assert [str(e) for e in refused.value.errors] == [
        "row 2, order: P-2: GLV-M: 1 available (5 on hand, 4 reserved); the order needs 4"
    ]
    with store.read() as session:
        assert logistics.orders_by_reference(session, desk, ["P-1", "P-2"]) == {}
    path.write_text(path.read_text().replace('"quantity": 4}]}]', '"quantity": 1}]}]'))
    with store.write() as session:
        first = intake.intake_orders(session, desk, path)
    with store.write() as session:
        second = intake.intake_orders(session, desk, path)
    assert sorted(first.created) == ["P-1", "P-2"] and first.already == {}
    assert second.created == {} and second.already == first.created
    # The database itself refuses a second order with the same sender's reference.
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE lg_sales_order SET external_ref = 'P-1' WHERE external_ref = 'P-2'")
    conn.close()


def test_the_drop_folder_job_reports_a_step_per_file_and_records_its_summary(
    store: Store, team: Team, desk: Actor, tmp_path: Path
) -> None:
    from bo_console.core import jobs
    from bo_console.front_office import intake

    add_item(store, team.manager, "GLV-M")
    buy(store, team, "GLV-M", 5, 1000)
    for n in (1, 2):
        (tmp_path / f"o{n}.json").write_text(
            f'[{{"reference": "D-{n}", "customer": "C1", "date": "2026-11-10",'
            ' "lines": [{"sku": "GLV-M", "quantity": 1}]}]'
        )
    (tmp_path / "o3.csv").write_text("reference\nD-3\n")  # refused: columns missing
    heard: list[tuple[int, int]] = []
    outcomes = intake.take_drop_folder(
        store, desk, tmp_path, progress=lambda d, t: heard.append((d, t))
    )
    assert heard == [(1, 3), (2, 3), (3, 3)]
    assert [o.result is not None for o in outcomes] == [True, True, False]
    heard.clear()
    (tmp_path / "o3.csv.errors.txt").touch()  # newer than the file: not taken again
    assert (
        intake.take_drop_folder(store, desk, tmp_path, progress=lambda d, t: heard.append((d, t)))
        == []
    )
    assert heard == [(1, 1)]
    with store.read() as session:
        runs = jobs.list_runs(session, team.admin, name="intake.orders")
    assert [r.summary for r in runs] == [
        "no files waiting",
        "3 files: 2 taken in, 2 orders created, 1 failed",
    ]


def test_only_a_quotation_can_be_converted_at_the_desk(desk: Actor) -> None:
    status = logistics.OrderStatus(
        number="SO-2026-00001",
        customer="C001",
        customer_name="Najd",
        date=DAY,
        requested=None,
        stage="quotation",
        total=100,
        lines=(),
        shipments=(),
        invoices={},
    )
    assert front.order_actions(desk, status) == {"convert"}
    reader = replace(desk, permissions=frozenset({"front.read"}))
    assert front.order_actions(reader, status) == set()
    assert front.order_actions(desk, replace(status, stage="reserved")) == set()
