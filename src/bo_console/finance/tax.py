"""VAT: tax codes, the one rounding rule for documents, and the VAT return for a month.

The rule (ZATCA's, for e-invoice lines): a line's net is its quantity times its unit price,
rounded half away from zero to a minor unit, and its tax is that net times the line's rate,
rounded the same way. A document's tax is the sum of its lines' taxes and its total is net
plus tax, so every printed line checks as net times rate. Three lines of 0.10 at 15 % carry
0.02 each (0.015 rounded), 0.06 in all.

A reverse-charge code (``treatment`` ``reverse_charge``, services bought from abroad) charges
no tax on the supplier's bill: the bill's lines carry no tax and its total is its net. The
buyer accounts for the tax itself when the bill is posted, in an entry of its own (source
``reverse_charge``, the bill's number): each line's net times the rate, debited to the code's
input VAT account and credited to its output VAT account (:func:`reverse_charge_tax`). That
entry's lines carry the code, so the return declares them as journal lines below.

The VAT return of a month declares, per side (sales, purchases) and tax code:

- the posted documents dated in it (invoices and bills add, credit notes subtract in the month
  of the credit note), from their lines;
- every posted journal line dated in it that carries a tax code and is not a document's own
  posting (manual entries, imports, reversals of them, other services' postings): a line on a
  tax code's output VAT account is output tax (credit less debit), one on an input VAT
  account is input tax (debit less credit); any other line is the net the tax was charged
  on, a sale on an income account (credit less debit) and a purchase on any other account
  (debit less credit). So a cash sale entered by hand as ``4100 credit 1,000 S15`` and
  ``2210 credit 150 S15`` declares 1,000 of standard-rated sales and 150 of output tax.

Beside it stands the ledger: everything the VAT output and input accounts (those named by the
tax codes) moved in the month on posted lines, whatever their source or tax code, except
settlement transfers. A settlement transfer is an entry whose every line is on a VAT account
or the VAT settlement account and carries no tax code (a return's balances moved into the
settlement account, say): it moves tax already declared and changes no one's tax, so it is
shown on its own (``settled_*``) rather than as movement. Anything else on those accounts
without a tax code (VAT keyed in by hand, untagged) is in the ledger but not in the return,
so the difference shows and the return does not tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor
    from bo_console.finance.document_models import TaxCode

# code, name, Arabic name, category, rate (basis points), treatment
SEED_TAX_CODES: list[tuple[str, str, str, str, int, str]] = [
    ("S15", "Standard rate 15%", "النسبة الأساسية 15٪", "standard", 1500, "domestic"),
    ("Z", "Zero-rated", "خاضع بنسبة صفر", "zero", 0, "domestic"),
    ("E", "Exempt", "معفى", "exempt", 0, "domestic"),
    ("ZX", "Zero-rated export", "صادرات خاضعة بنسبة صفر", "zero", 0, "export"),
    (
        "IMP15",
        "Import VAT paid at customs 15%",
        "استيراد مدفوع في الجمارك 15٪",
        "standard",
        1500,
        "import",
    ),
    ("RC15", "Reverse charge 15%", "احتساب عكسي 15٪", "standard", 1500, "reverse_charge"),
]
"""The tax codes ``bo init`` seeds (the first three also in the ``0004`` migration for
existing databases, the others in ``0011``). The treatment places a code's lines in the
VAT return's boxes (``finance.vat``): ZX in exports, IMP15 in imports with VAT paid at
customs, RC15 in imports under the reverse charge."""


# -- the rounding rule --------------------------------------------------------------------------


def line_net(quantity: int, unit_price: int) -> int:
    """Quantity (thousandths) times unit price (minor units), half away from zero."""
    from bo_console.core.money import round_minor
    from bo_console.finance.document_models import QTY_SCALE

    return round_minor(Decimal(quantity * unit_price) / QTY_SCALE, 0)


def tax_of(base: int, rate_bp: int) -> int:
    """Tax on ``base`` minor units at ``rate_bp`` basis points, half away from zero."""
    from bo_console.core.money import round_minor

    return round_minor(Decimal(base * rate_bp).scaleb(-4), 0)


def line_taxes(lines: Sequence[tuple[str, int]], rates: dict[str, int]) -> list[int]:
    """The tax of each (tax code, net) line: the line's net times its code's rate, rounded
    per line. ``rates`` gives a reverse-charge code a rate of 0 (its tax is not charged on the
    document; see :func:`reverse_charge_tax`)."""
    return [tax_of(net, rates[code]) for code, net in lines]


def line_amounts(
    lines: Sequence[tuple[int, int, str]], rates: dict[str, int]
) -> tuple[list[int], list[int]]:
    """The net and the tax of each (quantity, unit price, tax code) line of a document, by
    the rounding rule above: what a document is saved with and what its form shows as typed."""
    nets = [line_net(quantity, price) for quantity, price, _ in lines]
    taxes = line_taxes([(code, net) for (_, _, code), net in zip(lines, nets, strict=True)], rates)
    return nets, taxes


def document_totals(
    lines: Sequence[tuple[int, int, str]], rates: dict[str, int]
) -> tuple[int, int]:
    """A document's net and tax totals (minor units) from its lines, as :func:`line_amounts`."""
    nets, taxes = line_amounts(lines, rates)
    return sum(nets), sum(taxes)


def document_rates(codes: dict[str, TaxCode]) -> dict[str, int]:
    """The rate each code charges on a document's lines: none for reverse-charge codes."""
    return {c: 0 if t.treatment == "reverse_charge" else t.rate_bp for c, t in codes.items()}


def reverse_charge_tax(net: int, code: TaxCode) -> int:
    """The tax the buyer accounts for on one reverse-charge line (0 for any other code)."""
    return tax_of(net, code.rate_bp) if code.treatment == "reverse_charge" else 0


# -- tax codes ----------------------------------------------------------------------------------


def seed(session: Session) -> None:
    """Add the seed tax codes that are missing (``bo init``, after the chart)."""
    from bo_console.finance.chart import role_code
    from bo_console.finance.document_models import TaxCode
    from bo_console.finance.models import Account

    def account_id(role: str) -> int | None:
        from sqlmodel import select

        account = session.exec(select(Account).where(Account.code == role_code(session, role)))
        found = account.first()
        return found.id if found is not None else None

    for code, name, name_ar, category, rate, treatment in SEED_TAX_CODES:
        if session.get(TaxCode, code) is not None:
            continue
        output_id = account_id("vat_output") if rate else None
        input_id = account_id("vat_input") if rate else None
        if rate and (output_id is None or input_id is None):
            continue  # a chart without VAT accounts: the code is added by hand later
        session.add(
            TaxCode(
                code=code,
                name=name,
                name_ar=name_ar,
                category=category,
                rate_bp=rate,
                treatment=treatment,
                output_account_id=output_id,
                input_account_id=input_id,
            )
        )
    session.flush()


@dataclass(frozen=True)
class TaxCodeView:
    code: str
    name: str
    name_ar: str
    category: str
    rate: Decimal
    output_account: str
    input_account: str
    active: bool
    treatment: str = "domestic"


def rate_percent(rate_bp: int) -> Decimal:
    """Basis points as a percentage: ``1500`` -> ``15.00``."""
    return Decimal(rate_bp).scaleb(-2).quantize(Decimal("0.01"))


def list_tax_codes(db: Reads, actor: Actor) -> list[TaxCodeView]:
    """Every tax code, active first (read through a Reader or a session)."""
    from bo_console.core.reading import reader_of
    from bo_console.finance.accounts import load_chart

    actor.require("finance.read", "read tax codes")
    reader = reader_of(db)
    chart = load_chart(reader)

    def code_of(account_id: int | None) -> str:
        return chart.accounts[account_id].code if account_id in chart.accounts else ""

    rows = reader.rows(
        "SELECT code, name, name_ar, category, rate_bp, output_account_id, input_account_id, "
        "active, treatment FROM fin_tax_code ORDER BY active DESC, code"
    )
    return [
        TaxCodeView(
            code=str(code),
            name=str(name),
            name_ar=str(name_ar),
            category=str(category),
            rate=rate_percent(int(rate_bp)),
            output_account=code_of(output_id),
            input_account=code_of(input_id),
            active=bool(active),
            treatment=str(treatment),
        )
        for code, name, name_ar, category, rate_bp, output_id, input_id, active, treatment in rows
    ]


def get_tax_code(session: Session, code: str) -> TaxCode:
    """An active tax code by its code (case folded).

    Raises:
        NotFound: no such code.
        RuleViolation: the code is inactive.
    """
    from bo_console.finance.document_models import TaxCode
    from bo_console.finance.ledger.batch import current

    key = code.strip().upper()
    batch = current(session)
    # A posting batch keeps the codes it used, so the session's copies stay in its identity
    # map and are not read again (their changes in the batch are still seen).
    found = batch.tax_codes.get(key) if batch is not None else None
    if found is None:
        found = session.get(TaxCode, key)
        if found is not None and batch is not None:
            batch.tax_codes[key] = found
    if found is None:
        codes = ", ".join(v.code for v in _all_codes(session))
        raise NotFound(f"no tax code {code!r} (one of: {codes})")
    if not found.active:
        raise RuleViolation(f"tax code {found.code} is inactive")
    return found


def _all_codes(session: Session) -> list[TaxCode]:
    from sqlmodel import select

    from bo_console.finance.document_models import TaxCode

    return list(session.exec(select(TaxCode)).all())


def add_tax_code(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    category: str,
    rate_bp: int,
    output_account: str | None = None,
    input_account: str | None = None,
    name_ar: str = "",
    treatment: str = "domestic",
) -> TaxCode:
    """Add a tax code (finance managers). A code that charges tax needs both VAT accounts;
    ``treatment`` is one of ``TAX_TREATMENTS`` (a reverse charge needs a rate; ``citizen``
    is standard-rated)."""
    from bo_console.core import audit
    from bo_console.core.text import clean
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.document_models import TAX_CATEGORIES, TAX_TREATMENTS, TaxCode

    actor.require("finance.manage", "add tax codes")
    code = clean(code).upper()
    if not code or len(code) > 16 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationFailed("a tax code is 1 to 16 letters, digits, '-' or '_'")
    if session.get(TaxCode, code) is not None:
        raise RuleViolation(f"tax code {code} already exists")
    if category not in TAX_CATEGORIES:
        raise ValidationFailed(f"category must be one of {', '.join(TAX_CATEGORIES)}")
    if treatment not in TAX_TREATMENTS:
        raise ValidationFailed(f"treatment must be one of {', '.join(TAX_TREATMENTS)}")
    if treatment == "reverse_charge" and not rate_bp:
        raise ValidationFailed("a reverse-charge code needs a rate above zero")
    if treatment == "citizen" and category != "standard":
        raise ValidationFailed(
            "a citizen code (sales whose VAT the state bears: box 2) is standard-rated"
        )
    charges = category in ("standard", "reduced")
    if charges != (rate_bp > 0) or not 0 <= rate_bp <= 10_000:
        raise ValidationFailed(
            "standard and reduced codes have a rate above zero; the others have none"
        )
    chart = load_chart(session)
    ids: list[int | None] = []
    for label, account in (("output", output_account), ("input", input_account)):
        if not charges:
            ids.append(None)
            continue
        if not account:
            raise ValidationFailed(f"a code that charges tax needs its {label} VAT account")
        found = chart.get(account)
        if not found.postable or not found.active:
            raise ValidationFailed(f"{found.code} is not an active postable account")
        ids.append(found.id)
    row = TaxCode(
        code=code,
        name=clean(name),
        name_ar=clean(name_ar),
        category=category,
        rate_bp=rate_bp,
        treatment=treatment,
        output_account_id=ids[0],
        input_account_id=ids[1],
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="tax_code",
        entity_id=code,
        changes={
            "name": (None, row.name),
            "category": (None, category),
            "rate": (None, rate_percent(rate_bp)),
            "treatment": (None, treatment),
        },
    )
    return row


# -- VAT return ---------------------------------------------------------------------------------


def month_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` month."""
    import calendar

    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class VatRow:
    """One tax code on one side of the return (sales or purchases)."""

    side: str
    code: str
    name: str
    rate: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class VatReturn:
    """Output tax on sales less input tax on purchases for a month, beside the ledger.

    ``output_tax`` and ``input_tax`` are what the return declares; ``ledger_output_tax`` and
    ``ledger_input_tax`` what the VAT accounts moved in the month (settlement transfers
    apart, in ``settled_output_tax`` and ``settled_input_tax``: output and input tax cleared
    out of those accounts by them)."""

    period: str
    currency: str
    rows: tuple[VatRow, ...]
    output_tax: Decimal
    input_tax: Decimal
    ledger_output_tax: Decimal
    ledger_input_tax: Decimal
    settled_output_tax: Decimal = Decimal(0)
    settled_input_tax: Decimal = Decimal(0)

    @property
    def net_payable(self) -> Decimal:
        """What is due to the tax authority (negative: a refund is due)."""
        return self.output_tax - self.input_tax

    @property
    def output_difference(self) -> Decimal:
        """Output tax the ledger moved but the return does not declare (negative: the other
        way round)."""
        return self.ledger_output_tax - self.output_tax

    @property
    def input_difference(self) -> Decimal:
        """Input tax the ledger moved but the return does not claim (negative: the other way
        round)."""
        return self.ledger_input_tax - self.input_tax

    @property
    def ties(self) -> bool:
        """True when the return's output and input tax each equal what the VAT accounts moved
        in the ledger that month."""
        return not self.output_difference and not self.input_difference


_DOCUMENT_LINES = """
    SELECT d.kind, l.tax_code, SUM(l.net), SUM(l.tax)
    FROM fin_document d JOIN fin_document_line l ON l.document_id = d.id
    WHERE d.status <> 'draft' AND d.date BETWEEN :a AND :b
    GROUP BY d.kind, l.tax_code
"""

_JOURNAL_TAX_LINES = """
    SELECT l.account_id, a.type, l.tax_code, SUM(l.debit), SUM(l.credit)
    FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
    JOIN fin_account a ON a.id = l.account_id
    WHERE e.state <> 'draft' AND l.tax_code IS NOT NULL AND l.date BETWEEN :a AND :b
      AND e.id NOT IN (SELECT entry_id FROM fin_document WHERE entry_id IS NOT NULL)
    GROUP BY l.account_id, a.type, l.tax_code
"""

_VAT_ENTRIES = """
    SELECT l.entry_id,
           SUM(CASE WHEN l.account_id IN :out_ids THEN l.credit - l.debit ELSE 0 END),
           SUM(CASE WHEN l.account_id IN :in_ids THEN l.debit - l.credit ELSE 0 END),
           MIN(CASE WHEN l.account_id IN :transfer_ids AND l.tax_code IS NULL
                    THEN 1 ELSE 0 END)
    FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
    WHERE e.state <> 'draft' AND l.entry_id IN (
        SELECT entry_id FROM fin_line
        WHERE account_id IN :vat_ids AND date BETWEEN :a AND :b)
    GROUP BY l.entry_id
"""


@dataclass(frozen=True)
class _VatCode:
    """What the VAT return needs of a tax code (read without the ORM)."""

    code: str
    name: str
    rate_bp: int
    output_account_id: int | None
    input_account_id: int | None


def _vat_codes(reader: Reader) -> list[_VatCode]:
    return [
        _VatCode(str(code), str(name), int(rate_bp or 0), output_id, input_id)
        for code, name, rate_bp, output_id, input_id in reader.rows(
            "SELECT code, name, rate_bp, output_account_id, input_account_id FROM fin_tax_code"
        )
    ]


def vat_return(db: Reads, actor: Actor, period: str) -> VatReturn:
    """The VAT return for a ``YYYY-MM`` month (see the module's docstring for what counts),
    read through a Reader or a session."""
    from bo_console.core.money import base_currency
    from bo_console.core.reading import reader_of
    from bo_console.finance.fiscal import parse_period

    actor.require("finance.read", "prepare the VAT return")
    period = parse_period(period)
    first, last = month_bounds(period)
    reader = reader_of(db)
    currency = base_currency(reader)
    dates = {"a": first, "b": last}
    codes = {c.code: c for c in _vat_codes(reader)}
    output_ids = sorted({c.output_account_id for c in codes.values() if c.output_account_id})
    input_ids = sorted(
        {c.input_account_id for c in codes.values() if c.input_account_id} - set(output_ids)
    )
    sums: dict[tuple[str, str], tuple[int, int]] = {}

    def add(side: str, code: str, net: int, tax: int) -> None:
        before = sums.get((side, code), (0, 0))
        sums[(side, code)] = (before[0] + net, before[1] + tax)

    for kind, code, net, tax in reader.rows(_DOCUMENT_LINES, dates):
        side = "sales" if kind in ("invoice", "credit_note") else "purchases"
        sign = -1 if kind in ("credit_note", "supplier_credit") else 1
        add(side, str(code), sign * int(net), sign * int(tax))
    for account_id, account_type, code, debit, credit in reader.rows(_JOURNAL_TAX_LINES, dates):
        code, debit, credit = str(code), int(debit), int(credit)
        if account_id in output_ids:
            add("sales", code, 0, credit - debit)
        elif account_id in input_ids:
            add("purchases", code, 0, debit - credit)
        elif account_type == "income":
            add("sales", code, credit - debit, 0)
        else:
            add("purchases", code, debit - credit, 0)
    ledger_output, ledger_input, settled_output, settled_input = ledger_vat(
        reader, first, last, output_ids, input_ids
    )
    output = sum(t for (side, _), (_, t) in sums.items() if side == "sales")
    input_ = sum(t for (side, _), (_, t) in sums.items() if side == "purchases")

    rows = []
    for (side, code), (net, tax) in sorted(sums.items()):
        info = codes.get(code)
        rows.append(
            VatRow(
                side=side,
                code=code,
                name=info.name if info else code,
                rate=rate_percent(info.rate_bp if info else 0),
                net=currency.from_minor(net),
                tax=currency.from_minor(tax),
            )
        )
    return VatReturn(
        period=period,
        currency=currency.code,
        rows=tuple(rows),
        output_tax=currency.from_minor(output),
        input_tax=currency.from_minor(input_),
        ledger_output_tax=currency.from_minor(ledger_output),
        ledger_input_tax=currency.from_minor(ledger_input),
        settled_output_tax=currency.from_minor(settled_output),
        settled_input_tax=currency.from_minor(settled_input),
    )


def ledger_vat(
    db: Reads, first: date, last: date, output_ids: list[int], input_ids: list[int]
) -> tuple[int, int, int, int]:
    """What the VAT accounts moved over the dates (minor units): output and input movement,
    then output and input cleared by settlement transfers (see the module's docstring)."""
    from bo_console.core.reading import reader_of
    from bo_console.finance.chart import role_code

    reader = reader_of(db)
    ledger_output = ledger_input = settled_output = settled_input = 0
    vat_ids = output_ids + input_ids
    if vat_ids:
        settlement = reader.scalar(
            "SELECT id FROM fin_account WHERE code = :code",
            {"code": role_code(reader, "vat_settlement")},
        )
        transfer_ids = [*vat_ids, *([settlement] if settlement is not None else [])]
        for _, out_moved, in_moved, transfer in reader.rows(
            _VAT_ENTRIES,
            {
                "a": first,
                "b": last,
                "out_ids": output_ids or [-1],
                "in_ids": input_ids or [-1],
                "transfer_ids": transfer_ids,
                "vat_ids": vat_ids,
            },
        ):
            if transfer:
                settled_output -= int(out_moved)
                settled_input -= int(in_moved)
            else:
                ledger_output += int(out_moved)
                ledger_input += int(in_moved)

    return ledger_output, ledger_input, settled_output, settled_input
