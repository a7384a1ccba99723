"""What logistics registers with the core: the accounts it posts to (``bo init``) and the
proofs ``bo db check`` runs (stock ledger = inventory account, goods in transit and GRNI = their
accounts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


def _init_actor(session: Session) -> Actor:
    """Who adds the accounts while ``bo init`` creates the database (before any user exists):
    the OS account running it, with only the permission this needs."""
    from bo_console.core.security import Actor, os_identity

    identity = os_identity()
    return Actor(
        user_id=0,
        login="bo-init",
        full_name="bo init",
        os_user=identity.os_user,
        origin=identity.origin,
        roles=(),
        permissions=frozenset({"finance.manage"}),
    )


def seed(session: Session) -> None:
    """Add the accounts logistics posts to that the chart lacks, through finance's service."""
    from bo_console.finance import service as finance
    from bo_console.finance.service import AccountCreate
    from bo_console.logistics.common import ACCOUNTS, account

    chart = finance.load_chart(session)
    actor: Actor | None = None
    for role, (_default, name, name_ar, parent) in ACCOUNTS.items():
        code = account(session, role)
        if chart.find(code) is not None:
            continue
        group = chart.find(parent)
        kind = group.type if group is not None else ("liability" if code < "3" else "expense")
        actor = actor or _init_actor(session)
        finance.add_account(
            session,
            actor,
            AccountCreate(code=code, name=name, name_ar=name_ar, type=kind),
            parent=parent if group is not None else None,
        )


def _sum(db: Reads, sql: str, **args: Any) -> int:
    from bo_console.core.reading import reader_of

    return int(reader_of(db).scalar(sql, args) or 0)


def checks(db: Reads) -> list[CheckResult]:
    """The stock sub-ledger against the books, and the ledger against its own running totals."""
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import reader_of
    from bo_console.logistics.common import account, ledger_balance
    from bo_console.logistics.place_lists import TRANSIT

    reader = reader_of(db)

    def result(name: str, rows: Sequence[Any], what: str) -> CheckResult:
        if not rows:
            return CheckResult(name, True, "ok")
        return CheckResult(name, False, f"{what}: {', '.join(str(tuple(r)) for r in rows)}")

    moves_value = _sum(db, "SELECT COALESCE(SUM(value), 0) FROM lg_stock_move")
    on_the_road = _sum(
        db,
        """SELECT COALESCE(SUM(m.value), 0) FROM lg_stock_move m
           JOIN lg_location l ON l.id = m.location_id
           JOIN lg_warehouse w ON w.id = l.warehouse_id WHERE w.code = :transit""",
        transit=TRANSIT,
    )
    items_value = _sum(db, "SELECT COALESCE(SUM(stock_value), 0) FROM lg_item")
    inventory = ledger_balance(db, account(db, "inventory"))
    in_transit = ledger_balance(db, account(db, "in_transit"))
    grni_open = _sum(db, "SELECT COALESCE(SUM(value - billed_value), 0) FROM lg_receipt_line")
    grni = -ledger_balance(db, account(db, "grni"))
    drifting_items = reader.rows(
        """SELECT i.sku FROM lg_item i LEFT JOIN (
                 SELECT item_id, SUM(quantity) AS q, SUM(value) AS v FROM lg_stock_move
                 GROUP BY item_id) m ON m.item_id = i.id
               WHERE i.on_hand <> COALESCE(m.q, 0) OR i.stock_value <> COALESCE(m.v, 0)
                  OR (i.on_hand = 0 AND i.stock_value <> 0 AND i.costing = 'average')
               LIMIT 5"""
    )
    drifting_bins = reader.rows(
        """SELECT b.item_id, b.location_id, b.lot_key FROM lg_stock_balance b
               LEFT JOIN (SELECT item_id, location_id, COALESCE(lot_id, 0) AS k,
                                 SUM(quantity) AS q FROM lg_stock_move
                          GROUP BY item_id, location_id, COALESCE(lot_id, 0)) m
                 ON m.item_id = b.item_id AND m.location_id = b.location_id AND m.k = b.lot_key
               WHERE b.quantity <> COALESCE(m.q, 0) LIMIT 5"""
    )
    drifting_months = reader.rows(
        """SELECT i.sku FROM lg_item i LEFT JOIN lg_stock_month c ON c.item_id = i.id
                 AND c.period = (SELECT MAX(period) FROM lg_stock_month x WHERE x.item_id = i.id)
               WHERE COALESCE(c.quantity, 0) <> i.on_hand OR COALESCE(c.value, 0) <> i.stock_value
               LIMIT 5"""
    )
    negative = reader.rows(
        """SELECT b.item_id, b.location_id, b.lot_key FROM lg_stock_balance b
               JOIN lg_item i ON i.id = b.item_id
               WHERE b.quantity < 0 AND NOT i.allow_negative LIMIT 5"""
    )

    def tie(name: str, left: int, right: int, what: str) -> CheckResult:
        ok = left == right
        return CheckResult(name, ok, "ok" if ok else f"{what}: {left} against {right}")

    return [
        tie(
            "logistics: stock ledger = inventory account",
            moves_value - on_the_road,
            inventory,
            "stock moves' value in warehouses against the inventory account (minor units)",
        ),
        tie(
            "logistics: goods in transit = its account",
            on_the_road,
            in_transit,
            "stock moves' value in transit against the goods-in-transit account (minor units)",
        ),
        tie(
            "logistics: GRNI = its account",
            grni_open,
            grni,
            "received and not billed against the GRNI account (minor units)",
        ),
        tie(
            "logistics: item values = their moves", items_value, moves_value, "items against moves"
        ),
        result(
            "logistics: item totals",
            list(drifting_items),
            "items whose totals differ from their moves",
        ),
        result(
            "logistics: bin balances", list(drifting_bins), "balances that differ from their moves"
        ),
        result(
            "logistics: monthly totals",
            list(drifting_months),
            "items whose last monthly running total differs from their totals",
        ),
        result("logistics: no negative stock", list(negative), "bins below zero"),
    ]
