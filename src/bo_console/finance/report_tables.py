"""Reports as rows: what ``bo finance report ...`` writes and the Finance screen shows.

One builder per report turns the service's answer (``reports``, ``tax``, ``aging``) into a
:class:`ReportTable`: its columns and rows are exactly what the command's csv, json and xlsx
formats write and what the screen exports; its title and note head the table form and the
screen. Nothing here touches the database or the screen, and the module imports nothing heavy
(the command line imports it on every report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bo_console.finance.aging import AgedReport
    from bo_console.finance.bank import Reconciliation
    from bo_console.finance.cashflow import CashFlowStatement
    from bo_console.finance.reports import (
        BalanceSheet,
        GeneralLedger,
        IncomeStatement,
        TrialBalance,
    )
    from bo_console.finance.tax import VatReturn
    from bo_console.finance.vat import ZatcaReturn


@dataclass
class ReportTable:
    """A report as rows: ``rows``/``columns`` are what the CLI's csv, json and xlsx formats
    write; ``footer`` holds the total lines only the table form shows; ``note`` is a line
    under the title (on the screen, and on stderr beside a table). ``warning`` is set when the
    note reports something wrong (books that do not balance, a VAT return that does not tie):
    the command line then says the note on stderr whatever the format."""

    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    footer: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    warning: bool = False

    @property
    def shown(self) -> list[dict[str, Any]]:
        """Rows for the screen: the report's rows, then its totals."""
        return [*self.rows, *self.footer]


def trial_balance_table(tb: TrialBalance) -> ReportTable:
    """Rows as ``bo finance report trial-balance`` has them."""
    rows: list[dict[str, Any]] = [
        {
            "code": r.code,
            "account": r.account,
            "type": r.type,
            "debit": r.debit,
            "credit": r.credit,
            "balance": r.balance,
        }
        for r in tb.rows
    ]
    total = {
        "account": f"Total ({tb.currency}, as of {tb.as_of})",
        "debit": tb.total_debit,
        "credit": tb.total_credit,
        "balance": tb.total_debit - tb.total_credit,
    }
    return ReportTable(
        title=f"Trial balance as of {tb.as_of} ({tb.currency})",
        columns=["code", "account", "type", "debit", "credit", "balance"],
        rows=rows,
        footer=[total],
        note="balanced" if tb.balanced else "NOT BALANCED: run bo db check",
        warning=not tb.balanced,
    )


def income_statement_table(pl: IncomeStatement) -> ReportTable:
    """Rows as ``bo finance report income-statement`` has them."""
    rows: list[dict[str, Any]] = []
    for section, label, total, previous in (
        ("income", "Total income", pl.total_income, pl.previous_income),
        ("expense", "Total expenses", pl.total_expense, pl.previous_expense),
    ):
        for r in pl.rows:
            if r.section == section:
                rows.append(
                    {
                        "section": r.section,
                        "group": r.group or None,  # like the totals' rows: no group
                        "code": r.code,
                        "account": r.account,
                        "amount": r.amount,
                        "previous": r.previous,
                    }
                )
        rows.append({"section": section, "account": label, "amount": total, "previous": previous})
    rows.append(
        {
            "section": "gross",
            "account": "Gross profit (revenue less cost of sales)",
            "amount": pl.gross_profit,
            "previous": pl.previous_gross,
        }
    )
    rows.append(
        {
            "section": "net",
            "account": "Net income",
            "amount": pl.net_income,
            "previous": pl.previous_net,
        }
    )
    columns = ["section", "group", "code", "account", "amount"]
    title = f"Income statement {pl.date_from} to {pl.date_to} ({pl.currency})"
    if pl.cost_centre:
        title += f", cost centre {pl.cost_centre}"
    note = ""
    if pl.previous_from is not None:
        columns.append("previous")
        note = f"previous: {pl.previous_from} to {pl.previous_to}"
    return ReportTable(title=title, columns=columns, rows=rows, note=note)


_CASH_FLOW_SUBTOTALS = {
    "non_cash": "Non-cash items added back",
    "working_capital": "Changes in working capital",
}


def cash_flow_table(cf: CashFlowStatement) -> ReportTable:
    """Rows as ``bo finance report cashflow`` has them: profit, each account's effect on
    cash by section with the subtotals, then the change in cash and the cash at both ends."""
    rows: list[dict[str, Any]] = [
        {"section": "operating", "account": "Profit for the period", "amount": cf.profit}
    ]
    for kind, total in (("non_cash", cf.non_cash), ("working_capital", cf.working_capital)):
        for r in cf.rows:
            if r.kind == kind:
                rows.append(
                    {"section": r.section, "code": r.code, "account": r.account, "amount": r.amount}
                )
        rows.append(
            {"section": "operating", "account": _CASH_FLOW_SUBTOTALS[kind], "amount": total}
        )
    rows.append(
        {"section": "operating", "account": "Net cash from operating activities",
         "amount": cf.operating}
    )  # fmt: skip
    for section, total in (("investing", cf.investing), ("financing", cf.financing)):
        for r in cf.rows:
            if r.section == section:
                rows.append(
                    {"section": r.section, "code": r.code, "account": r.account, "amount": r.amount}
                )
        rows.append(
            {"section": section, "account": f"Net cash from {section} activities", "amount": total}
        )
    rows += [
        {"section": "cash", "account": "Net change in cash", "amount": cf.net_change},
        {"section": "cash", "account": "Cash at the start of the period",
         "amount": cf.opening_cash},
        {"section": "cash", "account": "Cash at the end of the period", "amount": cf.closing_cash},
    ]  # fmt: skip
    note = (
        "opening cash + net change = closing cash"
        if cf.ties
        else f"does NOT tie: opening {cf.opening_cash} + change {cf.net_change} <> closing "
        f"{cf.closing_cash}; run bo db check"
    )
    return ReportTable(
        title=f"Cash-flow statement {cf.date_from} to {cf.date_to} ({cf.currency})",
        columns=["section", "code", "account", "amount"],
        rows=rows,
        note=note,
        warning=not cf.ties,
    )


def balance_sheet_table(sheet: BalanceSheet) -> ReportTable:
    """Rows as ``bo finance report balance-sheet`` has them."""
    rows: list[dict[str, Any]] = []
    for section, label, total in (
        ("asset", "Total assets", sheet.total_assets),
        ("liability", "Total liabilities", sheet.total_liabilities),
        ("equity", "Total equity", sheet.total_equity),
    ):
        for r in sheet.rows:
            if r.section == section:
                rows.append(
                    {
                        "section": r.section,
                        "group": r.group or None,  # like the totals' rows: no group
                        "code": r.code,
                        "account": r.account,
                        "amount": r.amount,
                    }
                )
        rows.append({"section": section, "account": label, "amount": total})
    rows.append(
        {
            "section": "check",
            "account": "Liabilities and equity",
            "amount": sheet.total_liabilities + sheet.total_equity,
        }
    )
    return ReportTable(
        title=f"Balance sheet as of {sheet.as_of} ({sheet.currency})",
        columns=["section", "group", "code", "account", "amount"],
        rows=rows,
        note="assets = liabilities + equity" if sheet.balanced else "NOT BALANCED",
        warning=not sheet.balanced,
    )


def general_ledger_table(gl: GeneralLedger) -> ReportTable:
    """Rows as ``bo finance report general-ledger`` has them: opening, postings, closing."""
    rows: list[dict[str, Any]] = [
        {"kind": "opening", "date": gl.date_from, "memo": "Opening balance", "balance": gl.opening}
    ]
    rows += [
        {
            "kind": "posting",
            "date": r.date,
            "number": r.ref,
            "memo": r.memo,
            "source": r.source,
            "account": r.account,
            "debit": r.debit,
            "credit": r.credit,
            "balance": r.balance,
        }
        for r in gl.rows
    ]
    rows.append(
        {
            "kind": "closing",
            "date": gl.date_to,
            "memo": "Closing balance",
            "debit": gl.total_debit,
            "credit": gl.total_credit,
            "balance": gl.closing,
        }
    )
    return ReportTable(
        title=f"{gl.code} {gl.account}, {gl.date_from} to {gl.date_to} ({gl.currency})",
        columns=[
            "kind",
            "date",
            "number",
            "memo",
            "source",
            "account",
            "debit",
            "credit",
            "balance",
        ],
        rows=rows,
    )


def vat_return_table(vat: VatReturn) -> ReportTable:
    """Rows as ``bo finance report vat-return`` has them."""
    rows: list[dict[str, Any]] = [
        {
            "section": r.side,
            "tax_code": r.code,
            "name": r.name,
            "rate": r.rate,
            "net": r.net,
            "tax": r.tax,
        }
        for r in vat.rows
    ]
    rows += [
        {"section": "total", "name": "Output tax", "tax": vat.output_tax},
        {"section": "total", "name": "Input tax", "tax": vat.input_tax},
        {"section": "total", "name": "Net VAT payable", "tax": vat.net_payable},
        {"section": "ledger", "name": "VAT output account movement", "tax": vat.ledger_output_tax},
        {"section": "ledger", "name": "VAT input account movement", "tax": vat.ledger_input_tax},
        # Always shown, zero or not, so the rows have the same shape every month.
        {
            "section": "settled",
            "name": "VAT output moved to settlement",
            "tax": vat.settled_output_tax,
        },
        {
            "section": "settled",
            "name": "VAT input moved to settlement",
            "tax": vat.settled_input_tax,
        },
        {
            "section": "check",
            "name": "Output difference (ledger less return)",
            "tax": vat.output_difference,
        },
        {
            "section": "check",
            "name": "Input difference (ledger less return)",
            "tax": vat.input_difference,
        },
    ]
    if vat.ties:
        note = "ties to the VAT accounts in the ledger"
    else:
        note = (
            f"the return does NOT tie to the VAT accounts in the ledger (output difference "
            f"{vat.output_difference}, input difference {vat.input_difference}): look for "
            "postings to the VAT accounts without a tax code"
        )
    return ReportTable(
        title=f"VAT return {vat.period} ({vat.currency})",
        columns=["section", "tax_code", "name", "rate", "net", "tax"],
        rows=rows,
        note=note,
        warning=not vat.ties,
    )


def aged_table(report: AgedReport, detail: bool) -> ReportTable:
    """Rows as ``bo finance report aged-receivables|aged-payables`` has them."""
    from bo_console.finance.aging import BUCKET_LABELS, BUCKETS

    def row_of(r: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"party": r.party, "party_name": r.party_name}
        if detail:
            data.update(
                document=r.document, date=r.date, due_date=r.due_date, days_overdue=r.days_overdue
            )
        data.update({name: report.money(r.amounts[name]) for name in BUCKETS})
        data.update(
            total=report.money(r.total),
            on_account=report.money(r.on_account),
            balance=report.money(r.balance),
        )
        return data

    rows = [row_of(r) for r in report.rows]
    rows.append(row_of(report.totals()))
    columns = ["party", "party_name"]
    if detail:
        columns += ["document", "date", "due_date", "days_overdue"]
    return ReportTable(
        title=f"Aged {report.side} as of {report.as_of} ({report.currency})",
        columns=[*columns, *BUCKETS, "total", "on_account", "balance"],
        rows=rows,
        note="days past due: " + ", ".join(BUCKET_LABELS.values()),
    )


def zatca_return_table(vat: ZatcaReturn) -> ReportTable:
    """Rows as ``bo finance vat return`` has them: one per ZATCA box."""
    rows: list[dict[str, Any]] = [
        {
            "box": b.box,
            "label": b.label,
            "amount": b.amount if b.box <= 12 else None,
            "adjustment": b.adjustment if b.box <= 12 else None,
            "vat": b.vat,
        }
        for b in vat.boxes
    ]
    notes = [f"{vat.first_day} to {vat.last_day}"]
    if vat.filed:
        notes.append("filed")
        if vat.vat_due_now != vat.vat_due:
            notes.append(
                f"box 13 is now {vat.vat_due_now} (the next return corrects the difference)"
            )
    if vat.ties:
        notes.append("ties to the VAT accounts in the ledger")
    else:
        notes.append(
            f"does NOT tie to the VAT accounts (output {vat.output_vat} declared, "
            f"{vat.ledger_output_vat} in the ledger; input {vat.input_vat} declared, "
            f"{vat.ledger_input_vat} in the ledger)"
        )
    return ReportTable(
        title=f"VAT return {vat.period} ({vat.currency})",
        columns=["box", "label", "amount", "adjustment", "vat"],
        rows=rows,
        note="; ".join(notes),
        warning=not vat.ties,
    )


def reconciliation_table(rec: Reconciliation) -> ReportTable:
    """Rows as ``bo finance bank report`` has them: the balances, then each open item."""
    rows: list[dict[str, Any]] = [
        {"section": "balance", "text": "Statement balance", "amount": rec.statement_balance},
        {"section": "balance", "text": "Less statement lines not in the ledger",
         "amount": -rec.open_statement},
        {"section": "balance", "text": "Plus ledger lines not on the statement",
         "amount": rec.open_ledger},
        {"section": "balance", "text": "Adjusted statement balance",
         "amount": rec.adjusted_balance},
        {"section": "balance", "text": f"Ledger balance ({rec.account})",
         "amount": rec.ledger_balance},
        {"section": "balance", "text": "Difference", "amount": rec.difference},
    ]  # fmt: skip
    rows += [
        {"section": item.side, "date": item.date, "ref": item.ref, "text": item.text,
         "amount": item.amount}
        for item in rec.items
    ]  # fmt: skip
    if rec.starts is None:
        note = "no statement imported yet"
    elif rec.balances:
        note = f"statement and ledger agree (statements from {rec.starts})"
    else:
        note = f"statement and ledger differ by {rec.difference} (statements from {rec.starts})"
    return ReportTable(
        title=f"Bank reconciliation {rec.bank} as of {rec.as_of} ({rec.currency})",
        columns=["section", "date", "ref", "text", "amount"],
        rows=rows,
        note=note,
        warning=rec.starts is not None and not rec.balances,
    )
