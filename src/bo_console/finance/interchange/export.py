"""Reading entry lines from a CSV, and exporting the journal (an hledger journal, or our CSV)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bo_console.core.errors import ValidationFailed
from bo_console.core.io import private_output
from bo_console.finance.interchange.formats import (
    OUR_COLUMNS,
)

if TYPE_CHECKING:
    from bo_console.core.money import Currency
    from bo_console.core.reading import Reads, Row
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart


# -- export -------------------------------------------------------------------------------------

_EXPORT_SQL = """
SELECT e.id, e.year, e.number, e.date, e.memo, e.source, e.source_ref, r.year, r.number,
       l.account_id, l.debit, l.credit, l.memo, l.cost_centre, l.tax_code
FROM fin_entry e
JOIN fin_line l ON l.entry_id = e.id
LEFT JOIN fin_entry r ON r.id = e.reverses_id
WHERE e.state <> 'draft' AND e.date >= :a AND e.date <= :b
ORDER BY e.date, e.id, l.line_no
"""
_COUNT_SQL = """
SELECT count(*) FROM fin_entry e JOIN fin_line l ON l.entry_id = e.id
WHERE e.state <> 'draft' AND e.date >= :a AND e.date <= :b
"""


def _hledger_text(value: str) -> str:
    """Text safe on an hledger line: one line, and no ';' (it would start a comment)."""
    return " ".join(value.replace(";", ",").split())


def _range(date_from: date | None, date_to: date | None) -> dict[str, date]:
    return {"a": date_from or date(1, 1, 1), "b": date_to or date(9999, 12, 31)}


def _count_export(db: Reads, date_from: date | None, date_to: date | None) -> int:
    """How many lines :func:`_iter_export` yields (the total a progress bar counts to)."""
    from bo_console.core.reading import reader_of

    return int(reader_of(db).scalar(_COUNT_SQL, _range(date_from, date_to)))


def _counted(
    rows: Iterator[Row], total: int, progress: Callable[[int, int], None]
) -> Iterator[Row]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % 20_000 == 0:
            progress(done, total)
    progress(done, total)


def _iter_export(db: Reads, date_from: date | None, date_to: date | None) -> Iterator[Row]:
    from bo_console.core.read_stream import iter_rows

    return iter_rows(db, _EXPORT_SQL, _range(date_from, date_to))


def _write_hledger(
    db: Reads, out: TextIO, chart: Chart, currency: Currency, rows: Iterator[Row]
) -> int:
    from bo_console.core import settings
    from bo_console.core.clock import utcnow
    from bo_console.finance.accounts import tree_order
    from bo_console.finance.fiscal import entry_ref

    hledger_type = {"asset": "A", "liability": "L", "equity": "E", "income": "R", "expense": "X"}
    company = settings.get(db, "company_name")
    code = currency.code
    out.write(
        f"; bo-console journal export{': ' + _hledger_text(company) if company else ''}\n"
        f"; base currency {code}; written {utcnow():%Y-%m-%d %H:%M} UTC\n"
        "; account balances equal `bo finance report trial-balance` on the same dates\n\n"
    )
    sample = "1000." + "0" * currency.exponent if currency.exponent else "1000"
    out.write(f"commodity {sample} {code}\n\n")
    names: dict[int, str] = {}
    for account in tree_order(chart):
        assert account.id is not None
        names[account.id] = chart.full_name(account.id)
        out.write(f"account {names[account.id]}  ; type: {hledger_type[account.type]}\n")
    out.write("\n")
    width = max((len(n) for n in names.values()), default=20) + 4
    fmt = currency.format
    count = 0
    current = None
    for (
        entry_id,
        year,
        number,
        day,
        memo,
        source,
        source_ref,
        r_year,
        r_number,
        account_id,
        debit,
        credit,
        line_memo,
        cost_centre,
        tax_code,
    ) in rows:
        if entry_id != current:
            if current is not None:
                out.write("\n")
            current = entry_id
            count += 1
            day_text = day if isinstance(day, str) else day.isoformat()
            out.write(f"{day_text} * ({entry_ref(year, number, entry_id)}) {_hledger_text(memo)}\n")
            tags = [f"source: {source}"]
            if source_ref:
                tags.append(f"ref: {_hledger_text(source_ref).replace(',', ' ')}")
            if r_number is not None:
                tags.append(f"reverses: {entry_ref(r_year, r_number, None)}")
            out.write(f"    ; {', '.join(tags)}\n")
        amount = int(debit) - int(credit)
        comment = []
        if line_memo:
            comment.append(_hledger_text(line_memo))
        if cost_centre:
            comment.append(f"cost-centre: {_hledger_text(cost_centre)}")
        if tax_code:
            comment.append(f"tax: {_hledger_text(tax_code)}")
        note = f"  ; {', '.join(comment)}" if comment else ""
        out.write(
            f"    {names[account_id]:<{width}}{fmt(amount, grouping=False):>16} {code}{note}\n"
        )
    return count


def _write_csv(out: TextIO, chart: Chart, currency: Currency, rows: Iterator[Row]) -> int:
    from bo_console.core.io import neutralise
    from bo_console.finance.fiscal import entry_ref

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUR_COLUMNS)
    codes = {i: a.code for i, a in chart.accounts.items()}
    fmt = currency.format
    count = 0
    current = None
    for row in rows:
        entry_id, year, number, day, memo = row[:5]
        debit, credit, line_memo, cost_centre, tax_code = row[10:]
        if entry_id != current:
            current = entry_id
            count += 1
        writer.writerow(
            [
                entry_ref(year, number, entry_id),
                day if isinstance(day, str) else day.isoformat(),
                neutralise(memo),
                codes[row[9]],
                fmt(debit, grouping=False) if debit else "",
                fmt(credit, grouping=False) if credit else "",
                neutralise(line_memo or ""),
                cost_centre or "",
                tax_code or "",
            ]
        )
    return count


def export_journal(
    db: Reads,
    actor: Actor,
    output: Path | None,
    *,
    fmt: str = "hledger",
    date_from: date | None = None,
    date_to: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write posted (and reversed) entries as an hledger journal or our CSV, to ``output`` or
    stdout, read through a Reader or a session. Returns the number of entries.
    ``progress(done, total)`` hears of the lines written (every 20,000)."""
    from bo_console.core.io import check_output_path
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    actor.require("finance.read", "export the journal")
    if fmt not in ("hledger", "csv"):
        raise ValidationFailed(f"unknown export format {fmt!r} (hledger or csv)")
    chart = load_chart(db)
    currency = base_currency(db)
    rows = _iter_export(db, date_from, date_to)
    if progress is not None:
        rows = _counted(rows, _count_export(db, date_from, date_to), progress)

    def write(out: TextIO) -> int:
        if fmt == "hledger":
            return _write_hledger(db, out, chart, currency, rows)
        return _write_csv(out, chart, currency, rows)

    if output is None:
        return write(sys.stdout)
    check_output_path(output)
    with private_output(output) as partial, partial.open("w", encoding="utf-8", newline="") as fh:
        return write(fh)
