"""How the screen lays each finance report out at 80 columns (the export keeps every column)."""

from __future__ import annotations

from bo_console.core.paging import Column, RowsSource
from bo_console.finance.screen.common import decimal_text, leaf, side_text
from bo_console.finance.sources import ReportTable
from bo_console.ui.kit.report_view import ReportPane, fit_columns


def report_columns(kind: str, table: ReportTable) -> list[Column]:
    """The columns the screen shows of report ``kind``, before fitting them to the rows."""
    money = decimal_text
    if kind == "trial-balance":
        return [
            Column("code", "Code", 6),
            Column("account", "Account", 34, fmt=leaf),
            Column("debit", "Debit", 16, "right", fmt=side_text),
            Column("credit", "Credit", 16, "right", fmt=side_text),
        ]
    if kind == "general-ledger":
        return [
            Column("date", "Date", 10),
            Column("number", "Number", 11),
            Column("memo", "Memo", 13),
            Column("debit", "Debit", 12, "right", fmt=side_text),
            Column("credit", "Credit", 12, "right", fmt=side_text),
            Column("balance", "Balance", 14, "right", fmt=money),
        ]
    if kind == "vat-return":
        return [
            Column("section", "Section", 9),
            Column("tax_code", "Code", 5),
            Column("name", "Name", 22),
            Column("rate", "Rate %", 6, "right", fmt=money),
            Column("net", "Net", 15, "right", fmt=money),
            Column("tax", "Tax", 15, "right", fmt=money),
        ]
    if kind.startswith("aged-") and "document" in table.columns:
        return [
            Column("party", "Party", 6),
            Column("document", "Document", 14),
            Column("due_date", "Due", 10),
            Column("days_overdue", "Days", 5, "right"),
            Column("total", "Open", 13, "right", fmt=money),
            Column("balance", "Balance", 13, "right", fmt=money),
        ]
    if kind.startswith("aged-"):
        # Nine columns do not fit in 80: the party by code (enter opens its documents);
        # the export has the names and every column.
        return [
            Column("party", "Party", 6),
            Column("current", "Current", 12, "right", fmt=side_text),
            Column("d1_30", "1-30", 10, "right", fmt=side_text),
            Column("d31_60", "31-60", 10, "right", fmt=side_text),
            Column("d61_90", "61-90", 10, "right", fmt=side_text),
            Column("d90_plus", "90+", 10, "right", fmt=side_text),
            Column("balance", "Balance", 12, "right", fmt=money),
        ]
    columns = [
        Column("code", "Code", 6),
        Column("account", "Account", 36 if "previous" in table.columns else 50, fmt=leaf),
        Column("amount", "Amount", 16, "right", fmt=money),
    ]
    if "previous" in table.columns:
        columns.append(Column("previous", "Previous", 16, "right", fmt=money))
    return columns


def report_pane(kind: str, table: ReportTable, *, name: str, title: str = "") -> ReportPane:
    """A list over a report's rows (totals included), exporting what the CLI writes."""
    columns = fit_columns(report_columns(kind, table), table.shown)
    return ReportPane(
        RowsSource(table.shown, columns),
        name=name,
        title=title or table.title,
        export_rows=table.rows,
        export_columns=table.columns,
    )
