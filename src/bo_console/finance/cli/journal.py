"""``bo finance journal``, ``bo finance import`` and ``bo finance export``: journal entries."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.clikit import (
    EXTENSION_FORMATS,
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    emit,
    format_given,
    open_reader,
    open_store,
    progress_bar,
    say,
)
from bo_console.core.errors import UsageProblem, ValidationFailed
from bo_console.finance.cli.options import (
    invalid_fields,
    option_date,
)

if TYPE_CHECKING:
    from bo_console.finance.journal import EntryView
    from bo_console.finance.models import LineCreate

journal_app = typer.Typer(
    help="Journal entries: list, show, add, post, reverse, import, export.", no_args_is_help=True
)
import_app = typer.Typer(
    help="Import into the books (same as `journal import`).", no_args_is_help=True
)
export_app = typer.Typer(
    help="Export from the books (same as `journal export`).", no_args_is_help=True
)

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
    from bo_console.finance.journal import EntryFilter, list_entries

    flt = EntryFilter(
        date_from=option_date(date_from, "--from") if date_from else None,
        date_to=option_date(date_to, "--to") if date_to else None,
        state=state,
        source=source,
        account=account,
        text=search,
        limit=limit,
    )
    reader, actor = open_reader(ctx)
    entries = list_entries(reader, actor, flt)
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
    from bo_console.finance.journal import get_entry

    reader, actor = open_reader(ctx)
    view = get_entry(reader, actor, entry)
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


_JOURNAL_EXTENSIONS = {
    ".csv": JournalExportFormat.csv,
    ".journal": JournalExportFormat.hledger,
    ".hledger": JournalExportFormat.hledger,
    ".ledger": JournalExportFormat.hledger,
}
"""The export format a file name's extension stands for (hledger reads all three names)."""


def _export_format(fmt: JournalExportFormat, output: Path | None) -> JournalExportFormat:
    """``--format`` when given, else the ``-o`` file's extension (``.csv`` or a journal's),
    else hledger; as every export does, a format the file's name contradicts is refused.

    Raises:
        UsageProblem: ``--format`` and the extension disagree, or the file is named for a
            format this export does not write (``.xlsx``, ``.json``).
    """
    if output is None:
        return fmt
    suffix = output.suffix.lower()
    by_name = _JOURNAL_EXTENSIONS.get(suffix)
    if by_name is None:
        if suffix in EXTENSION_FORMATS:
            raise UsageProblem(
                f"the journal is exported as hledger or csv, not {suffix}: name the file "
                f".journal or .csv"
            )
        return fmt
    if not format_given():
        return by_name
    if by_name != fmt:
        raise UsageProblem(
            f"--format {fmt.value} does not match {output.name} (a {suffix} file is "
            f"{by_name.value}); drop --format or change the file name"
        )
    return fmt


def _import(ctx: typer.Context, file: Path, fmt: ImportFormat, force: bool, dry_run: bool) -> None:
    from bo_console.finance import interchange

    store, actor = open_store(ctx)
    # A command is a process of its own: the importer may tune the interpreter for speed.
    with progress_bar(f"importing {file.name}") as progress:
        result = interchange.import_journal(
            store,
            actor,
            file,
            fmt=fmt.value,
            force=force,
            dry_run=dry_run,
            own_process=True,
            progress=progress,
        )
    say(result.message)


def _export(
    ctx: typer.Context,
    fmt: JournalExportFormat,
    output: Path | None,
    date_from: str | None,
    date_to: str | None,
) -> None:
    from bo_console.finance.interchange.export import export_journal

    fmt = _export_format(fmt, output)
    start = option_date(date_from, "--from") if date_from else None
    end = option_date(date_to, "--to") if date_to else None
    reader, actor = open_reader(ctx)
    # A bar only beside a file: on stdout the journal itself is what the terminal shows.
    label = f"writing {output.name}" if output is not None else ""
    with progress_bar(label, show=output is not None) as progress:
        count = export_journal(
            reader, actor, output, fmt=fmt.value, date_from=start, date_to=end, progress=progress
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
