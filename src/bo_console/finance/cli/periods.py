"""``bo finance period``: fiscal periods (months)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    emit,
    open_store,
    say,
)

if TYPE_CHECKING:
    pass

period_app = typer.Typer(help="Fiscal periods (months): list, close, reopen.", no_args_is_help=True)

# -- periods ------------------------------------------------------------------------------------


@period_app.command("list")
def period_list(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", help="Year (default: this year).")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The months of a year: open or closed, and how many entries each holds."""
    from bo_console.core.clock import today
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.read() as session:
        periods = service.list_periods(session, actor, year=year or today().year)
    rows = [
        {
            "period": p.period,
            "status": p.status,
            "posted": p.posted,
            "drafts": p.drafts,
            "changed_by": p.changed_by,
            "changed_at": p.changed_at,
        }
        for p in periods
    ]
    emit(rows, ["period", "status", "posted", "drafts", "changed_by", "changed_at"], fmt, output)


@period_app.command("close")
def period_close(
    ctx: typer.Context,
    period: Annotated[str, typer.Argument(help="Month to close, YYYY-MM.")],
    yes: YesOption = False,
) -> None:
    """Close a month: nothing can be posted into it afterwards (finance managers)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    confirm(f"Close {period}? Nothing can be posted into it afterwards", yes=yes)
    with store.write() as session:
        changed = service.close_period(session, actor, period)
    say(f"closed {period}" if changed else f"{period} is already closed; nothing changed")


@period_app.command("reopen")
def period_reopen(
    ctx: typer.Context,
    period: Annotated[str, typer.Argument(help="Month to reopen, YYYY-MM.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit trail).")] = "",
    yes: YesOption = False,
) -> None:
    """Reopen a closed month (admins only; audited)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    confirm(f"Reopen {period}?", yes=yes)
    with store.write() as session:
        changed = service.reopen_period(session, actor, period, reason=reason)
    say(f"reopened {period}" if changed else f"{period} is not closed; nothing changed")
