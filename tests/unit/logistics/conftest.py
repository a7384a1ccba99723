"""Logistics fixtures: a supplier and a customer, a warehouse with two bins, the staff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance.document_models import PartyCreate
from bo_console.finance.parties import add_party
from bo_console.logistics import service
from tests.conftest import SeedOnce

DAY = date(2026, 11, 10)


@dataclass(frozen=True)
class Team:
    clerk: Actor
    clerk2: Actor
    manager: Actor
    accountant: Actor
    admin: Actor


@pytest.fixture
def team(store: Store, admin: Actor, make_user: Callable[..., Actor], seed_once: SeedOnce) -> Team:
    def seed() -> Team:
        clerk = make_user("lclerk", "logistics-clerk")
        clerk2 = make_user("lclerk2", "logistics-clerk")
        manager = make_user("lmanager", "logistics-manager")
        accountant = make_user("fclerk", "finance-clerk")
        with store.write() as session:
            supplier = PartyCreate(
                code="S1", name="Gulf Medical Supply", is_customer=False, is_supplier=True
            )
            add_party(session, admin, supplier)
            add_party(session, admin, PartyCreate(code="C1", name="Al Safa Hospital"))
            service.add_warehouse(session, manager, "DMM", "Dammam DC", "مستودع الدمام")
            service.add_location(session, manager, "DMM", "A-01")
            service.add_location(session, manager, "DMM", "A-02")
        return Team(clerk, clerk2, manager, accountant, admin)

    return seed_once("unit/logistics:team", seed)


def add_item(store: Store, actor: Actor, sku: str, **fields: object) -> None:
    with store.write() as session:
        service.add_item(session, actor, service.ItemCreate(sku=sku, name=f"Item {sku}", **fields))  # type: ignore[arg-type]


def buy(
    store: Store,
    team: Team,
    sku: str,
    quantity: int,
    price: int,
    *,
    on: date = DAY,
    lot: str | None = None,
    expiry: date | None = None,
    location: str = "DMM/A-01",
) -> tuple[str, str]:
    """Order, approve and receive; returns (order number, receipt number)."""
    with store.write() as session:
        order = service.create_order(
            session,
            team.clerk,
            service.PurchaseOrderCreate(
                supplier="S1",
                date=on,
                location=location,
                lines=[service.OrderLineCreate(item=sku, quantity=quantity, unit_price=price)],
            ),
        )
        service.approve_order(session, team.manager, order.number)
        receipt = service.receive(
            session,
            team.clerk,
            service.ReceiptCreate(
                order=order.number,
                date=on,
                lines=[
                    service.ReceiptLineCreate(line=1, quantity=quantity, lot=lot, expiry=expiry)
                ],
            ),
        )
        return order.number, receipt.number


def sell(
    store: Store, team: Team, sku: str, quantity: int, price: int = 2000, *, on: date = DAY
) -> str:
    """A confirmed sales order for C1; returns its number."""
    with store.write() as session:
        order = service.create_sales_order(
            session,
            team.clerk,
            service.SalesOrderCreate(
                customer="C1",
                date=on,
                lines=[service.OrderLineCreate(item=sku, quantity=quantity, unit_price=price)],
            ),
        )
        service.confirm_sales_order(session, team.clerk, order.number)
        return order.number


def ship(
    store: Store, actor: Actor, order: str, quantity: int, *, on: date = DAY, lot: str | None = None
) -> str:
    with store.write() as session:
        return service.deliver(
            session,
            actor,
            service.DeliveryCreate(
                order=order,
                date=on,
                location="DMM/A-01",
                lines=[service.DeliveryLineCreate(line=1, quantity=quantity, lot=lot)],
            ),
        ).number


def balance(store: Store, code: str) -> int:
    """Debit less credit posted on an account."""
    from bo_console.logistics.common import ledger_balance

    with store.read() as session:
        return ledger_balance(session, code)


def stock_value(store: Store) -> int:
    with store.read() as session:
        return service.stock_value(session)


def checks_ok(store: Store) -> dict[str, str]:
    """Failing logistics checks of ``bo db check`` (name -> detail); empty when all pass."""
    from bo_console.logistics.setup import checks

    with store.read() as session:
        return {r.name: r.detail for r in checks(session) if not r.ok}
