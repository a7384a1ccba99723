"""``bo data dashboard``, ``bo logistics items show``, ``logistics serials list`` and ``bo front
status`` read through a plain ``sqlite3`` Reader: neither SQLAlchemy nor SQLModel is loaded,
and no module of the program imports pydantic. Each answers the same through a Reader as
through a session (the console's tabs hold one), on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.security import ROLES, Actor, Identity
from tests.cli.conftest import Bo
from tests.cli.guard import guarded_runs
from tests.unit.logistics.conftest import DAY, Team, add_item, buy, sell, ship, team

__all__ = ["team"]  # the logistics team fixture, for the test on both stores

REFUSED = [
    ("logistics", "items", "show", "NO-SUCH-SKU"),
    ("front", "status", "SO-2026-99999"),
]


def _demo_refs(path: Path) -> dict[str, str]:
    """An item, a serial-tracked item and a shipped sales order of the demo (whatever the
    demo's generator named them)."""
    conn = sqlite3.connect(path)
    try:
        sku = conn.execute("SELECT sku FROM lg_item WHERE active ORDER BY sku LIMIT 1").fetchone()
        serial = conn.execute(
            "SELECT i.sku FROM lg_serial s JOIN lg_item i ON i.id = s.item_id ORDER BY i.sku"
        ).fetchone()
        order = conn.execute(
            "SELECT o.number FROM lg_sales_order o JOIN lg_delivery d ON d.order_id = o.id "
            "WHERE d.invoice IS NOT NULL ORDER BY o.number LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return {"sku": sku[0], "serial": serial[0], "order": order[0]}


def _commands(refs: dict[str, str]) -> list[tuple[str, ...]]:
    return [
        ("data", "dashboard"),
        ("data", "dashboard", "--as-of", "2026-03-31", "-f", "json"),
        ("data", "dashboard", "-f", "csv"),
        ("logistics", "items", "show", refs["sku"]),
        ("logistics", "items", "show", refs["sku"], "-f", "json"),
        ("logistics", "serials", "list", refs["serial"]),
        ("front", "status", refs["order"]),
        ("front", "status", refs["order"].lower(), "-f", "json"),
    ]


def test_the_commands_read_without_sqlalchemy_or_pydantic(
    demo_db: Path, _demo_template: tuple[Path, Identity]
) -> None:
    login = _demo_template[1].os_user
    url = f"sqlite:///{demo_db}"
    refs = _demo_refs(demo_db)
    commands = _commands(refs)
    results = guarded_runs(url, commands + REFUSED, login)
    for args, result in zip(commands, results[: len(commands)], strict=True):
        assert (result.code, result.found) == ("0", "[]"), (args, result)
        assert result.stdout, args
    for args, result in zip(REFUSED, results[len(commands) :], strict=True):
        assert (result.code, result.found) == ("1", "[]"), (args, result)


def _as(actor: Actor, role: str) -> Actor:
    """``actor`` holding only the permissions of the built-in ``role``."""
    return dataclasses.replace(actor, roles=(role,), permissions=ROLES[role].permissions)


def test_a_reader_and_a_session_give_the_same_answers(demo: Store, demo_admin: Actor) -> None:
    from bo_console.core.lookups import base_currency_of
    from bo_console.data.dashboard import dashboard
    from bo_console.front_office.status import order_status
    from bo_console.logistics import item_list
    from bo_console.logistics import service as logistics

    assert demo.path is not None
    refs = _demo_refs(demo.path)
    with demo.read() as session, demo.reading() as reader:
        currency = base_currency_of(reader)
        for actor in (demo_admin, _as(demo_admin, "analyst"), _as(demo_admin, "data-clerk")):
            assert dashboard(reader, actor) == dashboard(session, actor)
            assert dashboard(reader, actor, DAY) == dashboard(session, actor, DAY)
        orm = logistics.get_item(session, demo_admin, refs["sku"])
        read = item_list.get_item(reader, demo_admin, refs["sku"])
        assert item_list.item_record(read, currency) == item_list.item_record(orm, currency)
        assert order_status(reader, demo_admin, refs["order"]) == order_status(
            session, demo_admin, refs["order"]
        )


@pytest.mark.both_stores
def test_the_same_commands_run_on_both_stores(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    """The SQL text is the same on PostgreSQL, where the Reader wraps a session."""
    from bo_console.logistics import service

    add_item(store, team.manager, "GLV-M", sale_price=2500)
    buy(store, team, "GLV-M", 20, 1000)
    order = sell(store, team, "GLV-M", 5)
    ship(store, team.clerk, order, 3)
    with store.write() as session:
        invoice = service.invoice_order(session, team.accountant, order, on=DAY)
    for due in ("2026-11-01", "2026-11-09", DAY.isoformat()):  # the last one is due that day
        assert bo("inbox", "add", "-s", f"Due {due}", "--to", "it", "--due", due)[0] == 0
    code, out, err = bo("data", "dashboard", "--as-of", DAY.isoformat())
    assert code == 0, err
    assert "Inbox items overdue: it 2\n" in out
    # Revenue and cost of the three delivered, the invoice open, the stock left.
    assert "\n2026-11      60.00 " in out and "    30.00 " in out
    assert "Receivable       69.00      0.00" in out
    assert "Stock: 170.00, 0 items below reorder" in out
    code, out, err = bo("logistics", "items", "show", "glv-m")
    assert code == 0, err
    assert "on_hand          17" in out and "stock            DMM/A-01: 17" in out
    code, out, err = bo("front", "status", order)
    assert code == 0, err
    assert out.startswith(f"{order}  invoiced\ncustomer  C1 Al Safa Hospital\n")
    assert f"invoice {invoice} posted" in out
    for args in REFUSED:
        code, _, err = bo(*args)
        assert code == 1 and err.startswith("bo: not found"), (args, err)
