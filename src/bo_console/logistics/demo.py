"""Logistics for ``bo demo``: Al Noor Trading's medical and hospitality supplies.

About 500 items (gloves, masks, syringes, gowns, gauze and more in their sizes and pack
sizes, most tracked by lot and expiry), two warehouses (Dammam DC with 24 bins, Riyadh HQ with
6). Runs after finance's opening balances and before the rest of finance's year: their stock
is taken on into the stock ledger the next day (:data:`TAKE_ON`), spread over the items, lots
and bins, so the stock ledger equals the inventory account from the first move and for the
whole year. Then the year's trade (``demo_history``: purchase orders, receipts and their
bills, sales orders, deliveries posting cost of sales, invoices, returns, counts), and the
demo date's logistics work, all through the services: purchase orders in every state (some
received, two billed with a price difference), sales orders confirmed and shipped on routes
(first expiry first out), some invoiced, a count posted with its differences and one left
open. Last, a customer return against an invoiced order (a credit-note request for finance),
infusion pumps received and shipped by serial number, and infusion sets ordered by the carton.
Deterministic.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.demo import DemoContext

# family, Arabic, variants, pack sizes, price range (SAR), lot-tracked
FAMILIES: list[tuple[str, str, list[str], list[str], tuple[int, int], bool]] = [
    (
        "GLV-NIT",
        "قفازات نيتريل",
        ["XS", "S", "M", "L", "XL"],
        ["box of 100", "box of 200", "carton of 1000"],
        (25, 60),
        True,
    ),
    (
        "GLV-LTX",
        "قفازات لاتكس",
        ["S", "M", "L", "XL"],
        ["box of 100", "carton of 1000"],
        (20, 50),
        True,
    ),
    ("GLV-VNL", "قفازات فينيل", ["S", "M", "L"], ["box of 100", "box of 200"], (15, 35), True),
    ("GLV-FS", "قفازات خدمة الطعام", ["M", "L"], ["box of 200", "carton of 2000"], (20, 45), False),
    (
        "MSK-SUR",
        "كمامات جراحية",
        ["blue", "green", "white", "kids"],
        ["box of 50", "carton of 2000"],
        (15, 40),
        True,
    ),
    (
        "MSK-N95",
        "كمامات N95",
        ["standard", "small", "valved"],
        ["box of 20", "carton of 240"],
        (60, 180),
        True,
    ),
    (
        "SYR",
        "حقن",
        ["1 ml", "3 ml", "5 ml", "10 ml", "20 ml", "50 ml"],
        ["box of 100", "carton of 1200"],
        (35, 120),
        True,
    ),
    ("NDL", "إبر", ["18G", "21G", "23G", "25G", "27G"], ["box of 100"], (20, 60), True),
    (
        "GWN-ISO",
        "أثواب عزل",
        ["M", "L", "XL", "XXL"],
        ["pack of 10", "carton of 100"],
        (45, 90),
        True,
    ),
    ("GWN-SUR", "أثواب جراحية", ["L", "XL"], ["pack of 10"], (90, 160), True),
    (
        "GAU",
        "شاش معقم",
        ["5x5 cm", "7.5x7.5 cm", "10x10 cm"],
        ["pack of 100", "pack of 50"],
        (12, 30),
        True,
    ),
    ("BND", "ضمادات", ["5 cm", "7.5 cm", "10 cm", "15 cm"], ["roll", "box of 12"], (5, 40), True),
    ("SAN", "معقم يدين", ["gel", "foam", "spray"], ["500 ml", "1 l", "5 l"], (10, 70), True),
    ("CAP", "غطاء رأس", ["bouffant", "surgeon"], ["pack of 100"], (12, 30), False),
    ("SHC", "غطاء حذاء", ["standard", "non-slip"], ["pack of 100"], (15, 35), False),
    ("BED", "ورق سرير فحص", ["50 cm", "60 cm"], ["roll", "case of 12"], (25, 80), False),
    ("CTN", "قطن طبي", ["balls", "roll 500 g"], ["pack", "case of 20"], (8, 45), True),
    ("TAP", "شريط لاصق طبي", ["1.25 cm", "2.5 cm", "5 cm"], ["roll", "box of 12"], (4, 40), True),
    ("ALC", "مسحات كحولية", ["standard"], ["box of 100", "carton of 4000"], (8, 60), True),
    ("THR", "ميزان حرارة", ["digital", "infrared"], ["each"], (30, 150), False),
    (
        "AMN",
        "أطقم ضيافة فندقية",
        ["basic", "premium", "kids", "dental"],
        ["kit", "case of 100"],
        (5, 60),
        False,
    ),
    ("APR", "مرايل بلاستيكية", ["white", "blue"], ["roll of 200", "pack of 100"], (20, 45), False),
    ("URN", "أكياس بول", ["2 l"], ["each", "box of 10"], (4, 35), True),
    (
        "CAT",
        "قسطرة",
        ["8 Fr", "10 Fr", "12 Fr", "14 Fr", "16 Fr"],
        ["each", "box of 10"],
        (8, 90),
        True,
    ),
    ("IVS", "أطقم محاليل وريدية", ["standard", "paediatric"], ["box of 50"], (60, 140), True),
    ("SPC", "حاويات عينات", ["60 ml", "120 ml"], ["box of 100"], (25, 55), True),
    ("SHR", "حاويات أدوات حادة", ["1 l", "5 l", "10 l"], ["each", "box of 20"], (6, 90), False),
    ("WIP", "مناديل مطهرة", ["small", "large"], ["tub of 100", "case of 12"], (15, 120), True),
]
ENGLISH = {
    "GLV-NIT": "Nitrile gloves",
    "GLV-LTX": "Latex gloves",
    "GLV-VNL": "Vinyl gloves",
    "GLV-FS": "Food service gloves",
    "MSK-SUR": "Surgical masks",
    "MSK-N95": "N95 respirators",
    "SYR": "Disposable syringes",
    "NDL": "Hypodermic needles",
    "GWN-ISO": "Isolation gowns",
    "GWN-SUR": "Surgical gowns",
    "GAU": "Sterile gauze swabs",
    "BND": "Elastic bandages",
    "SAN": "Hand sanitiser",
    "CAP": "Disposable caps",
    "SHC": "Shoe covers",
    "BED": "Examination bed paper",
    "CTN": "Medical cotton",
    "TAP": "Medical tape",
    "ALC": "Alcohol swabs",
    "THR": "Thermometers",
    "AMN": "Hotel amenity kits",
    "APR": "Plastic aprons",
    "URN": "Urine bags",
    "CAT": "Foley catheters",
    "IVS": "IV giving sets",
    "SPC": "Specimen containers",
    "SHR": "Sharps containers",
    "WIP": "Disinfectant wipes",
}
WAREHOUSES = [
    ("DMM", "Dammam DC", "مستودع الدمام", [f"{a}-{n:02d}" for a in "ABC" for n in range(1, 9)]),
    ("RUH", "Riyadh HQ", "المقر الرئيسي - الرياض", [f"R-{n:02d}" for n in range(1, 7)]),
]
ROUTES = ["EAST-1", "EAST-2", "RIYADH-1", "JEDDAH-AIR"]
CARRIERS = ["Own fleet", "SMSA Express", "Aramex", "Naqel"]
TAKE_ON = date(2025, 12, 2)
"""The day after the opening balances: their stock is taken on into the stock ledger, and from
then on only stock entries move inventory."""


def _items(rng: random.Random) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for family, arabic, variants, packs, (low, high), lots in FAMILIES:
        for variant in variants:
            for pack in packs:
                n = len(out) + 1
                sku = f"{family}-{variant.upper().replace(' ', '').replace('.', '')[:6]}-{n:03d}"
                price = rng.randrange(low * 100, high * 100, 5)
                out.append(
                    {
                        "sku": sku,
                        "name": f"{ENGLISH[family]} {variant}, {pack}"[:160],
                        "name_ar": f"{arabic} {variant}",
                        "lot_tracked": lots,
                        "cost": price * rng.randrange(55, 70) // 100,
                        "sale_price": price,
                        "barcodes": [f"628{rng.randrange(10**9, 10**10)}"],
                    }
                )
    # More pack sizes of the fast movers bring the master to about 500 items.
    while len(out) < 500:
        base = out[rng.randrange(len(out))]
        n = len(out) + 1
        # Named after the original item: a pack of a derived pack must not repeat the suffix.
        root = str(base.get("root_name", base["name"]))
        out.append(
            {
                **base,
                "sku": f"{str(base['sku']).rsplit('-', 1)[0]}-{n:03d}",
                "name": f"{root}, hospital pack of {6 * (1 + n % 8)}"[:160],
                "root_name": root,
                "barcodes": [f"628{rng.randrange(10**9, 10**10)}"],
            }
        )
    return out


def build(ctx: DemoContext) -> None:
    """Add logistics' master data, take on the books' stock, and the demo date's work."""
    from bo_console.core.money import allocate
    from bo_console.logistics import service
    from bo_console.logistics.adjustments import AdjustmentLine, take_on

    rng = random.Random(20261126)
    session = ctx.session
    manager, clerk, accountant = ctx.staff("maria"), ctx.staff("yousef"), ctx.staff("omar")
    today = ctx.today
    bins: list[str] = []
    for code, name, name_ar, codes in WAREHOUSES:
        service.add_warehouse(session, manager, code, name, name_ar)
        for b in codes:
            bins.append(service.add_location(session, manager, code, b).label)
    items = _items(rng)
    suppliers = ["S0002", "B0001", "S0001"]
    service.add_items(
        session,
        clerk,
        [
            service.ItemCreate(
                sku=str(spec["sku"]),
                name=str(spec["name"]),
                name_ar=str(spec["name_ar"]),
                lot_tracked=bool(spec["lot_tracked"]),
                reorder_point=rng.choice([0, 20, 40, 60]),
                reorder_qty=rng.choice([100, 200, 500]),
                supplier=rng.choice(suppliers),
                sale_price=int(str(spec["sale_price"])),
                barcodes=list(spec["barcodes"]),  # type: ignore[call-overload]
            )
            for spec in items
        ],
    )
    # The take-on: the opening balances' stock spread over about 420 items, in whole units at
    # each item's cost, the last item taking the remainder (its unit cost to the halala).
    from bo_console.logistics.common import account, ledger_balance

    held = ledger_balance(session, account(session, "inventory"))
    stocked = rng.sample(items, k=420)
    shares = allocate(held, [rng.randrange(20, 100) for _ in stocked])
    lines: list[tuple[str, AdjustmentLine]] = []
    for spec, share in zip(stocked, shares, strict=True):
        cost = max(int(str(spec["cost"])), 1)
        quantity = max(share // cost, 1)
        unit, rest = divmod(share, quantity)
        home = rng.choice(bins[:24] if rng.random() < 0.8 else bins[24:])
        spec["home"] = home
        lots = _lots(rng, TAKE_ON, quantity) if spec["lot_tracked"] else [(None, None, quantity)]
        for n, (lot, expiry, q) in enumerate(lots):
            lines.append((home, AdjustmentLine(str(spec["sku"]), q, lot, expiry, unit)))
            if n == 0 and rest:
                # The halalas that do not divide: one more line of one unit at the remainder.
                first = lines[-1][1]
                if first.quantity > 1:
                    lines[-1] = (
                        home,
                        AdjustmentLine(first.item, first.quantity - 1, lot, expiry, unit),
                    )
                    lines.append((home, AdjustmentLine(first.item, 1, lot, expiry, unit + rest)))
                else:
                    lines[-1] = (home, AdjustmentLine(first.item, 1, lot, expiry, unit + rest))
    take_on(session, manager, on=TAKE_ON, lines=lines)
    from bo_console.logistics import demo_history

    demo_history.price_variance_account(ctx)
    # The year's documents and the demo date's share one read of the items, bins, parties,
    # control accounts and numbering heads (the take-on above opened the stock controls,
    # which a posting batch must not see added).
    with service.stock_batch(session):
        demo_history.build_year(ctx, stocked, TAKE_ON, today - timedelta(days=1))
        invoiced = _work(ctx, rng, stocked, manager, clerk, accountant)
        _returns_units_serials(ctx, manager, clerk, invoiced)


def _lots(rng: random.Random, on: date, quantity: int) -> list[tuple[str, date, int]]:
    """Lots of stock taken on: none expires before the demo date."""
    count = min(quantity, rng.choice([1, 2, 2, 3]))
    parts = [quantity // count] * count
    parts[0] += quantity - sum(parts)
    out = []
    for n, q in enumerate(parts):
        expiry = on + timedelta(days=rng.randrange(380 + 200 * n, 640 + 300 * n))
        out.append((f"L{on:%y}{rng.randrange(1000, 9999)}{n}", expiry, q))
    return out


def _work(
    ctx: DemoContext,
    rng: random.Random,
    stocked: list[dict[str, object]],
    manager: object,
    clerk: object,
    accountant: object,
) -> list[str]:
    """The demo date's orders, receipts, bills, deliveries, invoices and counts. Returns the
    sales orders it invoiced."""
    from bo_console.core.security import Actor
    from bo_console.logistics import service

    assert isinstance(manager, Actor) and isinstance(clerk, Actor) and isinstance(accountant, Actor)
    session, today = ctx.session, ctx.today
    # Purchase orders over the last three weeks, in every state.
    received: list[str] = []
    for n in range(14):
        on = today - timedelta(days=rng.randrange(0, 21))
        picks = rng.sample(stocked, k=rng.randint(1, 4))
        order = service.create_order(
            session,
            clerk,
            service.PurchaseOrderCreate(
                supplier=rng.choice(["S0002", "B0001"]),
                date=on,
                location="DMM/A-01",
                lines=[
                    service.OrderLineCreate(
                        item=str(p["sku"]),
                        quantity=rng.choice([50, 100, 200]),
                        unit_price=int(str(p["cost"])),
                    )
                    for p in picks
                ],
            ),
        )
        if n < 2:
            continue  # drafts
        approver = manager if order.total > order.approval_limit else clerk
        service.approve_order(session, approver, order.number)
        if n < 5:
            continue  # approved
        service.send_order(session, clerk, order.number)
        if n < 8:
            continue  # sent
        view = service.get_order(session, clerk, order.number)
        receipt_lines = []
        for line in view.lines:
            share = line.quantity if n % 3 else line.quantity // 2
            tracked = next(p for p in picks if p["sku"] == line.sku)["lot_tracked"]
            receipt_lines.append(
                service.ReceiptLineCreate(
                    line=line.line,
                    quantity=share,
                    lot=f"G{today:%y%m}{n:02d}{line.line}" if tracked else None,
                    expiry=today + timedelta(days=540) if tracked else None,
                )
            )
        receipt = service.receive(
            session,
            clerk,
            service.ReceiptCreate(order=order.number, date=today, lines=receipt_lines),
        )
        received.append(receipt.number)
    for number in received[:2]:
        found = service.find_receipt(session, number)
        from sqlmodel import select

        from bo_console.logistics.models import ReceiptLine

        rows = session.exec(select(ReceiptLine).where(ReceiptLine.receipt_id == found.id)).all()
        service.bill_receipt(
            session,
            accountant,
            number,
            on=today,
            reference=f"SI-{rng.randrange(100_000, 999_999)}",
            lines=[
                service.BillLine(
                    line=i, quantity=r.quantity, unit_price=r.unit_price + (25 if i == 1 else 0)
                )
                for i, r in enumerate(rows, start=1)
            ],
        )
    # Sales orders from the trade customers, most shipped on a route today.
    customers = ["C0001", "C0002", "C0003", "C0004", "C0005"]
    invoiced: list[str] = []
    homes: dict[str, list[dict[str, object]]] = {}
    for spec in stocked:
        homes.setdefault(str(spec["home"]), []).append(spec)
    busy = sorted(label for label, held in homes.items() if len(held) >= 3)
    for n in range(16):
        picks = rng.sample(homes[rng.choice(busy)], k=rng.randint(1, 3))
        wanted = []
        for p in picks:
            item = service.get_item(session, clerk, str(p["sku"]))
            if item.on_hand >= 10:
                wanted.append(service.OrderLineCreate(item=item.sku, quantity=rng.randint(2, 10)))
        if not wanted:
            continue
        sales = service.create_sales_order(
            session,
            clerk,
            service.SalesOrderCreate(
                customer=rng.choice(customers),
                date=today - timedelta(days=rng.randrange(0, 5)),
                lines=wanted,
            ),
        )
        if n < 2:
            continue
        service.confirm_sales_order(session, clerk, sales.number)
        if n < 4:
            continue
        location = str(picks[0]["home"])
        lines = [(i, line.quantity, location) for i, line in enumerate(wanted, start=1)]
        service.deliver(
            session,
            clerk,
            service.DeliveryCreate(
                order=sales.number,
                date=today,
                location=location,
                carrier=rng.choice(CARRIERS),
                tracking=f"TRK{rng.randrange(10**7, 10**8)}",
                route=rng.choice(ROUTES),
                lines=[service.DeliveryLineCreate(line=i, quantity=q) for i, q, _ in lines],
            ),
        )
        if n % 2:
            service.invoice_order(session, accountant, sales.number, on=today)
            invoiced.append(sales.number)
    # A count of one bin, posted, and another left open.
    for which, post in ((0, True), (1, False)):
        label = f"DMM/A-0{which + 2}"
        count = service.open_count(session, clerk, location=label, on=today)
        counted = []
        for row in service.list_moves(session, clerk, service.MoveFilter(location=label, limit=6)):
            have = sum(
                b.quantity
                for b in service.on_hand(session, clerk, row.sku)
                if b.location == label and b.lot == row.lot
            )
            counted.append(
                service.CountLineCreate(
                    item=row.sku, lot=row.lot, counted=max(have - rng.choice([0, 0, 1, 2]), 0)
                )
            )
        if counted:
            service.record_counts(session, clerk, count.number, counted)
            if post:
                service.post_count(session, manager, count.number)
    return invoiced


def _returns_units_serials(
    ctx: DemoContext, manager: object, clerk: object, invoiced: list[str]
) -> None:
    """A return of invoiced goods, serial-tracked pumps and an order in cartons (the demo
    date's work; none of it draws on the random stream the rest uses)."""
    from bo_console.core.security import Actor
    from bo_console.logistics import service

    assert isinstance(manager, Actor) and isinstance(clerk, Actor)
    session, today = ctx.session, ctx.today
    if invoiced:
        from bo_console.logistics.demo_history import shipped_lot

        service.take_back(
            session,
            clerk,
            service.ReturnCreate(
                order=invoiced[0],
                date=today,
                reason="carton crushed in transit",
                lines=[
                    service.ReturnLineCreate(
                        line=1, quantity=1, lot=shipped_lot(session, invoiced[0], 1, 1)
                    )
                ],
            ),
        )
    for sku, name, name_ar, extra in (
        ("INF-PUMP-501", "Infusion pump, volumetric", "مضخة تسريب", {"serial_tracked": True}),
        (
            "INF-SET-502",
            "Infusion set, 20 drops/ml",
            "جهاز تسريب",
            {"purchase_unit": "carton", "purchase_factor": 50},
        ),
    ):
        service.add_item(
            session,
            clerk,
            service.ItemCreate(
                sku=sku,
                name=name,
                name_ar=name_ar,
                supplier="S0002",
                sale_price=450_000 if "PUMP" in sku else 1_200,
                **extra,
            ),
        )
    pumps = service.create_order(
        session,
        clerk,
        service.PurchaseOrderCreate(
            supplier="S0002",
            date=today,
            location="DMM/A-01",
            lines=[service.OrderLineCreate(item="INF-PUMP-501", quantity=4, unit_price=290_000)],
        ),
    )
    service.approve_order(session, manager, pumps.number)
    serials = [f"IP26-{n:04d}" for n in range(1, 5)]
    service.receive(
        session,
        clerk,
        service.ReceiptCreate(
            order=pumps.number,
            date=today,
            lines=[service.ReceiptLineCreate(line=1, quantity=4, serials=serials)],
        ),
    )
    sale = service.create_sales_order(
        session,
        clerk,
        service.SalesOrderCreate(
            customer="C0001",
            date=today,
            lines=[service.OrderLineCreate(item="INF-PUMP-501", quantity=1)],
        ),
    )
    service.confirm_sales_order(session, clerk, sale.number)
    service.deliver(
        session,
        clerk,
        service.DeliveryCreate(
            order=sale.number,
            date=today,
            location="DMM/A-01",
            carrier="Own fleet",
            route="EAST-1",
            lines=[service.DeliveryLineCreate(line=1, quantity=1, serials=[serials[1]])],
        ),
    )
    service.create_order(
        session,
        clerk,
        service.PurchaseOrderCreate(
            supplier="S0002",
            date=today,
            location="DMM/A-01",
            memo="infusion sets by the carton",
            lines=[
                service.OrderLineCreate(
                    item="INF-SET-502", quantity=6, unit_price=37_500, unit="carton"
                )
            ],
        ),
    )
