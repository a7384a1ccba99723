"""``bo finance``: the chart of accounts, the journal, fiscal periods and financial reports.

Thin: every command parses its input, calls ``finance.service`` and renders the result. Only
typer and the light core modules are imported at the top, so ``bo --help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from bo_console.core.errors import UsageProblem, ValidationFailed
from bo_console.finance import cli_documents
from bo_console.finance.cli_documents import (
    ReportFormat,
    ReportFormatOption,
    check_output,
    emit_report,
    invalid_fields,
    option_date,
)

if TYPE_CHECKING:
    from bo_console.finance.ledger import EntryView
    from bo_console.finance.models import LineCreate

app = typer.Typer(
    help="Finance: chart of accounts, journal, fiscal periods and financial reports.",
    no_args_is_help=True,
)
accounts_app = typer.Typer(help="The chart of accounts.", no_args_is_help=True)
journal_app = typer.Typer(
    help="Journal entries: list, show, add, post, reverse, import, export.", no_args_is_help=True
)
report_app = typer.Typer(help="Financial reports.", no_args_is_help=True)
period_app = typer.Typer(help="Fiscal periods (months): list, close, reopen.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import into the books (same as `journal import`).", no_args_is_help=True
)
export_app = typer.Typer(
    help="Export from the books (same as `journal export`).", no_args_is_help=True
)
app.add_typer(accounts_app, name="accounts")
app.add_typer(journal_app, name="journal")
app.add_typer(report_app, name="report")
app.add_typer(period_app, name="period")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


# -- accounts -----------------------------------------------------------------------------------

ACCOUNT_COLUMNS = ["code", "name", "type", "parent", "postable", "active", "full_name", "name_ar"]


@accounts_app.command("list")
def accounts_list(
    ctx: typer.Context,
    account_type: Annotated[
        str | None, typer.Option("--type", help="asset, liability, equity, income or expense.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in the code or names.")
    ] = None,
    active_only: Annotated[bool, typer.Option("--active-only", help="Hide inactive.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List the chart of accounts in tree order."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.read() as session:
        views = service.list_accounts(
            session,
            actor,
            include_inactive=not active_only,
            account_type=account_type,
            search=search,
        )
    indent = fmt == OutputFormat.table and output is None
    rows = [
        {
            "code": v.code,
            "name": ("  " * v.depth + v.name) if indent else v.name,
            "type": v.type,
            "parent": v.parent,
            "postable": v.postable,
            "active": v.active,
            "full_name": v.full_name,
            "name_ar": v.name_ar,
        }
        for v in views
    ]
    columns = ACCOUNT_COLUMNS[:6] + ["name_ar"] if indent else ACCOUNT_COLUMNS
    emit(rows, columns, fmt, output)


@accounts_app.command("show")
def accounts_show(ctx: typer.Context, account: str, fmt: FormatOption = OutputFormat.table) -> None:
    """Show one account (by code or full name) with its balance today."""
    from bo_console.core.clock import today
    from bo_console.core.money import base_currency
    from bo_console.finance import reports, service

    store, actor = open_store(ctx)
    with store.read() as session:
        view = service.get_account(session, actor, account)
        chart = service.load_chart(session)
        sums = reports.sums_until(session, today())
        debit = credit = 0
        for account_id in chart.descendants(view.id):
            debit += sums.get(account_id, [0, 0])[0]
            credit += sums.get(account_id, [0, 0])[1]
        balance = base_currency(session).from_minor(debit - credit)
    row = {
        "code": view.code,
        "name": view.name,
        "name_ar": view.name_ar,
        "full_name": view.full_name,
        "type": view.type,
        "parent": view.parent,
        "postable": view.postable,
        "active": view.active,
        "balance": balance,
    }
    emit([row], list(row), fmt)


@accounts_app.command("add")
def accounts_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Account code, e.g. 1160.")],
    name: Annotated[str, typer.Argument(help="Account name (no ':').")],
    account_type: Annotated[
        str, typer.Option("--type", help="asset, liability, equity, income or expense.")
    ],
    parent: Annotated[
        str | None, typer.Option("--parent", "-p", help="Code of the group it sits under.")
    ] = None,
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    group: Annotated[
        bool,
        typer.Option("--group", help="A group account: totals sub-accounts, takes no postings."),
    ] = False,
) -> None:
    """Add an account to the chart (finance managers)."""
    from pydantic import ValidationError

    from bo_console.finance import service
    from bo_console.finance.models import AccountCreate

    store, actor = open_store(ctx)
    try:
        data = AccountCreate(
            code=code, name=name, name_ar=name_ar, type=account_type, postable=not group
        )
    except ValidationError as exc:
        raise invalid_fields(exc) from None
    with store.write() as session:
        service.add_account(session, actor, data, parent=parent)
    say(f"added account {code} {name}")


@accounts_app.command("edit")
def accounts_edit(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="Code or full name.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    name_ar: Annotated[str | None, typer.Option("--name-ar", help="New Arabic name.")] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="Move under this group ('' for the top).")
    ] = None,
    postable: Annotated[
        bool | None, typer.Option("--postable/--group", help="Takes postings, or is a group.")
    ] = None,
) -> None:
    """Rename an account, move it in the tree, or make it a group (finance managers)."""
    from pydantic import ValidationError

    from bo_console.finance import service
    from bo_console.finance.models import AccountUpdate

    store, actor = open_store(ctx)
    try:
        data = AccountUpdate(name=name, name_ar=name_ar, postable=postable)
    except ValidationError as exc:
        raise invalid_fields(exc) from None
    with store.write() as session:
        service.update_account(session, actor, account, data, parent=parent)
    say(f"updated account {account}")


@accounts_app.command("deactivate")
def accounts_deactivate(ctx: typer.Context, account: str) -> None:
    """Deactivate an account (it keeps its history; it takes no new postings)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = service.set_active(session, actor, account, active=False)
    say(f"deactivated {account}" if changed else f"{account} is already inactive; nothing changed")


@accounts_app.command("activate")
def accounts_activate(ctx: typer.Context, account: str) -> None:
    """Reactivate an inactive account."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = service.set_active(session, actor, account, active=True)
    say(f"activated {account}" if changed else f"{account} is already active; nothing changed")


@accounts_app.command("delete")
def accounts_delete(ctx: typer.Context, account: str, yes: YesOption = False) -> None:
    """Delete an account that was never used (one with postings is deactivated instead)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    confirm(f"Delete account {account}?", yes=yes)
    with store.write() as session:
        service.delete_account(session, actor, account)
    say(f"deleted account {account}")


# -- journal ------------------------------------------------------------------------------------

ENTRY_COLUMNS = ["id", "number", "date", "memo", "source", "source_ref", "state", "total", "by"]
LINE_COLUMNS = ["line", "code", "account", "debit", "credit", "memo", "cost_centre", "tax_code"]


@journal_app.command("list")
def journal_list(
    ctx: typer.Context,
    date_from: Annotated[str | None, typer.Option("--from", help="First date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last date.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="draft, posted or reversed.")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="manual, import, payroll, ...")
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", "-a", help="Entries touching this account or one under it."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", help="An entry number, #ID, or text in the memo or reference."
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many.")] = 100,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List journal entries, newest first."""
    from bo_console.finance import service

    flt = service.EntryFilter(
        date_from=option_date(date_from, "--from") if date_from else None,
        date_to=option_date(date_to, "--to") if date_to else None,
        state=state,
        source=source,
        account=account,
        text=search,
        limit=limit,
    )
    store, actor = open_store(ctx)
    with store.read() as session:
        entries = service.list_entries(session, actor, flt)
    rows = [
        {
            "id": e.id,
            "number": e.ref,
            "date": e.date,
            "memo": e.memo,
            "source": e.source,
            "source_ref": e.source_ref,
            "state": e.state,
            "total": e.total,
            "by": e.created_by,
        }
        for e in entries
    ]
    emit(rows, ENTRY_COLUMNS, fmt, output)


def _show(view: EntryView, fmt: OutputFormat | str) -> None:
    import json

    from bo_console.core.io import _plain

    lines = [
        {
            "line": line.line_no,
            "code": line.code,
            "account": line.account,
            "debit": line.debit,
            "credit": line.credit,
            "memo": line.memo,
            "cost_centre": line.cost_centre,
            "tax_code": line.tax_code,
        }
        for line in view.lines
    ]
    header = {
        "id": view.id,
        "number": view.ref,
        "date": view.date,
        "memo": view.memo,
        "source": view.source,
        "source_ref": view.source_ref,
        "state": view.state,
        "total": view.total,
        "reverses": view.reverses,
        "reversed_by": view.reversed_by,
        "created_by": view.created_by,
        "posted_by": view.posted_by,
        "posted_at": view.posted_at,
    }
    if fmt == OutputFormat.json:
        data = {k: _plain(v) for k, v in header.items()}
        data["lines"] = [{k: _plain(v) for k, v in line.items()} for line in lines]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == OutputFormat.csv:
        rows = [{"number": view.ref, "date": view.date, **line} for line in lines]
        emit(rows, ["number", "date", *LINE_COLUMNS], fmt)
        return
    width = max(len(k) for k in header)
    for key, value in header.items():
        if value not in ("", None):
            typer.echo(f"{key:<{width}}  {_plain(value)}")
    typer.echo("")
    emit(lines, LINE_COLUMNS, fmt)


@journal_app.command("show")
def journal_show(
    ctx: typer.Context,
    entry: Annotated[str, typer.Argument(help="Entry number (2026-000123) or id (#7).")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show one entry with its lines."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.read() as session:
        view = service.get_entry(session, actor, entry)
    _show(view, fmt)


def _parse_line(text: str, exponent: int, number: int) -> LineCreate:
    """``ACCOUNT:DEBIT:CREDIT[:memo]`` (one of the amounts empty or zero), the entry's line
    ``number``."""
    from pydantic import ValidationError

    from bo_console.core.money import parse_amount
    from bo_console.finance.models import LineCreate

    where = f"line {number}"
    parts = text.split(":", 3)
    if len(parts) < 3:
        raise ValidationFailed(
            f"{where}: {text!r}: use ACCOUNT:DEBIT:CREDIT[:memo], e.g. 6200:3000: or 1110::3000"
        )
    account, debit, credit = (p.strip() for p in parts[:3])
    memo = parts[3].strip() if len(parts) == 4 else ""
    try:
        amounts = [parse_amount(a, exponent) if a else 0 for a in (debit, credit)]
    except ValueError as exc:
        raise ValidationFailed(f"{where}: {exc}") from None
    try:
        return LineCreate(account=account, debit=amounts[0], credit=amounts[1], memo=memo)
    except ValidationError as exc:
        raise invalid_fields(exc, where) from None


def _entry_from_options(
    ctx: typer.Context, on: str, memo: str, line: list[str], csv_file: Path | None
) -> tuple[Any, Any, Any]:
    from bo_console.core.money import base_currency
    from bo_console.finance import interchange
    from bo_console.finance.models import EntryCreate

    if bool(line) == bool(csv_file):
        raise UsageProblem("give the lines with --line (repeated) or --csv FILE, one of them")
    store, actor = open_store(ctx)
    with store.read() as session:
        currency = base_currency(session)
    lines = (
        [_parse_line(text, currency.exponent, n) for n, text in enumerate(line, start=1)]
        if line
        else interchange.read_entry_lines(csv_file, currency)  # type: ignore[arg-type]
    )
    data = EntryCreate(date=option_date(on, "--date"), memo=memo, lines=lines)
    return store, actor, data


LineOption = Annotated[
    list[str],
    typer.Option(
        "--line",
        "-l",
        help="ACCOUNT:DEBIT:CREDIT[:memo], repeated; e.g. -l 6200:3000: -l 1110::3000",
    ),
]
CsvOption = Annotated[
    Path | None,
    typer.Option(
        "--csv", help="Lines from a CSV: account, debit, credit, memo, cost_centre, tax_code."
    ),
]


@journal_app.command("add")
def journal_add(
    ctx: typer.Context,
    on: Annotated[str, typer.Option("--date", "-d", help="Entry date (YYYY-MM-DD, t, -1).")],
    memo: Annotated[str, typer.Option("--memo", "-m", help="What the entry is for.")] = "",
    line: LineOption = [],  # noqa: B006  (Typer reads the default; it is never mutated)
    csv_file: CsvOption = None,
    post: Annotated[
        bool, typer.Option("--post", help="Post it now instead of saving a draft.")
    ] = False,
    yes: YesOption = False,
) -> None:
    """Enter a journal entry: saved as a draft, or posted at once with --post."""
    from bo_console.finance import service

    store, actor, data = _entry_from_options(ctx, on, memo, line, csv_file)
    if post:
        confirm(f"Post this entry dated {data.date}? Posted entries cannot be changed", yes=yes)
    with store.write() as session:
        entry = (service.post_entry if post else service.create_draft)(session, actor, data)
        ref, entry_id = entry.ref, entry.id
    say(
        f"posted {ref}"
        if post
        else f"saved draft #{entry_id}; post it with: bo finance journal post {entry_id}"
    )
    typer.echo(ref)


@journal_app.command("edit")
def journal_edit(
    ctx: typer.Context,
    entry: Annotated[str, typer.Argument(help="Draft id (#7).")],
    on: Annotated[str, typer.Option("--date", "-d", help="Entry date.")],
    memo: Annotated[str, typer.Option("--memo", "-m", help="What the entry is for.")] = "",
    line: LineOption = [],  # noqa: B006
    csv_file: CsvOption = None,
) -> None:
    """Replace a draft's date, memo and lines."""
    from bo_console.finance import service

    store, actor, data = _entry_from_options(ctx, on, memo, line, csv_file)
    with store.write() as session:
        service.update_draft(session, actor, entry, data)
    say(f"updated draft {entry}")


@journal_app.command("post")
def journal_post(
    ctx: typer.Context,
    entry: Annotated[str, typer.Argument(help="Draft id (#7).")],
    yes: YesOption = False,
) -> None:
    """Post a draft: it gets the year's next number and can no longer change."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    confirm(f"Post draft {entry}? Posted entries cannot be changed", yes=yes)
    with store.write() as session:
        posted = service.post_draft(session, actor, entry)
        ref = posted.ref
    say(f"posted {ref}")
    typer.echo(ref)


@journal_app.command("reverse")
def journal_reverse(
    ctx: typer.Context,
    entry: Annotated[str, typer.Argument(help="Entry number (2026-000123).")],
    on: Annotated[
        str | None, typer.Option("--date", "-d", help="Date of the reversal (default: the same).")
    ] = None,
    memo: Annotated[str | None, typer.Option("--memo", "-m", help="Memo of the reversal.")] = None,
    yes: YesOption = False,
) -> None:
    """Reverse a posted entry with a new entry that swaps its debits and credits."""
    from bo_console.finance import service

    day = option_date(on, "--date") if on else None
    store, actor = open_store(ctx)
    confirm(f"Reverse {entry}?", yes=yes)
    with store.write() as session:
        reversal = service.reverse_entry(session, actor, entry, on=day, memo=memo)
        ref = reversal.ref
    say(f"reversed {entry} with {ref}")
    typer.echo(ref)


@journal_app.command("delete")
def journal_delete(
    ctx: typer.Context,
    entry: Annotated[str, typer.Argument(help="Draft id (#7).")],
    yes: YesOption = False,
) -> None:
    """Delete a draft (posted entries are never deleted: reverse them)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    confirm(f"Delete draft {entry}?", yes=yes)
    with store.write() as session:
        service.delete_draft(session, actor, entry)
    say(f"deleted draft {entry}")


class ImportFormat(StrEnum):
    auto = "auto"
    bo = "bo"
    hledger = "hledger"


class JournalExportFormat(StrEnum):
    hledger = "hledger"
    csv = "csv"


def _import(ctx: typer.Context, file: Path, fmt: ImportFormat, force: bool, dry_run: bool) -> None:
    from bo_console.finance import interchange

    store, actor = open_store(ctx)
    result = interchange.import_journal(
        store, actor, file, fmt=fmt.value, force=force, dry_run=dry_run
    )
    say(result.message)


def _export(
    ctx: typer.Context,
    fmt: JournalExportFormat,
    output: Path | None,
    date_from: str | None,
    date_to: str | None,
) -> None:
    from bo_console.finance import interchange

    start = option_date(date_from, "--from") if date_from else None
    end = option_date(date_to, "--to") if date_to else None
    store, actor = open_store(ctx)
    with store.read() as session:
        count = interchange.export_journal(
            session, actor, output, fmt=fmt.value, date_from=start, date_to=end
        )
    if output is not None:
        say(f"wrote {count} entries to {output}")


ImportFileArg = Annotated[
    Path,
    typer.Argument(
        help="Our journal CSV (see data/finance-journal-template.csv) or hledger's CSV."
    ),
]
ImportFormatOption = Annotated[
    ImportFormat,
    typer.Option("--format", help="File format (auto: from the header).", case_sensitive=False),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Import even if this very file was imported before.")
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check the file, write nothing.")]
ExportFormatOption = Annotated[
    JournalExportFormat,
    typer.Option("--format", "-f", help="hledger journal or our CSV.", case_sensitive=False),
]
FromOption = Annotated[str | None, typer.Option("--from", help="First date.")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last date.")]


@journal_app.command("import")
def journal_import(
    ctx: typer.Context,
    file: ImportFileArg,
    fmt: ImportFormatOption = ImportFormat.auto,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Import journal entries: every row valid, or nothing written. Runs as a job."""
    _import(ctx, file, fmt, force, dry_run)


@import_app.command("journal")
def import_journal(
    ctx: typer.Context,
    file: ImportFileArg,
    fmt: ImportFormatOption = ImportFormat.auto,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Import journal entries: every row valid, or nothing written. Runs as a job."""
    _import(ctx, file, fmt, force, dry_run)


@journal_app.command("export")
def journal_export(
    ctx: typer.Context,
    fmt: ExportFormatOption = JournalExportFormat.hledger,
    output: OutputOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
) -> None:
    """Export posted entries as an hledger journal (or our CSV)."""
    _export(ctx, fmt, output, date_from, date_to)


@export_app.command("journal")
def export_journal(
    ctx: typer.Context,
    fmt: ExportFormatOption = JournalExportFormat.hledger,
    output: OutputOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
) -> None:
    """Export posted entries as an hledger journal (or our CSV)."""
    _export(ctx, fmt, output, date_from, date_to)


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
    store, actor = open_store(ctx)
    with store.read() as session:
        tb = reports.trial_balance(session, actor, day, include_zero=include_zero)
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
    store, actor = open_store(ctx)
    with store.read() as session:
        gl = reports.general_ledger(session, actor, account, start, end)
    emit_report(general_ledger_table(gl), fmt, output)


@report_app.command("income-statement")
def report_income_statement(
    ctx: typer.Context,
    date_from: Annotated[str, typer.Option("--from", help="First date.")],
    date_to: Annotated[str, typer.Option("--to", help="Last date.")] = "t",
    compare: Annotated[
        bool, typer.Option("--compare", help="Beside the previous period of the same length.")
    ] = False,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Income statement (profit and loss) for a date range."""
    from bo_console.finance import reports
    from bo_console.finance.report_tables import income_statement_table

    start, end = option_date(date_from, "--from"), option_date(date_to, "--to")
    check_output(fmt.value, output)
    store, actor = open_store(ctx)
    with store.read() as session:
        pl = reports.income_statement(session, actor, start, end, compare=compare)
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
    store, actor = open_store(ctx)
    with store.read() as session:
        sheet = reports.balance_sheet(session, actor, day)
    emit_report(balance_sheet_table(sheet), fmt, output)


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


cli_documents.register(app, report_app)
