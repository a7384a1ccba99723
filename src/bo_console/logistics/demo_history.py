"""A year of logistics for ``bo demo``: Al Noor Trading's trade in stock from the take-on to
the eve of the demo date, entered through the services in date order.

The fast movers (the items kept in the pick-face bins of each warehouse) are the trade: at the
start of each month a purchase order per bin brings the items that ran below half their
target stock back up to it, received a few days later (now and then in two parts) and billed by the
supplier one to two weeks after that, some bills at a price that differs from the order's (the
difference goes to the purchase price variance account); through the month six to eight
large sales orders from the trade customers, each picked from one bin (first expiry first out),
shipped on a route with a carrier and invoiced the same day, a few with cartons refused at
the door and taken back before the invoice; shipments marked delivered, a few refused; and
two counts that write off what went missing (and any lot found expired). The year's cost of
sales is what these deliveries posted; its invoices and bills are settled by finance's demo.
Deterministic (its own seeded generator).
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.demo import DemoContext
    from bo_console.logistics.models import OrderLineCreate

FAST_BINS = ["DMM/A-04", "DMM/B-01", "RUH/R-01"]
"""The pick faces the year's trade goes through (the other bins hold the slow movers)."""
CUSTOMERS = ["C0001", "C0002", "C0003", "C0004", "C0005"]
SUPPLIERS = ["S0002", "B0001", "S0001"]
ROUTES = ["EAST-1", "EAST-2", "RIYADH-1", "JEDDAH-AIR"]
CARRIERS = ["Own fleet", "SMSA Express", "Aramex", "Naqel"]
TARGET = 280_000_00
"""Stock of one fast mover at cost (minor units) a purchase order brings it back up to."""
ORDERS_A_MONTH = (6, 9)
COUNTS = ((date(2026, 3, 18), "DMM/A-04"), (date(2026, 8, 19), "DMM/B-01"))
PRICE_VARIANCE = ("5150", "Purchase price variances", "فروقات أسعار الشراء")


@dataclass
class _Year:
    ctx: DemoContext
    rng: random.Random
    manager: Actor
    clerk: Actor
    accountant: Actor
    end: date
    costs: dict[str, int]
    bins: dict[str, list[str]]
    """Fast bin -> the SKUs kept there."""
    events: list[tuple[date, int, str, object]] = field(default_factory=list)
    seq: int = 0
    lot_tracked: set[str] = field(default_factory=set)

    def at(self, day: date, kind: str, payload: object) -> None:
        """Schedule work for a day (not past the year's end); it runs in date order."""
        if day <= self.end:
            self.seq += 1
            heapq.heappush(self.events, (day, self.seq, kind, payload))


def price_variance_account(ctx: DemoContext) -> None:
    """Open a purchase price variance account and point logistics' variances at it, so cost
    of goods sold holds only what deliveries (and returns) posted."""
    from bo_console.core import settings
    from bo_console.finance import service as finance

    code, name, name_ar = PRICE_VARIANCE
    manager = ctx.staff("layla")
    finance.add_account(
        ctx.session,
        manager,
        finance.AccountCreate(code=code, name=name, name_ar=name_ar, type="expense"),
        parent="5100",
    )
    settings.put(ctx.session, ctx.admin, "logistics.account.price_variance", code)


def build_year(ctx: DemoContext, stocked: list[dict[str, object]], start: date, end: date) -> None:
    """The trade from ``start`` to ``end`` (both included) in the fast bins of ``stocked``."""
    year = _Year(
        ctx=ctx,
        rng=random.Random(2025_12),
        manager=ctx.staff("maria"),
        clerk=ctx.staff("yousef"),
        accountant=ctx.staff("omar"),
        end=end,
        costs={str(s["sku"]): max(int(str(s["cost"])), 1) for s in stocked},
        bins={},
    )
    for spec in stocked:
        if spec.get("home") in FAST_BINS:
            year.bins.setdefault(str(spec["home"]), []).append(str(spec["sku"]))
        if spec["lot_tracked"]:
            year.lot_tracked.add(str(spec["sku"]))
    first = start
    while first <= end:
        year.at(first, "month", first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    for day, label in COUNTS:
        year.at(day, "count", label)
    while year.events:
        day, _, kind, payload = heapq.heappop(year.events)
        if kind == "month":
            _plan_month(year, day)
        elif kind == "receive":
            _receive(year, day, payload)
        elif kind == "rest":
            assert isinstance(payload, tuple)
            _goods_in(year, day, *payload)
        elif kind == "bill":
            _bill(year, day, payload)
        elif kind == "sale":
            _sale(year, day)
        elif kind == "count":
            _count(year, day, str(payload))


def available(session: Session, label: str, on: date) -> dict[str, int]:
    """Unexpired units on hand per SKU in one bin on a day."""
    from sqlalchemy import text

    rows = session.execute(
        text(
            """SELECT i.sku, SUM(b.quantity) FROM lg_stock_balance b
               JOIN lg_item i ON i.id = b.item_id
               JOIN lg_location l ON l.id = b.location_id
               LEFT JOIN lg_lot t ON t.id = b.lot_key
               WHERE l.label = :l AND b.quantity > 0 AND (t.expiry IS NULL OR t.expiry >= :d)
               GROUP BY i.sku"""
        ),
        {"l": label, "d": on.isoformat()},
    ).all()
    return {str(sku): int(q) for sku, q in rows}


def _plan_month(year: _Year, first: date) -> None:
    """The month's restocking orders and its sales."""
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    last = min(nxt - timedelta(days=1), year.end)
    rng = year.rng
    for label, skus in year.bins.items():
        have = available(year.ctx.session, label, first)
        wanted = []
        for sku in skus:
            target = TARGET // year.costs[sku]
            if have.get(sku, 0) < target // 2:
                wanted.append((sku, max(-(-(target - have.get(sku, 0)) // 10) * 10, 10)))
        if wanted:
            lead = rng.randrange(2, 6)
            year.at(first + timedelta(days=lead), "receive", (label, wanted, lead))
    days = (last - first).days + 1
    for _ in range(rng.randrange(*ORDERS_A_MONTH) * days // 31):
        year.at(first + timedelta(days=rng.randrange(min(3, days - 1), days)), "sale", None)


def _receive(year: _Year, day: date, payload: object) -> None:
    """Order what a bin needs (dated a few days back), approve, send and receive it; now and
    then only part arrives and the rest follows a week later."""
    from bo_console.logistics import service

    assert isinstance(payload, tuple)
    session, rng = year.ctx.session, year.rng
    label, wanted, lead = payload
    order = service.create_order(
        session,
        year.clerk,
        service.PurchaseOrderCreate(
            supplier=rng.choice(SUPPLIERS),
            date=day - timedelta(days=lead),
            expected=day,
            location=label,
            lines=[
                service.OrderLineCreate(item=sku, quantity=q, unit_price=year.costs[sku])
                for sku, q in wanted
            ],
        ),
    )
    approver = year.manager if order.total > order.approval_limit else year.clerk
    service.approve_order(session, approver, order.number)
    service.send_order(session, year.clerk, order.number)
    lines = [(n, q) for n, (_, q) in enumerate(wanted, start=1)]
    skus = {n: sku for n, (sku, _) in enumerate(wanted, start=1)}
    if rng.random() < 0.15 and all(q >= 20 for _, q in lines):
        first = [(n, q * 6 // 10) for n, q in lines]
        _goods_in(year, day, order.number, first, skus)
        rest = [(n, q - part) for (n, q), (_, part) in zip(lines, first, strict=True)]
        year.at(day + timedelta(days=rng.randrange(5, 10)), "rest", (order.number, rest, skus))
    else:
        _goods_in(year, day, order.number, lines, skus)


def _goods_in(
    year: _Year, day: date, order: str, lines: list[tuple[int, int]], skus: dict[int, str]
) -> None:
    """Receive ``lines`` ((order line, quantity)) of an order; ``skus``: the lines' items."""
    from bo_console.logistics import service

    receipt = service.receive(
        year.ctx.session,
        year.clerk,
        service.ReceiptCreate(
            order=order,
            date=day,
            lines=[
                service.ReceiptLineCreate(
                    line=n,
                    quantity=q,
                    lot=f"P{day:%y%m%d}{n:02d}" if skus[n] in year.lot_tracked else None,
                    expiry=day + timedelta(days=540) if skus[n] in year.lot_tracked else None,
                )
                for n, q in lines
            ],
        ),
    )
    year.at(day + timedelta(days=year.rng.randrange(4, 15)), "bill", receipt.number)


def _bill(year: _Year, day: date, payload: object) -> None:
    """The supplier's bill for a receipt: one in five at a price a little off the order's."""
    from sqlmodel import col, select

    from bo_console.logistics import service
    from bo_console.logistics.models import ReceiptLine

    session, rng = year.ctx.session, year.rng
    receipt = service.find_receipt(session, str(payload))
    rows = session.exec(
        select(ReceiptLine)
        .where(ReceiptLine.receipt_id == receipt.id)
        .order_by(col(ReceiptLine.id))
    ).all()
    off = rng.randrange(len(rows)) + 1 if rng.random() < 0.2 else 0
    service.bill_receipt(
        session,
        year.accountant,
        receipt.number,
        on=day,
        reference=f"SI-{receipt.number.rsplit('-', 1)[1]}{rng.randrange(10, 100)}",
        lines=[
            service.BillLine(
                line=n,
                quantity=r.quantity,
                unit_price=r.unit_price * rng.choice([97, 98, 102, 103]) // 100
                if n == off
                else r.unit_price,
            )
            for n, r in enumerate(rows, start=1)
        ],
    )


def _sale(year: _Year, day: date) -> None:
    """A trade customer's order from one bin: entered a day or two before, confirmed, picked
    first expiry first out, shipped and invoiced; a few cartons refused at the door come back
    before the invoice; the shipment is marked delivered (or refused) a few days later."""
    from bo_console.logistics import service

    session, rng = year.ctx.session, year.rng
    label = rng.choice(list(year.bins))
    have = available(session, label, day)
    candidates = [sku for sku in year.bins[label] if have.get(sku, 0) >= 20]
    if not candidates:
        return
    picks = rng.sample(candidates, k=min(len(candidates), rng.randint(7, 9)))
    lines = []
    for sku in picks:
        quantity = have[sku] * rng.randrange(45, 81) // 100 // 10 * 10
        lines.append(service.OrderLineCreate(item=sku, quantity=max(quantity, 10)))
    order = service.create_sales_order(
        session,
        year.clerk,
        service.SalesOrderCreate(
            customer=rng.choice(CUSTOMERS),
            date=max(day - timedelta(days=rng.randrange(0, 3)), day.replace(day=1)),
            lines=lines,
        ),
    )
    service.confirm_sales_order(session, year.clerk, order.number)
    delivery = service.deliver(
        session,
        year.clerk,
        service.DeliveryCreate(
            order=order.number,
            date=day,
            location=label,
            carrier=rng.choice(CARRIERS),
            tracking=f"TRK{rng.randrange(10**7, 10**8)}",
            route=rng.choice(ROUTES),
            lines=[
                service.DeliveryLineCreate(line=n, quantity=line.quantity)
                for n, line in enumerate(lines, start=1)
            ],
        ),
    )
    refused = rng.random() < 0.04
    if refused:
        _refused(year, day, order.number, lines)
    recent = year.end - day < timedelta(days=4)
    if recent and rng.random() < 0.4:
        return  # shipped, not yet invoiced
    service.invoice_order(session, year.accountant, order.number, on=day)
    if not recent:
        status = "failed" if rng.random() < 0.02 else "delivered"
        service.set_shipment_status(session, year.clerk, delivery.number, status)


def _refused(year: _Year, day: date, order: str, lines: list[OrderLineCreate]) -> None:
    """Cartons refused at the door: a tenth of one line comes back to the returns bin."""

    from bo_console.logistics import service

    session = year.ctx.session
    for n, line in enumerate(lines, start=1):
        quantity, sku = line.quantity // 10, line.item
        if quantity <= 0:
            continue
        lot = shipped_lot(session, order, n, quantity) if sku in year.lot_tracked else None
        if sku in year.lot_tracked and lot is None:
            continue
        service.take_back(
            session,
            year.clerk,
            service.ReturnCreate(
                order=order,
                date=day,
                reason="cartons refused at delivery: crushed in transit",
                lines=[service.ReturnLineCreate(line=n, quantity=quantity, lot=lot)],
            ),
        )
        return


def shipped_lot(session: Session, order: str, line: int, quantity: int) -> str | None:
    """A lot the order's line shipped at least ``quantity`` units from (None: none did)."""
    from sqlalchemy import text

    found = session.execute(
        text(
            """SELECT t.lot_no FROM lg_delivery_line d JOIN lg_so_line s ON s.id = d.so_line_id
               JOIN lg_sales_order o ON o.id = s.order_id JOIN lg_lot t ON t.id = d.lot_id
               WHERE o.number = :o AND s.line_no = :n AND d.quantity >= :q
               ORDER BY d.id LIMIT 1"""
        ),
        {"o": order, "n": line, "q": quantity},
    ).first()
    return None if found is None else str(found[0])


def _count(year: _Year, day: date, label: str) -> None:
    """Count a bin: a few units short here and there; an expired lot is written off."""
    from sqlalchemy import text

    from bo_console.logistics import service

    session, rng = year.ctx.session, year.rng
    rows = session.execute(
        text(
            """SELECT i.sku, t.lot_no, t.expiry, b.quantity FROM lg_stock_balance b
               JOIN lg_item i ON i.id = b.item_id
               JOIN lg_location l ON l.id = b.location_id
               LEFT JOIN lg_lot t ON t.id = b.lot_key
               WHERE l.label = :l AND b.quantity > 0 ORDER BY i.sku, t.lot_no"""
        ),
        {"l": label},
    ).all()
    if not rows:
        return
    count = service.open_count(session, year.clerk, location=label, on=day)
    counted = []
    for sku, lot, expiry, quantity in rows:
        expired = expiry is not None and str(expiry) < day.isoformat()
        short = 0 if expired else rng.choice([0, 0, 0, 0, 1, 2, 5])
        counted.append(
            service.CountLineCreate(
                item=str(sku),
                lot=str(lot) if lot is not None else None,
                counted=0 if expired else max(int(quantity) - short, 0),
            )
        )
    service.record_counts(session, year.clerk, count.number, counted)
    service.post_count(session, year.manager, count.number)
