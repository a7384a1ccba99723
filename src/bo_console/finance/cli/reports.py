"""``bo finance report``: the financial reports, VAT return and aged balances."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import (
    OutputOption,
    open_reader,
)
from bo_console.core.errors import ValidationFailed
from bo_console.finance.cli.options import (
    ReportFormat,
    ReportFormatOption,
    check_output,
    emit_report,
    option_date,
)

report_app = typer.Typer(help="Financial reports.", no_args_is_help=True)

# -- reports ------------------------------------------------------------------------------------


@report_app.command("trial-balance")
def report_trial_balance(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="Balances at the end of this date.")] = "t",
    include_zero: Annotated[
        bool, typer.Option("--all", help="Also list accounts with a zero balance.")
    ] = False,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Trial balance: each account's balance as a debit or a credit; balance = debit - credit."""
    from bo_console.finance import reports
    from bo_console.finance.report_tables import trial_balance_table

    day = option_date(as_of, "--as-of")
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    tb = reports.trial_balance(reader, actor, day, include_zero=include_zero)
    emit_report(trial_balance_table(tb), fmt, output)


@report_app.command("general-ledger")
def report_general_ledger(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="Account code or full name (groups included).")],
    date_from: Annotated[str, typer.Option("--from", help="First date.")],
    date_to: Annotated[str, typer.Option("--to", help="Last date.")] = "t",
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """General ledger of one account: opening balance, each posting with a running balance."""
    from bo_console.finance import reports
    from bo_console.finance.report_tables import general_ledger_table

    start, end = option_date(date_from, "--from"), option_date(date_to, "--to")
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    gl = reports.general_ledger(reader, actor, account, start, end)
    emit_report(general_ledger_table(gl), fmt, output)


@report_app.command("income-statement")
def report_income_statement(
    ctx: typer.Context,
    date_from: Annotated[str, typer.Option("--from", help="First date.")],
    date_to: Annotated[str, typer.Option("--to", help="Last date.")] = "t",
    compare: Annotated[
        bool, typer.Option("--compare", help="Beside the previous period of the same length.")
    ] = False,
    cost_centre: Annotated[
        str | None, typer.Option("--cost-centre", help="Only the lines of this cost centre.")
    ] = None,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Income statement (profit and loss) for a date range, of one cost centre if given."""
    from bo_console.finance import reports
    from bo_console.finance.report_tables import income_statement_table

    start, end = option_date(date_from, "--from"), option_date(date_to, "--to")
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    pl = reports.income_statement(
        reader, actor, start, end, compare=compare, cost_centre=cost_centre
    )
    emit_report(income_statement_table(pl), fmt, output)


@report_app.command("balance-sheet")
def report_balance_sheet(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="Balances at the end of this date.")] = "t",
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Balance sheet: assets = liabilities + equity (with current-year earnings)."""
    from bo_console.finance import reports
    from bo_console.finance.report_tables import balance_sheet_table

    day = option_date(as_of, "--as-of")
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    sheet = reports.balance_sheet(reader, actor, day)
    emit_report(balance_sheet_table(sheet), fmt, output)


@report_app.command("cashflow")
def report_cash_flow(
    ctx: typer.Context,
    date_from: Annotated[str, typer.Option("--from", help="First date.")],
    date_to: Annotated[str, typer.Option("--to", help="Last date.")] = "t",
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Cash-flow statement (indirect method): profit, non-cash items, working capital,
    investing and financing; opening cash + net change = closing cash."""
    from bo_console.finance import cashflow
    from bo_console.finance.report_tables import cash_flow_table

    start, end = option_date(date_from, "--from"), option_date(date_to, "--to")
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    cf = cashflow.cash_flow(reader, actor, start, end)
    emit_report(cash_flow_table(cf), fmt, output)


# -- VAT and aged reports ----------------------------------------------------------------------


def report_vat_return(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="The month, YYYY-MM.")],
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """VAT return for a month: output tax on sales, input tax on purchases, net payable; with
    what the VAT accounts moved in the ledger beside it, what settlement transfers moved out of
    them, and the differences (a warning on stderr when they are not zero)."""
    from bo_console.finance import tax
    from bo_console.finance.fiscal import parse_period
    from bo_console.finance.report_tables import vat_return_table

    try:
        period = parse_period(period)
    except ValidationFailed as exc:
        raise ValidationFailed(f"--period: {exc.message}") from None
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    vat = tax.vat_return(reader, actor, period)
    emit_report(vat_return_table(vat), fmt, output)


def _aged(
    ctx: typer.Context, side: str, as_of: str, detail: bool, fmt: ReportFormat, output: Path | None
) -> None:
    from bo_console.finance import aging
    from bo_console.finance.report_tables import aged_table

    day = option_date(as_of, "--as-of")
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    report = aging.aged(reader, actor, side, day, detail=detail)
    emit_report(aged_table(report, detail), fmt, output)


AsOfOption = Annotated[str, typer.Option("--as-of", help="As at the end of this date.")]
DetailOption = Annotated[bool, typer.Option("--detail", help="One row per document.")]


def report_aged_receivables(
    ctx: typer.Context,
    as_of: AsOfOption = "t",
    detail: DetailOption = False,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Aged receivables: what customers owed on the date, by days past due."""
    _aged(ctx, "receivables", as_of, detail, fmt, output)


def report_aged_payables(
    ctx: typer.Context,
    as_of: AsOfOption = "t",
    detail: DetailOption = False,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Aged payables: what was owed to suppliers on the date, by days past due."""
    _aged(ctx, "payables", as_of, detail, fmt, output)


report_app.command("vat-return")(report_vat_return)
report_app.command("aged-receivables")(report_aged_receivables)
report_app.command("aged-payables")(report_aged_payables)
