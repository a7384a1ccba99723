"""The Reports tab's reports, as the rows ``report_tables`` builds for the command line too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bo_console.finance import report_tables
from bo_console.finance.journal import (
    ENTRY_STATES as ENTRY_STATES,
)
from bo_console.finance.journal import (
    NUMBER_SCALE as NUMBER_SCALE,
)
from bo_console.finance.journal import (
    JournalFilter as JournalFilter,
)
from bo_console.finance.journal import (
    entry_number_text as entry_number_text,
)
from bo_console.finance.journal import (
    journal_columns as journal_columns,
)
from bo_console.finance.journal import (
    journal_select as journal_select,
)
from bo_console.finance.journal import (
    journal_text_filter as journal_text_filter,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor


# -- reports as rows ----------------------------------------------------------------------------


# Built in ``report_tables`` (the command line uses them too); here under the names the screen
# imports them by.
ReportTable = report_tables.ReportTable
trial_balance_table = report_tables.trial_balance_table
income_statement_table = report_tables.income_statement_table
balance_sheet_table = report_tables.balance_sheet_table
general_ledger_table = report_tables.general_ledger_table
vat_return_table = report_tables.vat_return_table
aged_table = report_tables.aged_table


@dataclass(frozen=True)
class ReportKind:
    """A report the Reports tab offers: its key, name, the dates it asks for, how to run it."""

    key: str
    name: str
    fields: tuple[str, ...]
    """Which of ``as_of``, ``date_from``, ``date_to``, ``compare``, ``account``,
    ``cost_centre`` it takes."""
    run: Callable[[Session, Actor, dict[str, Any]], ReportTable]


def _trial_balance(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    return trial_balance_table(reports.trial_balance(session, actor, args["as_of"]))


def _income_statement(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    pl = reports.income_statement(
        session,
        actor,
        args["date_from"],
        args["date_to"],
        compare=bool(args.get("compare")),
        cost_centre=args.get("cost_centre") or None,
    )
    return income_statement_table(pl)


def _balance_sheet(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    return balance_sheet_table(reports.balance_sheet(session, actor, args["as_of"]))


def _general_ledger(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    gl = reports.general_ledger(session, actor, args["account"], args["date_from"], args["date_to"])
    return general_ledger_table(gl)


def _cash_flow(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import cashflow

    cf = cashflow.cash_flow(session, actor, args["date_from"], args["date_to"])
    return report_tables.cash_flow_table(cf)


REPORTS: list[ReportKind] = [
    ReportKind("trial-balance", "Trial balance", ("as_of",), _trial_balance),
    ReportKind(
        "income-statement",
        "Income statement",
        ("date_from", "date_to", "compare", "cost_centre"),
        _income_statement,
    ),
    ReportKind("balance-sheet", "Balance sheet", ("as_of",), _balance_sheet),
    ReportKind("cashflow", "Cash-flow statement", ("date_from", "date_to"), _cash_flow),
    ReportKind(
        "general-ledger", "General ledger", ("account", "date_from", "date_to"), _general_ledger
    ),
]
"""The reports the screen offers, in menu order (receivables and payables add theirs)."""


def _vat_return(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import tax

    return vat_return_table(tax.vat_return(session, actor, args["period"]))


def _zatca_return(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import vat

    return report_tables.zatca_return_table(vat.zatca_return(session, actor, args["vat_period"]))


def _aged(side: str) -> Callable[[Session, Actor, dict[str, Any]], ReportTable]:
    def run(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
        from bo_console.finance import aging

        detail = bool(args.get("detail"))
        report = aging.aged(session, actor, side, args["as_of"], detail=detail)
        return aged_table(report, detail)

    return run


REPORTS += [
    ReportKind("vat-return", "VAT return", ("period",), _vat_return),
    ReportKind("vat-zatca", "VAT return (ZATCA boxes)", ("vat_period",), _zatca_return),
    ReportKind("aged-receivables", "Aged receivables", ("as_of", "detail"), _aged("receivables")),
    ReportKind("aged-payables", "Aged payables", ("as_of", "detail"), _aged("payables")),
]
