"""Transfers between warehouses through goods in transit: out of the bin at dispatch, into a
bin of the destination on arrival (in parts too), the value unchanged throughout."""

from __future__ import annotations

from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.logistics import service
from tests.unit.logistics.conftest import Team, add_item, balance, buy, checks_ok, stock_value


def _riyadh(store: Store, team: Team) -> None:
    with store.write() as session:
        service.add_warehouse(session, team.manager, "RUH", "Riyadh DC")
        service.add_location(session, team.manager, "RUH", "B-01")


def _at(store: Store, team: Team, sku: str) -> dict[str, int]:
    with store.read() as session:
        return {b.location: b.quantity for b in service.on_hand(session, team.clerk, sku)}


def test_goods_travel_through_transit_and_arrive_in_parts(store: Store, team: Team) -> None:
    _riyadh(store, team)
    add_item(store, team.clerk, "GLV")
    buy(store, team, "GLV", 10, 300)
    before = stock_value(store)
    with store.write() as session:
        number = service.dispatch(
            session,
            team.clerk,
            item="GLV",
            quantity=6,
            source="DMM/A-01",
            warehouse="ruh",
            on=date(2026, 11, 11),
        )
    assert _at(store, team, "GLV") == {"DMM/A-01": 4, "TRANSIT/RUH": 6}
    # On the road, its value sits in goods in transit, not in inventory.
    assert (balance(store, "1320"), balance(store, "1310")) == (1800, before - 1800)
    assert checks_ok(store) == {}
    with store.read() as session:
        road = service.in_transit(session, team.clerk)
    assert [(r.number, r.sku, r.quantity, r.value, r.destination) for r in road] == [
        (number, "GLV", 6, 1800, "RUH")
    ]
    with store.write() as session:
        with pytest.raises(ValidationFailed, match="goes to RUH"):
            service.arrive(
                session, team.clerk, number=number, target="DMM/A-02", on=date(2026, 11, 12)
            )
        with pytest.raises(RuleViolation, match="6 in transit"):
            service.arrive(
                session,
                team.clerk,
                number=number,
                target="RUH/B-01",
                on=date(2026, 11, 12),
                quantity=7,
            )
        part = service.arrive(
            session, team.clerk, number=number, target="RUH/B-01", on=date(2026, 11, 12), quantity=2
        )
    assert (part.quantity, part.value) == (2, 600)
    assert (balance(store, "1320"), balance(store, "1310")) == (1200, before - 1200)
    assert _at(store, team, "GLV") == {"DMM/A-01": 4, "RUH/B-01": 2, "TRANSIT/RUH": 4}
    with store.write() as session:
        rest = service.arrive(
            session, team.clerk, number=number, target="RUH/B-01", on=date(2026, 11, 13)
        )
        with pytest.raises(NotFound, match="in transit"):
            service.arrive(
                session, team.clerk, number=number, target="RUH/B-01", on=date(2026, 11, 13)
            )
        assert service.in_transit(session, team.clerk) == []
    assert rest.quantity == 4
    assert _at(store, team, "GLV") == {"DMM/A-01": 4, "RUH/B-01": 6}
    assert stock_value(store) == before and checks_ok(store) == {}
    assert (balance(store, "1320"), balance(store, "1310")) == (0, before)


def test_dispatch_refusals(store: Store, team: Team) -> None:
    _riyadh(store, team)
    add_item(store, team.clerk, "GLV")
    buy(store, team, "GLV", 3, 300)
    args = {"item": "GLV", "source": "DMM/A-01", "on": date(2026, 11, 11)}
    with store.write() as session:
        with pytest.raises(RuleViolation, match="3 on hand"):
            service.dispatch(session, team.clerk, quantity=4, warehouse="RUH", **args)  # type: ignore[arg-type]
        with pytest.raises(ValidationFailed, match="within one warehouse"):
            service.dispatch(session, team.clerk, quantity=1, warehouse="DMM", **args)  # type: ignore[arg-type]
        with pytest.raises(NotFound, match="no warehouse"):
            service.dispatch(session, team.clerk, quantity=1, warehouse="JED", **args)  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied):
            service.dispatch(session, team.accountant, quantity=1, warehouse="RUH", **args)  # type: ignore[arg-type]
    assert _at(store, team, "GLV") == {"DMM/A-01": 3}
