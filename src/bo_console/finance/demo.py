"""Finance's part of ``bo demo``: a year of books for Al Noor Trading ending at the demo date.

Deterministic (its own seeded generator) and entered through the ledger service, so the demo's
entries, numbers, balances and audit trail are what the real commands make. December 2025 to
November 2026: opening balances (no receivables or payables: every amount owed is a document,
so the aged reports equal the control accounts), salaries (HR's payroll posts from August
2026 on, so earlier months are accrued by hand), rent and utilities with their VAT tax-coded,
bank transfers, petty cash, depreciation, quarterly VAT settlements (moved into the VAT
settlement account, then paid), one reversed duplicate, a few drafts awaiting approval, the
two current accounts' monthly statements imported and reconciled (``bank_demo``), and every
month up to September 2026 closed, each quarter's VAT return filed before its last month.
The opening balances are a builder of their own (:func:`open_books`). The smaller invoices,
service bills and their payments are the receivables and payables builder's
(``documents_demo``); the trade in goods (purchase orders, receipts and their bills, sales
orders, deliveries posting cost of sales, their invoices and payments) is logistics'. Both run
before :func:`build`, so its VAT settlements and bank statements include them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.security import Actor
    from bo_console.demo import DemoContext
    from bo_console.finance.models import EntryCreate

FIRST_MONTH = (2025, 12)
LAST_CLOSED = "2026-09"
PAYROLL_LIVE = "2026-08"
"""From this month HR's pay runs post salaries; the months before are accrued by hand."""

UNITS = {  # cost centre: monthly gross pay (SAR), as HR's demo organisation has them
    "EXEC": 160_000,
    "FIN": 260_000,
    "HR": 135_000,
    "IT": 255_000,
    "LOG": 520_000,
    "SALES": 500_000,
    "CS": 240_000,
    "DATA": 105_000,
}
SAR = 100  # minor units per riyal
_QUARTER_DUE = {1: 4, 4: 1, 7: 2, 10: 3}
"""Month a VAT return is filed in -> the quarter it covers (of the previous year for January)."""


_Line = tuple[str, int, int, str] | tuple[str, int, int, str, str]
"""(account, debit, credit, cost centre[, tax code]) in minor units."""


@dataclass
class _Books:
    ctx: DemoContext
    clerk: Actor
    rng: random.Random
    count: int = 0
    pending: list[EntryCreate] = field(default_factory=list)

    def post(
        self, day: date, memo: str, *lines: _Line, draft: bool = False, source: str = "manual"
    ) -> None:
        """Post (or save as a draft) an entry of (account, debit, credit, cost centre) lines,
        or (account, debit, credit, cost centre, tax code) ones. Entries to post wait in
        :attr:`pending` for :meth:`flush`, which posts them in order in one batch."""
        from bo_console.finance import service

        data = self._entry(day, memo, lines, source)
        if draft:
            self.flush()
            service.create_draft(self.ctx.session, self.clerk, data)
        else:
            self.pending.append(data)
        self.count += 1

    def post_now(self, day: date, memo: str, *lines: _Line) -> str:
        """Post an entry at once (after those waiting); returns its number."""
        from bo_console.finance import service

        self.flush()
        self.count += 1
        data = self._entry(day, memo, lines, "manual")
        return service.post_entry(self.ctx.session, self.clerk, data).ref

    def flush(self) -> None:
        """Post the entries waiting, in the order they were entered."""
        from bo_console.finance import service

        if self.pending:
            service.post_entries(self.ctx.session, self.clerk, self.pending)
            self.pending = []

    @staticmethod
    def _entry(day: date, memo: str, lines: tuple[_Line, ...], source: str) -> EntryCreate:
        from bo_console.finance.models import EntryCreate, LineCreate

        data = EntryCreate(
            date=day,
            memo=memo,
            source=source,
            lines=[
                LineCreate(
                    account=line[0],
                    debit=line[1],
                    credit=line[2],
                    cost_centre=line[3] or None,
                    tax_code=line[4] if len(line) > 4 else None,
                )
                for line in lines
                if line[1] or line[2]
            ],
        )
        return data

    def amount(self, low: int, high: int, step: int = 1) -> int:
        """A whole-riyal-ish amount in minor units, with some halalas now and then."""
        riyals = self.rng.randrange(low, high, step)
        halalas = self.rng.choice([0, 0, 0, 25, 50, 75, 5])
        return riyals * SAR + halalas


def _months(end: date) -> list[tuple[date, date]]:
    """(first day, last day) of each month from FIRST_MONTH to the month of ``end``."""
    out = []
    year, month = FIRST_MONTH
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        nxt = date(year + month // 12, month % 12 + 1, 1)
        out.append((first, min(nxt - timedelta(days=1), end)))
        year, month = nxt.year, nxt.month
    return out


def _vat(net: int) -> int:
    from bo_console.core.money import apply_rate

    return apply_rate(net, "0.15")


def _opening(books: _Books, day: date) -> None:
    from bo_console.finance.documents_demo import OPENING_STOCK

    books.post(
        day,
        "Opening balances brought forward",
        ("1110", 9_500_000 * SAR, 0, ""),
        ("1120", 2_250_000 * SAR, 0, ""),
        ("1140", 40_000 * SAR, 0, ""),
        ("1310", OPENING_STOCK, 0, ""),
        ("1530", 1_450_000 * SAR, 0, ""),
        ("1540", 380_000 * SAR, 0, ""),
        ("1550", 520_000 * SAR, 0, ""),
        ("1560", 760_000 * SAR, 0, ""),
        ("1450", 150_000 * SAR, 0, ""),
        ("2510", 0, 3_000_000 * SAR, ""),
        ("3100", 0, 10_000_000 * SAR, ""),
        ("3200", 0, 1_000_000 * SAR, ""),
        # The end-of-service provision (2520) is HR's opening entry against retained
        # earnings: what the staff had earned before its first pay run (August 2026).
        ("3300", 0, 4_450_000 * SAR, ""),
        source="opening",
    )


def _salaries(books: _Books, last: date) -> None:
    """The month's payroll accrual and payment, as finance entered it before HR's pay runs."""
    month = f"{last.year}-{last.month:02d}"
    lines: list[tuple[str, int, int, str]] = []
    gross_total = si_employer = si_employee = 0
    for unit, gross in UNITS.items():
        amount = (gross + books.rng.randrange(-4_000, 4_000)) * SAR
        employer = amount * 12 // 100
        gross_total += amount
        si_employer += employer
        si_employee += amount * 10 // 100
        lines += [("6100", amount, 0, unit), ("6110", employer, 0, unit)]
    net = gross_total - si_employee
    books.post(
        last,
        f"Payroll {month} (accrued by finance)",
        *lines,
        ("2310", 0, si_employer + si_employee, ""),
        ("2120", 0, net, ""),
    )
    # Accrued expenses, not payroll payable: 2300 is the payroll sub-ledger's control account.
    books.post(last, f"Salaries {month} paid", ("2120", net, 0, ""), ("1110", 0, net, ""))


def _overheads(books: _Books, first: date, last: date) -> None:
    month = f"{first.year}-{first.month:02d}"
    rent = 185_000 * SAR
    books.post(
        first,
        f"Rent {month} - warehouse Dammam and head office Riyadh",
        ("6200", rent, 0, "LOG", "S15"),
        ("1430", _vat(rent), 0, "", "S15"),
        ("1110", 0, rent + _vat(rent), ""),
    )
    for code, label, low, high, unit in (
        ("6210", "Saudi Electricity Co.", 38_000, 61_000, "LOG"),
        ("6220", "STC telephone and internet", 9_000, 12_500, "IT"),
        ("6430", "Software subscriptions", 14_000, 19_000, "IT"),
        ("6320", "Fuel and vehicle service", 21_000, 34_000, "LOG"),
        ("6300", "Advertising - Google and Snapchat", 25_000, 60_000, "SALES"),
    ):
        amount = books.amount(low, high)
        books.post(
            first + timedelta(days=books.rng.randrange(5, 20)),
            f"{label} {month}",
            (code, amount, 0, unit, "S15"),
            ("1430", _vat(amount), 0, "", "S15"),
            ("1110", 0, amount + _vat(amount), ""),
        )
    charges = books.amount(600, 2_400)
    books.post(last, f"Bank charges {month}", ("6410", charges, 0, "FIN"), ("1110", 0, charges, ""))
    petty = books.amount(3_000, 6_500)
    books.post(first, f"Petty cash top-up {month}", ("1150", petty, 0, ""), ("1110", 0, petty, ""))
    books.post(
        last,
        f"Petty cash vouchers {month}",
        ("6230", petty * 6 // 10, 0, "ADMIN"),
        ("6260", petty - petty * 6 // 10, 0, "ADMIN"),
        ("1150", 0, petty, ""),
    )
    depreciation = [("1535", 24_200), ("1545", 6_300), ("1555", 14_400), ("1565", 12_700)]
    books.post(
        last,
        f"Depreciation {month}",
        ("6500", sum(a for _, a in depreciation) * SAR, 0, "ADMIN"),
        *[(code, 0, amount * SAR, "") for code, amount in depreciation],
    )


def _balances(books: _Books, before: date, *codes: str) -> dict[str, int]:
    """Debit minus credit of accounts over the months before ``before`` (minor units)."""
    from sqlalchemy import bindparam, text

    books.flush()
    rows = books.ctx.session.execute(
        text(
            "SELECT a.code, COALESCE(SUM(b.debit) - SUM(b.credit), 0) FROM fin_account a "
            "LEFT JOIN fin_balance b ON b.account_id = a.id AND b.period < :p "
            "WHERE a.code IN :codes GROUP BY a.code"
        ).bindparams(bindparam("codes", expanding=True)),
        {"p": f"{before.year}-{before.month:02d}", "codes": list(codes)},
    ).all()
    return {str(code): int(net) for code, net in rows}


def _month_start(books: _Books, first: date) -> None:
    """Pay last month's social insurance and benefits; keep the main bank account funded."""
    month = f"{first.year}-{first.month:02d}"
    owed = _balances(books, first, "2310", "2320", "1110", "1120")
    for code, label in (("2310", "GOSI contributions"), ("2320", "Employee benefits")):
        if owed[code] < 0:
            books.post(
                first + timedelta(days=9),
                f"{label} paid for the month before {month}",
                (code, -owed[code], 0, ""),
                ("1110", 0, -owed[code], ""),
            )
    rajhi, snb = owed["1110"], owed["1120"]
    if rajhi < 6_000_000 * SAR and snb > 2_000_000 * SAR:
        amount = min(snb - 1_000_000 * SAR, 6_000_000 * SAR - rajhi) // (100_000 * SAR)
        if amount > 0:
            books.post(
                first + timedelta(days=1),
                f"Transfer SNB to Al Rajhi {month}",
                ("1110", amount * 100_000 * SAR, 0, ""),
                ("1120", 0, amount * 100_000 * SAR, ""),
            )


def _vat_settlement(books: _Books, day: date, quarter: str) -> None:
    """Clear the quarter's output and input VAT into the settlement account, then pay it."""
    balances = _balances(books, day, "2210", "1430")
    output, input_ = -balances["2210"], balances["1430"]
    if output <= 0 or input_ <= 0:
        return
    due = output - input_
    books.post(
        day,
        f"VAT return {quarter}",
        ("2210", output, 0, ""),
        ("1430", 0, input_, ""),
        ("2220", max(-due, 0), max(due, 0), ""),
    )
    if due > 0:
        books.post(
            day + timedelta(days=10),
            f"VAT paid to ZATCA {quarter}",
            ("2220", due, 0, ""),
            ("1110", 0, due, ""),
        )


def open_books(ctx: DemoContext) -> None:
    """Post the opening balances on the first day of the demo year (a builder of its own:
    logistics takes the opening stock on from them before the rest of the year is entered)."""
    books = _Books(ctx=ctx, clerk=ctx.staff("omar"), rng=random.Random(88_2026))
    _opening(books, _months(ctx.today)[0][0])
    books.flush()


def build(ctx: DemoContext) -> None:
    """Add the year of finance activity and close the past months (runs after HR's pay runs,
    the documents and logistics' year of stock entries have posted into them)."""
    from bo_console.finance import bank_demo, service, vat

    rng = random.Random(88_2026)
    books = _Books(ctx=ctx, clerk=ctx.staff("omar"), rng=rng)
    manager = ctx.staff("layla")
    months = _months(ctx.today)
    for first, last in months:
        key = f"{first.year}-{first.month:02d}"
        if first != months[0][0]:
            _month_start(books, first)
        _overheads(books, first, last)
        if key < PAYROLL_LIVE and last.day > 27:
            _salaries(books, last)
        quarter = _QUARTER_DUE.get(first.month)
        if quarter is not None:
            year = first.year - 1 if quarter == 4 else first.year
            _vat_settlement(books, first + timedelta(days=14), f"{year} Q{quarter}")
    # A utility bill entered twice by mistake, and its correction.
    duplicate = books.post_now(
        date(2026, 10, 14),
        "Saudi Electricity Co. 2026-10 (entered twice)",
        ("6210", 48_215_50, 0, "LOG", "S15"),
        ("1430", _vat(48_215_50), 0, "", "S15"),
        ("1110", 0, 48_215_50 + _vat(48_215_50), ""),
    )
    service.reverse_entry(
        ctx.session,
        manager,
        duplicate,
        on=date(2026, 10, 20),
        memo=f"Reversal of {duplicate}: duplicate electricity bill",
    )
    # Work in progress on the demo date: drafts waiting to be checked and posted.
    books.post(
        ctx.today,
        "Accrual: November electricity (estimate)",
        ("6210", 52_000 * SAR, 0, "LOG"),
        ("2120", 0, 52_000 * SAR, ""),
        draft=True,
    )
    books.post(
        ctx.today - timedelta(days=1),
        "Office chairs for customer service - check the receipt total",
        ("1540", 18_600 * SAR, 0, "CS", "S15"),
        ("1430", _vat(18_600 * SAR), 0, "", "S15"),
        ("1150", 0, 21_000 * SAR, ""),
        draft=True,
    )
    # The bank's statements up to last month, reconciled; each quarter's VAT return filed
    # before its last month closes (the month-end checklist asks for both).
    books.flush()
    bank_demo.build(ctx.session, manager, months[0][0], ctx.today)
    vat.set_filing(ctx.session, manager, "quarterly")
    for first, _ in months:
        key = f"{first.year}-{first.month:02d}"
        if key <= LAST_CLOSED:
            if first.month % 3 == 0:
                vat.file_return(ctx.session, manager, f"{first.year}-Q{first.month // 3}")
            # Logistics' year is in by now; IT's register is laid down after this, and data
            # management's builder takes the month-end snapshots once every department is in.
            service.close_period(ctx.session, manager, key, after_close=False)
