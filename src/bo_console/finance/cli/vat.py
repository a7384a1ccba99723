"""``bo finance vat``: the VAT return in ZATCA's boxes, filing it, and how often it is filed."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.finance.cli.options import (
    ReportFormat,
    ReportFormatOption,
    check_output,
    emit_report,
)

vat_app = typer.Typer(
    help="VAT returns in ZATCA's boxes, for a month or a quarter.", no_args_is_help=True
)

PeriodOption = Annotated[
    str, typer.Option("--period", help="YYYY-MM when filing monthly, YYYY-Qn when quarterly.")
]


@vat_app.command("return")
def vat_return(
    ctx: typer.Context,
    period: PeriodOption,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """The VAT return of a period, one row per ZATCA box (1-16): amount, adjustment, VAT.

    Box 14 corrects filed periods, box 15 brings a previous credit forward, box 16 is what is
    due (negative: a credit). A warning on stderr when it does not tie to the VAT accounts."""
    from bo_console.finance import vat
    from bo_console.finance.report_tables import zatca_return_table

    check_output(fmt.value, output)
    store, actor = open_store(ctx)
    with store.read() as session:
        found = vat.zatca_return(session, actor, period)
    emit_report(zatca_return_table(found), fmt, output)


@vat_app.command("file")
def vat_file(ctx: typer.Context, period: PeriodOption, yes: YesOption = False) -> None:
    """File a period's return (finance managers): keep boxes 13-16 as they are now. Later
    postings into the period go into the next return as corrections."""
    from bo_console.finance import vat

    store, actor = open_store(ctx)
    confirm(f"File the VAT return {period}? It cannot be changed afterwards", yes=yes)
    with store.write() as session:
        filed = vat.file_return(session, actor, period)
    say(f"filed VAT return {filed.period}: net VAT due {filed.net_due}")


@vat_app.command("list")
def vat_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """The filed VAT returns, latest first."""
    from bo_console.finance import vat

    reader, actor = open_reader(ctx)
    rows = vat.list_filings(reader, actor)
    columns = [
        "period",
        "first_day",
        "last_day",
        "output_vat",
        "input_vat",
        "vat_due",
        "corrections",
        "credit_brought_forward",
        "net_due",
        "filed_at",
        "filed_by",
    ]
    emit([r.__dict__ for r in rows], columns, fmt, output)


@vat_app.command("filing")
def vat_filing(
    ctx: typer.Context,
    every: Annotated[
        str | None, typer.Argument(help="monthly or quarterly; leave out to show it.")
    ] = None,
) -> None:
    """Show or set how often VAT returns are filed (setting it: finance managers)."""
    from bo_console.finance import vat

    if every is None:
        reader, _ = open_reader(ctx)
        typer.echo(vat.filing(reader))
        return
    store, actor = open_store(ctx)
    with store.write() as session:
        value = vat.set_filing(session, actor, every)
    say(f"VAT returns are filed {value}")


@vat_app.command("seller")
def vat_seller(
    ctx: typer.Context,
    vat_number: Annotated[
        str | None, typer.Option("--vat-number", help="15 digits, starting and ending with 3.")
    ] = None,
    name_ar: Annotated[str | None, typer.Option("--name-ar", help="Arabic name.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Address.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show or set the seller's details printed on tax invoices (setting: finance managers)."""
    from bo_console.finance import printing

    if vat_number is None and name_ar is None and address is None:
        reader, _ = open_reader(ctx)
        found = printing.seller(reader)
    else:
        store, actor = open_store(ctx)
        with store.write() as session:
            found = printing.set_seller(
                session, actor, vat_number=vat_number, name_ar=name_ar, address=address
            )
    emit([found.__dict__], ["name", "name_ar", "address", "vat_number"], fmt)
