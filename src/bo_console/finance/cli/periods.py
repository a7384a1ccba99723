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
    open_reader,
    open_store,
    say,
    warn,
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
    from bo_console.finance.period_list import list_periods

    reader, actor = open_reader(ctx)
    periods = list_periods(reader, actor, year=year or today().year)
    rows = [
        {
            "period": p.period,
            "status": p.status,
            "before_books": p.before_books,
            "posted": p.posted,
            "drafts": p.drafts,
            "changed_by": p.changed_by,
            "changed_at": p.changed_at,
        }
        for p in periods
    ]
    columns = ["period", "status", "before_books", "posted", "drafts", "changed_by", "changed_at"]
    emit(rows, columns, fmt, output)


@period_app.command("limits")
def period_limits(
    ctx: typer.Context,
    books_start: Annotated[
        str | None,
        typer.Option("--books-start", help="The books' first month, YYYY-MM (admins)."),
    ] = None,
    future_days: Annotated[
        int | None,
        typer.Option("--future-days", help="Days ahead a clerk may post (finance managers)."),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit trail).")] = "",
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The books' first month (every earlier month is closed) and how far ahead a clerk may
    post; with options, change them."""
    from bo_console.finance.period_list import BookLimits, book_limits

    limits: BookLimits
    if books_start is None and future_days is None:
        reader, actor = open_reader(ctx)
        limits = book_limits(reader, actor)
    else:
        from bo_console.finance import service

        store, actor = open_store(ctx)
        with store.write() as session:
            limits = service.set_book_limits(
                session, actor, start=books_start, days=future_days, reason=reason
            )
    row = {"books_start": limits.books_start or "", "future_days": limits.future_days}
    emit([row], ["books_start", "future_days"], fmt, output)


@period_app.command("checklist")
def period_checklist(
    ctx: typer.Context,
    period: Annotated[str, typer.Argument(help="Month, YYYY-MM.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """What stands between a month and its close: earlier months open, drafts, pay runs..."""
    from bo_console.finance.close_checklist import checklist

    reader, actor = open_reader(ctx)
    found = checklist(reader, actor, period)
    rows: list[dict[str, object]] = []
    if found.order_problem:
        rows.append({"item": "order", "label": "Earlier months closed", "ok": False,
                     "problems": found.order_problem})  # fmt: skip
    elif found.status == "open":
        rows.append({"item": "order", "label": "Earlier months closed", "ok": True, "problems": ""})
    for item in found.items:
        rows.append(
            {"item": item.key, "label": item.label, "ok": item.ok,
             "problems": "; ".join(item.problems)}
        )  # fmt: skip
    if found.status == "closed":
        say(f"{found.period} is closed")
    emit(rows, ["item", "label", "ok", "problems"], fmt, output)


def _overrides(values: list[str]) -> dict[str, str]:
    from bo_console.core.errors import UsageProblem

    out: dict[str, str] = {}
    for value in values:
        key, sep, reason = value.partition("=")
        if not sep or not key.strip():
            raise UsageProblem(f"--override {value!r}: give ITEM=REASON, e.g. drafts=accrual")
        out[key.strip()] = reason.strip()
    return out


@period_app.command("close")
def period_close(
    ctx: typer.Context,
    period: Annotated[str, typer.Argument(help="Month to close, YYYY-MM.")],
    override: Annotated[
        list[str] | None,
        typer.Option(
            "--override",
            help="ITEM=REASON: close although this checklist item fails (audited; repeatable).",
        ),
    ] = None,
    yes: YesOption = False,
) -> None:
    """Close a month after its checklist; months close in order (finance managers)."""
    from bo_console.finance import service

    overrides = _overrides(override or [])
    store, actor = open_store(ctx)
    confirm(f"Close {period}? Nothing can be posted into it afterwards", yes=yes)
    notes: list[str] = []
    with store.write() as session:
        changed = service.close_period(session, actor, period, overrides=overrides, notes=notes)
    say(f"closed {period}" if changed else f"{period} is already closed; nothing changed")
    for note in notes:
        warn(note)


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


@period_app.command("close-year")
def period_close_year(
    ctx: typer.Context,
    year: Annotated[str, typer.Argument(help="Fiscal year, named after the year it ends in.")],
    override: Annotated[
        list[str] | None,
        typer.Option("--override", help="ITEM=REASON, as for close (audited; repeatable)."),
    ] = None,
    yes: YesOption = False,
) -> None:
    """Close a fiscal year: close its last month and post the closing entry that moves income
    and expenses to retained earnings (finance managers; undone only by reopening that month)."""
    from bo_console.finance import service

    overrides = _overrides(override or [])
    store, actor = open_store(ctx)
    confirm(f"Close fiscal year {year}? Income and expenses move to retained earnings", yes=yes)
    notes: list[str] = []
    with store.write() as session:
        changed = service.close_year(session, actor, year, overrides=overrides, notes=notes)
    say(f"closed fiscal year {year}" if changed else f"{year} is already closed; nothing changed")
    for note in notes:
        warn(note)


@period_app.command("fiscal-year")
def period_fiscal_year(
    ctx: typer.Context,
    start_month: Annotated[
        int | None,
        typer.Option("--start-month", help="Month (1-12) the fiscal year starts in (admins)."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The fiscal year: the month it starts in and this year's dates; with --start-month,
    change it."""
    from bo_console.core.clock import today
    from bo_console.finance.fiscal import FiscalYear, fiscal_year

    year: FiscalYear
    if start_month is None:
        reader, actor = open_reader(ctx)
        year = fiscal_year(reader, actor, today())
    else:
        from bo_console.finance import service

        store, actor = open_store(ctx)
        with store.write() as session:
            year = service.set_start_month(session, actor, start_month)
    row = {"start_month": year.start_month, "year": year.name, "first": year.first,
           "last": year.last}  # fmt: skip
    emit([row], ["start_month", "year", "first", "last"], fmt, output)
