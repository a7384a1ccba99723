"""Receivables and payables for ``bo demo``: Al Noor Trading's customers and suppliers with a
year of trade, entered through the services.

From January 2026 to the demo date, in date order: the smaller invoices (mostly
standard-rated medical and hospitality supplies, some zero-rated exports) and supplier bills
for packaging and services (the wholesale trade in stock, with its cost of sales, is
logistics': purchase orders, receipts, deliveries and the bills and invoices made from them);
customers and suppliers paying most documents around their due dates, some partly, some not
at all (so the aged reports have something in every bucket), a few payments left on account,
an invoice voided by a credit note and re-issued, a bounced cheque voided, and drafts waiting
on the demo date.

Every amount owed by customers or to suppliers is a document, and every payment is allocated,
so the aged reports add up to the receivables and payables accounts; every line on the VAT
accounts comes from a document or carries a tax code, so each month's VAT return ties to the
ledger. Deterministic (its own seeded generator). Runs before the ledger's builder, which
posts the overheads and VAT settlements and closes the past months.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.security import Actor
    from bo_console.demo import DemoContext
    from bo_console.finance.document_models import Document

FIRST_DAY = date(2026, 1, 4)
OPENING_STOCK = 3_400_000_00
"""Merchandise inventory (1310) in the opening balances the ledger's builder posts (logistics
takes it on into the stock ledger)."""

# code, name, Arabic name, tax number, payment terms, city
CUSTOMERS: list[tuple[str, str, str, str, int, str]] = [
    ("C0001", "Al Safa Hospital", "مستشفى الصفا", "300114825600003", 30, "Riyadh"),
    ("C0002", "شركة الخليج للتموين", "شركة الخليج للتموين", "310228934100003", 45, "Jeddah"),
    ("C0003", "Red Sea Hotels", "فنادق البحر الأحمر", "300337461200003", 30, "Jeddah"),
    ("C0004", "صيدليات نجد", "صيدليات نجد", "310445672900003", 60, "Riyadh"),
    ("C0005", "Eastern Clinics Group", "مجموعة عيادات الشرقية", "300552318700003", 30, "Dammam"),
    ("C0006", "مستوصف الرحمة", "مستوصف الرحمة", "", 15, "Buraydah"),
    ("C0007", "Bahrain Medical Supplies W.L.L.", "", "", 30, "Manama"),
    ("C0008", "Qassim University Hospital", "مستشفى جامعة القصيم", "300669204500003", 60, "Qassim"),
    ("C0009", "مطاعم البيك", "مطاعم البيك", "310771835200003", 30, "Jeddah"),
    ("C0010", "Horizon Dental Centres", "مراكز الأفق لطب الأسنان", "", 30, "Khobar"),
]
SUPPLIERS: list[tuple[str, str, str, str, int, str]] = [
    ("S0001", "Gulf Packaging", "مصنع الخليج للتغليف", "300881234500003", 60, "Jeddah"),
    ("S0002", "شركة الإمداد الطبي", "شركة الإمداد الطبي", "310992345600003", 45, "Riyadh"),
    ("S0003", "Sahara Logistics", "شركة الصحراء للنقل", "300103456700003", 30, "Dammam"),
    ("S0004", "Tabuk Paper Mills", "مصانع ورق تبوك", "300214567800003", 30, "Tabuk"),
    ("S0005", "Al Majd Facility Services", "المجد للخدمات", "310325678900003", 30, "Riyadh"),
    ("S0006", "Saudi Business Advisors", "المستشارون السعوديون", "300436789000003", 15, "Riyadh"),
]
BOTH = ("B0001", "Medline Arabia", "ميدلاين العربية", "300547890100003", 45, "Riyadh")
"""Buys from Al Noor and also sells it specialist stock."""

# description, unit price (SAR), tax code
PRODUCTS: list[tuple[str, str, str]] = [
    ("Nitrile gloves, box of 100", "38.50", "S15"),
    ("Surgical masks, box of 50", "22.75", "S15"),
    ("Disposable syringes 5 ml, box of 100", "64.00", "S15"),
    ("Hand sanitiser 500 ml", "14.25", "S15"),
    ("Examination bed paper roll", "31.90", "S15"),
    ("Hotel amenity kit", "9.85", "S15"),
    ("Food service gloves, box of 200", "27.40", "S15"),
    ("Sterile gauze swabs, pack of 100", "18.60", "S15"),
    ("Isolation gowns, pack of 10", "57.30", "S15"),
    ("Delivery to site", "150.00", "S15"),
]
EXPORTS = [("Nitrile gloves, box of 100 (export)", "36.00", "Z")]

TRADE_CUSTOMERS = ["C0001", "C0002", "C0003", "C0004", "C0005"]
"""The wholesale customers (hospitals, caterers, hotels, pharmacies, clinics)."""
TRADE_SUPPLIERS = ["S0002", "B0001", "S0001"]
"""The stock suppliers (logistics' purchase orders go to them)."""

# description, account, low, high (SAR), tax code
SUPPLIES: list[tuple[str, str, int, int, str]] = [
    ("Packaging materials", "1330", 3_000, 18_000, "S15"),
    ("Freight inward", "5120", 1_500, 9_000, "S15"),
    ("Cleaning and security services", "6260", 6_000, 14_000, "S15"),
    ("Audit and tax advisory", "6400", 8_000, 35_000, "S15"),
    ("Repairs to warehouse racking", "6240", 2_000, 16_000, "S15"),
    ("Office supplies", "6230", 400, 3_500, "S15"),
]
SUPPLIER_OF = {
    "Packaging materials": ["S0001", "S0004"],
    "Freight inward": ["S0003"],
    "Cleaning and security services": ["S0005"],
    "Audit and tax advisory": ["S0006"],
    "Repairs to warehouse racking": ["S0005"],
    "Office supplies": ["S0004"],
}


@dataclass
class _Demo:
    ctx: DemoContext
    clerk: Actor
    manager: Actor
    rng: random.Random
    events: list[tuple[date, int, str, object]] = field(default_factory=list)
    order: int = 0

    def at(self, day: date, kind: str, payload: object) -> None:
        """Schedule something for a day; events run in date order, then as scheduled."""
        import heapq

        self.order += 1
        heapq.heappush(self.events, (day, self.order, kind, payload))


def _parties(demo: _Demo) -> None:
    from bo_console.finance import parties
    from bo_console.finance.document_models import PartyCreate

    rows = [(c, True, False) for c in CUSTOMERS] + [(s, False, True) for s in SUPPLIERS]
    rows.append((BOTH, True, True))
    for (code, name, name_ar, tax_number, terms, city), customer, supplier in rows:
        handle = code.lower()
        parties.add_party(
            demo.ctx.session,
            demo.clerk,
            PartyCreate(
                code=code,
                name=name,
                name_ar=name_ar,
                is_customer=customer,
                is_supplier=supplier,
                tax_number=tax_number,
                contact_name=demo.rng.choice(
                    [
                        "Ahmed Al-Harbi",
                        "نورة القحطاني",
                        "John Mathews",
                        "فيصل الزهراني",
                        "Anna Cruz",
                    ]
                ),
                email=f"accounts.{handle}@example.com",
                phone=f"+9665{demo.rng.randrange(10_000_000, 99_999_999)}",
                address=city,
                payment_terms=terms,
            ),
        )


def _amount(text: str) -> int:
    from bo_console.core.money import to_minor

    return to_minor(text, 2)


def _plan_sales(demo: _Demo, today: date) -> None:
    """About ten invoices a month, each with what happens to it later."""
    day = FIRST_DAY
    while day <= today:
        customer = demo.rng.choice([*CUSTOMERS, BOTH])
        exports = customer[0] == "C0007"
        catalogue = EXPORTS if exports else PRODUCTS
        lines = []
        for product in demo.rng.sample(catalogue, k=min(len(catalogue), demo.rng.randint(1, 4))):
            quantity = demo.rng.choice([20, 40, 60, 100, 120, 200, 250, 400, 500, 800])
            lines.append((product[0], str(quantity), product[1], product[2], None))
        draft = today - day < timedelta(days=3) and demo.rng.random() < 0.5
        demo.at(day, "invoice", (customer[0], lines, customer[4], draft))
        day += timedelta(days=demo.rng.choice([2, 3, 3, 4]))


def _plan_purchases(demo: _Demo, today: date) -> None:
    from bo_console.core.money import from_minor

    day = FIRST_DAY + timedelta(days=2)
    number = 4100
    while day <= today:
        what, account, low, high, code = demo.rng.choice(SUPPLIES)
        supplier = demo.rng.choice(SUPPLIER_OF[what])
        amount = demo.rng.randrange(low, high) * 100 + demo.rng.choice([0, 0, 50, 25])
        number += demo.rng.randrange(3, 40)
        terms = next(s[4] for s in [*SUPPLIERS, BOTH] if s[0] == supplier)
        draft = today - day < timedelta(days=4) and demo.rng.random() < 0.5
        demo.at(
            day,
            "bill",
            (
                supplier,
                [(what, "1", str(from_minor(amount, 2)), code, account)],
                f"INV-{number}",
                terms,
                draft,
            ),
        )
        day += timedelta(days=demo.rng.choice([4, 5, 6, 8]))


def _run(demo: _Demo, today: date) -> None:
    import heapq

    from bo_console.finance import documents, payments
    from bo_console.finance.document_models import DocumentCreate, DocumentLineCreate
    from bo_console.finance.documents import parse_quantity

    session = demo.ctx.session
    voided_once = bounced_once = False
    while demo.events:
        day, _, kind, payload = heapq.heappop(demo.events)
        if kind in ("invoice", "bill"):
            assert isinstance(payload, tuple)
            if kind == "invoice":
                party, lines, terms, draft = payload
                reference = f"PO-{demo.rng.randrange(10_000, 99_999)}"
            else:
                party, lines, reference, terms, draft = payload
            data = DocumentCreate(
                kind=kind,
                party=party,
                date=day,
                reference=reference,
                lines=[
                    DocumentLineCreate(
                        description=d,
                        quantity=parse_quantity(q),
                        unit_price=_amount(p),
                        tax_code=c,
                        account=a,
                    )
                    for d, q, p, c, a in lines
                ],
            )
            document = documents.create_document(session, demo.clerk, data)
            if draft:
                continue
            document = documents.post_document(session, demo.clerk, document.id or 0)
            if kind == "invoice" and not voided_once and day >= date(2026, 3, 1):
                # Wrong prices: voided the next day and issued again.
                voided_once = True
                documents.void_document(
                    session,
                    demo.manager,
                    document.ref,
                    on=day + timedelta(days=1),
                    reason="Wrong price list applied; re-issued",
                )
                demo.at(day + timedelta(days=1), kind, (party, lines, terms, False))
                continue
            _plan_settlement(demo, document, terms, today)
        elif kind == "payment":
            assert isinstance(payload, tuple)
            direction, party, amount, refs, bounce = payload
            payment = payments.enter_payment(
                session,
                demo.clerk,
                payments.PaymentCreate(
                    direction=direction,
                    party=party,
                    date=day,
                    amount=amount,
                    account=demo.rng.choice(["1110", "1110", "1120"]),
                    reference=f"TRF{demo.rng.randrange(100_000, 999_999)}",
                    apply=tuple((ref, None) for ref in refs),
                ),
            )
            if bounce and not bounced_once and day + timedelta(days=5) <= today:
                bounced_once = True
                payments.void_payment(
                    session,
                    demo.manager,
                    payment.number,
                    on=day + timedelta(days=5),
                    reason="Cheque returned unpaid by the bank",
                )


def _plan_settlement(
    demo: _Demo,
    document: Document,
    terms: int,
    today: date,
    *,
    unpaid: float = 0.12,
    partly: float = 0.10,
) -> None:
    """Decide how the party settles the document: in full around the due date, in part (one
    in ``1 / partly``), with a little extra left on account, or not yet (one in
    ``1 / unpaid`` stays unpaid whatever its age)."""
    from bo_console.finance.document_models import Party

    party = demo.ctx.session.get(Party, document.party_id)
    assert party is not None
    direction = "received" if document.kind == "invoice" else "made"
    roll = demo.rng.random()
    pay_day = document.due_date + timedelta(days=demo.rng.randrange(-10, 25))
    pay_day = max(pay_day, document.date + timedelta(days=2))
    if pay_day > today or roll < unpaid:
        return  # not paid yet: open, and overdue once past its due date
    if roll < unpaid + partly:
        part = document.total * demo.rng.choice([30, 40, 50, 60]) // 100
        demo.at(pay_day, "payment", (direction, party.code, part, [document.ref], False))
        rest_day = pay_day + timedelta(days=demo.rng.randrange(20, 45))
        if rest_day <= today and demo.rng.random() < 0.5:
            rest = document.total - part
            demo.at(rest_day, "payment", (direction, party.code, rest, [document.ref], False))
        return
    extra = 0
    if direction == "received" and roll > 0.96:
        extra = demo.rng.choice([5_000, 12_500, 20_000])  # paid a little more: on account
    bounce = direction == "received" and 0.5 < roll < 0.52
    demo.at(
        pay_day, "payment", (direction, party.code, document.total + extra, [document.ref], bounce)
    )


COST_CENTRES = [
    # code, name, department (the cost centres are the organisation's units)
    ("EXEC", "Executive office", "Management"),
    ("FIN", "Finance", "Finance"),
    ("HR", "Human resources", "HR"),
    ("IT", "Information technology", "IT"),
    ("LOG", "Logistics and warehouse", "Logistics"),
    ("SALES", "Sales", "Front office"),
    ("CS", "Customer service", "Front office"),
    ("DATA", "Data management", "Data management"),
    ("ADMIN", "Administration (shared)", "Management"),
]


def _cost_centres(demo: _Demo) -> None:
    """The cost-centre list: HR's pay runs (which run first) registered their units by code;
    name them, and add the rest."""
    from bo_console.finance import cost_centres
    from bo_console.finance.cost_centre_models import CostCentreCreate

    session = demo.ctx.session
    known = {c.code for c in cost_centres.list_cost_centres(session, demo.manager)}
    for code, name, department in COST_CENTRES:
        if code in known:
            cost_centres.update_cost_centre(
                session, demo.manager, code, name=name, department=department
            )
        else:
            cost_centres.add_cost_centre(
                session, demo.manager, CostCentreCreate(code=code, name=name, department=department)
            )


def build(ctx: DemoContext) -> None:
    """Add parties, the year's trade, invoices, bills and payments up to the demo date."""
    from bo_console.finance.ledger.batch import posting_batch

    rng = random.Random(3_2026)
    demo = _Demo(ctx=ctx, clerk=ctx.staff("omar"), manager=ctx.staff("layla"), rng=rng)
    _cost_centres(demo)
    _parties(demo)
    _plan_sales(demo, ctx.today)
    _plan_purchases(demo, ctx.today)
    # The year's documents, payments and entries share one read of the controls, parties,
    # tax codes and numbering heads.
    with posting_batch(ctx.session):
        _run(demo, ctx.today)
        _drafts(demo, ctx.today)


def _drafts(demo: _Demo, today: date) -> None:
    """Work in progress on the demo date: an invoice and a bill waiting to be checked."""
    from bo_console.finance import documents
    from bo_console.finance.document_models import DocumentCreate, DocumentLineCreate

    for kind, party, lines in (
        (
            "invoice",
            "C0003",
            [("Hotel amenity kit", 1_500_000, "9.85", "S15", None)],
        ),
        (
            "bill",
            "S0003",
            [("Freight inward - November containers", 1_000, "7350.00", "S15", "5120")],
        ),
    ):
        documents.create_document(
            demo.ctx.session,
            demo.clerk,
            DocumentCreate(
                kind=kind,
                party=party,
                date=today,
                memo="Check quantities against the delivery note before posting",
                lines=[
                    DocumentLineCreate(
                        description=d, quantity=q, unit_price=_amount(p), tax_code=c, account=a
                    )
                    for d, q, p, c, a in lines
                ],
            ),
        )
