"""``bo finance customers``: customers the front office registered, waiting for approval."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

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

customers_app = typer.Typer(
    help="New customers from the front office: pending, approve, reject.", no_args_is_help=True
)

CUSTOMER_COLUMNS = ["code", "name", "cr_number", "tax_number", "status", "created_by", "created_at"]


@customers_app.command("pending")
def pending_cmd(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """Customers waiting for approval, oldest first."""
    from bo_console.finance.customer_list import pending_customers

    reader, actor = open_reader(ctx)
    rows = pending_customers(reader, actor)
    emit([asdict(r) for r in rows], CUSTOMER_COLUMNS, fmt, output)


@customers_app.command("approve")
def approve_cmd(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The customer's code.")],
    note: Annotated[str, typer.Option("--note", "-m", help="What was checked.")] = "",
) -> None:
    """Approve a pending customer after checking its commercial registration and VAT number
    (not by the person who registered it)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.approve_customer(session, actor, code, note)
    say(f"{view.code} {view.name} is approved")


@customers_app.command("reject")
def reject_cmd(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The customer's code.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (the front office sees it).")],
) -> None:
    """Reject a pending customer (it is deactivated)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.reject_customer(session, actor, code, reason)
    say(f"{view.code} {view.name} is rejected")
