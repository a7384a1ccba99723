"""``bo finance tax-codes``: VAT codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.finance.cli.options import (
    option_amount,
)

if TYPE_CHECKING:
    pass

tax_app = typer.Typer(help="VAT codes: rates and the accounts they post to.", no_args_is_help=True)

# -- tax codes ----------------------------------------------------------------------------------


@tax_app.command("list")
def tax_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List the tax codes with their rates (percent) and VAT accounts."""
    from bo_console.finance import tax

    reader, actor = open_reader(ctx)
    rows = tax.list_tax_codes(reader, actor)
    columns = [
        "code",
        "name",
        "category",
        "treatment",
        "rate",
        "output_account",
        "input_account",
        "active",
    ]
    emit([r.__dict__ for r in rows], [*columns, "name_ar"], fmt, output)


@tax_app.command("add")
def tax_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Code, e.g. R5.")],
    name: Annotated[str, typer.Argument(help="What it is.")],
    category: Annotated[
        str, typer.Option("--category", help="standard, reduced, zero, exempt or out_of_scope.")
    ],
    rate: Annotated[str, typer.Option("--rate", help="Percent, e.g. 5 or 2.5.")] = "0",
    output_account: Annotated[
        str | None, typer.Option("--output-account", help="VAT output account (sales).")
    ] = None,
    input_account: Annotated[
        str | None, typer.Option("--input-account", help="VAT input account (purchases).")
    ] = None,
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    treatment: Annotated[
        str,
        typer.Option(
            "--treatment",
            help="domestic, export, import, reverse_charge or citizen (sales whose VAT the "
            "state bears: healthcare, education, first homes); the VAT return box.",
        ),
    ] = "domestic",
) -> None:
    """Add a tax code (finance managers)."""
    from bo_console.finance import tax

    rate_bp = option_amount(rate, 2, "--rate")
    store, actor = open_store(ctx)
    with store.write() as session:
        tax.add_tax_code(
            session,
            actor,
            code=code,
            name=name,
            category=category.strip().lower(),
            rate_bp=rate_bp,
            output_account=output_account,
            input_account=input_account,
            name_ar=name_ar,
            treatment=treatment.strip().lower(),
        )
    say(f"added tax code {code.upper()}")
