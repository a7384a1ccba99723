"""Filing a VAT return: its figures kept as filed, corrections and carried credit.

Filing records boxes 13 to 16 of a period whose last day has passed. Afterwards:

- box 14 of the next return is what the filed returns' own VAT due has become since (a bill
  posted late into a filed period), less what later filed returns already corrected;
- box 15 of the next return is the previous filed return's credit, when its box 16 was
  negative (ZATCA carries a credit forward unless a refund is asked for).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from bo_console.core.errors import RuleViolation

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.vat_models import VatFiling


def find_filing(session: Session, period: str) -> VatFiling | None:
    """The filed return of ``period`` (canonical name), if filed."""
    from sqlmodel import select

    from bo_console.finance.vat_models import VatFiling

    return session.exec(select(VatFiling).where(VatFiling.period == period)).first()


def carried_in(session: Session, first_day: date) -> tuple[int, int]:
    """(box 14, box 15) for a return starting ``first_day``, from the returns filed before it
    (minor units)."""
    from sqlmodel import col, select

    from bo_console.finance.vat.returns import bad_debt_relief, vat_due_of
    from bo_console.finance.vat_models import VatFiling

    earlier = list(
        session.exec(
            select(VatFiling)
            .where(VatFiling.last_day < first_day)
            .order_by(col(VatFiling.last_day))
        ).all()
    )
    if not earlier:
        return 0, 0
    drift = sum(vat_due_of(session, f.first_day, f.last_day) - f.vat_due for f in earlier)
    # what filed returns corrected of earlier drift: their box 14 without their bad-debt relief
    corrected = sum(
        f.corrections + bad_debt_relief(session, f.first_day, f.last_day) for f in earlier
    )
    previous = earlier[-1]
    return drift - corrected, max(0, -previous.net_due)


@dataclass(frozen=True)
class FilingView:
    """A filed return as lists and the command line show it."""

    period: str
    first_day: date
    last_day: date
    output_vat: Decimal
    input_vat: Decimal
    vat_due: Decimal
    corrections: Decimal
    credit_brought_forward: Decimal
    net_due: Decimal
    filed_at: datetime
    filed_by: str


def _view(session: Session, row: VatFiling) -> FilingView:
    from bo_console.core.money import base_currency

    money = base_currency(session).from_minor
    return FilingView(
        period=row.period,
        first_day=row.first_day,
        last_day=row.last_day,
        output_vat=money(row.output_vat),
        input_vat=money(row.input_vat),
        vat_due=money(row.vat_due),
        corrections=money(row.corrections),
        credit_brought_forward=money(row.credit_brought_forward),
        net_due=money(row.net_due),
        filed_at=row.filed_at,
        filed_by=row.filed_by,
    )


def file_return(session: Session, actor: Actor, period: str) -> FilingView:
    """File the VAT return of a month or quarter (finance managers): keep boxes 13-16 as
    they are now. Audited.

    Raises:
        RuleViolation: already filed, the period has not ended, or a later period is filed.
    """
    from sqlmodel import select

    from bo_console.core import audit
    from bo_console.core.clock import today
    from bo_console.finance.vat.returns import zatca_return
    from bo_console.finance.vat_models import VatFiling

    actor.require("finance.manage", "file VAT returns")
    vat = zatca_return(session, actor, period)
    if vat.filed:
        raise RuleViolation(f"the VAT return {vat.period} is already filed")
    if vat.last_day >= today():
        raise RuleViolation(f"{vat.period} has not ended; file its return after {vat.last_day}")
    later = session.exec(select(VatFiling).where(VatFiling.first_day > vat.last_day)).first()
    if later is not None:
        raise RuleViolation(f"{later.period} is already filed; returns are filed in order")
    from bo_console.core.money import base_currency

    minor = base_currency(session).to_minor
    row = VatFiling(
        period=vat.period,
        first_day=vat.first_day,
        last_day=vat.last_day,
        output_vat=minor(vat.output_vat),
        input_vat=minor(vat.input_vat),
        vat_due=minor(vat.vat_due),
        corrections=minor(vat.corrections),
        credit_brought_forward=minor(vat.credit_brought_forward),
        net_due=minor(vat.net_due),
        filed_by=actor.login,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="file",
        entity="vat_return",
        entity_id=vat.period,
        changes={"vat_due": (None, vat.vat_due), "net_due": (None, vat.net_due)},
    )
    return _view(session, row)


def list_filings(db: Reads, actor: Actor) -> list[FilingView]:
    """Every filed VAT return, latest first (through a Reader or a session)."""
    from bo_console.core.lookups import base_currency_of, day_of, moment_of
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "list filed VAT returns")
    reader = reader_of(db)
    money = base_currency_of(reader).from_minor
    rows = reader.rows(
        "SELECT period, first_day, last_day, output_vat, input_vat, vat_due, corrections,"
        " credit_brought_forward, net_due, filed_at, filed_by FROM fin_vat_return"
        " ORDER BY last_day DESC"
    )
    return [
        FilingView(
            period=period,
            first_day=cast("date", day_of(first)),
            last_day=cast("date", day_of(last)),
            output_vat=money(int(output_vat)),
            input_vat=money(int(input_vat)),
            vat_due=money(int(due)),
            corrections=money(int(corrections)),
            credit_brought_forward=money(int(brought)),
            net_due=money(int(net_due)),
            filed_at=cast("datetime", moment_of(filed_at)),
            filed_by=filed_by,
        )
        for (period, first, last, output_vat, input_vat, due, corrections, brought, net_due,
             filed_at, filed_by) in rows
    ]  # fmt: skip


def vat_return_unfiled(db: Reads, month: str) -> list[str]:
    """For the month-end checklist: what is wrong when ``month`` (``YYYY-MM``) is the last
    month of a VAT period (every month when filing monthly, March, June, September and
    December when quarterly) whose return is not filed. A period counts once VAT is in use:
    the filing period was set (``bo finance vat filing``) or a return was filed, and a VAT
    account moved in the period or a document is dated in it. Read through a Reader or a
    session."""
    import calendar

    from bo_console.core import settings
    from bo_console.core.reading import reader_of
    from bo_console.finance.vat.returns import FILING_SETTING, filing

    reader = reader_of(db)
    year, number = int(month[:4]), int(month[5:7])
    if filing(reader) == "quarterly":
        if number % 3:
            return []
        name, first = f"{year}-Q{number // 3}", date(year, number - 2, 1)
    else:
        name, first = month, date(year, number, 1)
    last = date(year, number, calendar.monthrange(year, number)[1])
    if reader.first("SELECT 1 FROM fin_vat_return WHERE period = :p", {"p": name}) is not None:
        return []
    files = settings.get(reader, FILING_SETTING) or reader.first(
        "SELECT 1 FROM fin_vat_return LIMIT 1"
    )
    if not files:
        return []
    dates = {"a": first, "b": last}
    in_use = reader.first(
        "SELECT 1 FROM fin_document WHERE status <> 'draft' AND date BETWEEN :a AND :b "
        "UNION ALL SELECT 1 FROM fin_line WHERE date BETWEEN :a AND :b AND account_id IN "
        "(SELECT output_account_id FROM fin_tax_code UNION "
        "SELECT input_account_id FROM fin_tax_code) LIMIT 1",
        dates,
    )
    if in_use is None:
        return []
    return [f"the VAT return {name} is not filed (bo finance vat file --period {name})"]
