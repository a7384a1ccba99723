"""``bo finance bank``: bank accounts, statement import, reconciliation and its report."""

from __future__ import annotations

from pathlib import Path
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
from bo_console.core.errors import UsageProblem, ValidationFailed
from bo_console.finance.cli.options import (
    ReportFormat,
    ReportFormatOption,
    check_output,
    emit_report,
    option_date,
)

bank_app = typer.Typer(
    help="Bank accounts, statement import and reconciliation.", no_args_is_help=True
)
accounts_app = typer.Typer(help="Bank accounts.", no_args_is_help=True)
rules_app = typer.Typer(help="Rules that post recurring statement lines.", no_args_is_help=True)
bank_app.add_typer(accounts_app, name="accounts")
bank_app.add_typer(rules_app, name="rules")

BankArgument = Annotated[str, typer.Argument(help="The bank account's code.")]


@accounts_app.command("add")
def accounts_add(
    ctx: typer.Context,
    code: BankArgument,
    name: Annotated[str, typer.Argument(help="The bank's name for the account.")],
    account: Annotated[str, typer.Option("--account", help="The ledger account (e.g. 1110).")],
    iban: Annotated[str, typer.Option("--iban", help="IBAN.")] = "",
) -> None:
    """Add a bank account kept in a ledger account (finance managers)."""
    from bo_console.finance import bank

    store, actor = open_store(ctx)
    with store.write() as session:
        view = bank.add_bank_account(
            session, actor, code=code, name=name, account=account, iban=iban
        )
    say(f"added bank account {view.code} ({view.account})")


@accounts_app.command("list")
def accounts_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List the bank accounts and their saved CSV mappings."""
    from bo_console.finance import bank

    reader, actor = open_reader(ctx)
    rows = bank.list_bank_accounts(reader, actor)
    data = [{**r.__dict__, "csv_mapping": ", ".join(f"{k}={v}" for k, v in r.csv_mapping.items())}
            for r in rows]  # fmt: skip
    emit(data, ["code", "name", "account", "iban", "csv_mapping"], fmt, output)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column:
            raise UsageProblem(f"--map wants FIELD=COLUMN, not {pair!r}")
        mapping[field.strip().lower()] = column
    return mapping


@bank_app.command("import")
def bank_import(
    ctx: typer.Context,
    code: BankArgument,
    file: Annotated[Path, typer.Argument(help="The statement: CSV, or CAMT.053 XML.")],
    kind: Annotated[
        str | None, typer.Option("--type", help="csv or camt053 (default: from the file name).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN for a CSV (date, amount or debit and credit, text, reference, "
            "date_format=%d/%m/%Y); saved for this bank.",
        ),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="The last day the statement covers.")
    ] = None,
) -> None:
    """Import a statement. The same file twice changes nothing; lines already imported from
    another file are skipped."""
    from bo_console.finance import bank

    fmt = (kind or ("camt053" if file.suffix.lower() == ".xml" else "csv")).lower()
    until = option_date(to, "--to") if to else None
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"cannot read {file}: {exc.strerror}") from None
    store, actor = open_store(ctx)
    with store.write() as session:
        result = bank.import_statement(
            session, actor, code, content, fmt=fmt, mapping=_mapping(mapping or []), to=until
        )
    if result.already_imported:
        say(f"{file.name} was already imported into {result.bank}; nothing changed")
    else:
        say(f"imported {result.added} lines into {result.bank} ({result.skipped} already there)")


@bank_app.command("match")
def bank_match(ctx: typer.Context, code: BankArgument) -> None:
    """Reconcile the open lines that have one best ledger match, and post the lines a rule
    fits."""
    from bo_console.finance import bank

    store, actor = open_store(ctx)
    with store.write() as session:
        result = bank.auto_match(session, actor, code)
    say(f"matched {result.matched}, posted by rules {result.by_rules}, open {result.still_open}")


@bank_app.command("lines")
def bank_lines(
    ctx: typer.Context,
    code: BankArgument,
    open_only: Annotated[bool, typer.Option("--open", help="Only lines not reconciled.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The statement lines and what each is reconciled with."""
    from bo_console.finance import bank

    reader, actor = open_reader(ctx)
    rows = bank.list_lines(reader, actor, code, open_only=open_only)
    columns = ["id", "date", "amount", "text", "reference", "status", "entry"]
    emit([r.__dict__ for r in rows], columns, fmt, output)


@bank_app.command("suggest")
def bank_suggest(
    ctx: typer.Context,
    line: Annotated[int, typer.Argument(help="The statement line's id.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Ledger lines a statement line may be reconciled with, best first."""
    from bo_console.finance import bank

    reader, actor = open_reader(ctx)
    found = bank.suggestions(reader, actor, line)
    rows = [
        {"entry": c.entry, "line": c.line_no, "date": c.date, "memo": c.memo,
         "reference": c.source_ref, "same_reference": c.score[0] == 0, "days_apart": c.score[1]}
        for c in found
    ]  # fmt: skip
    columns = ["entry", "line", "date", "memo", "reference", "same_reference", "days_apart"]
    emit(rows, columns, fmt, output)


@bank_app.command("reconcile")
def bank_reconcile(
    ctx: typer.Context,
    line: Annotated[int, typer.Argument(help="The statement line's id.")],
    entry: Annotated[str, typer.Argument(help="The ledger entry (2026-000123, or ENTRY:LINE).")],
    undo: Annotated[bool, typer.Option("--undo", help="Undo the line's reconciliation.")] = False,
) -> None:
    """Reconcile a statement line with a ledger entry's line on the bank's account."""
    from bo_console.finance import bank

    store, actor = open_store(ctx)
    with store.write() as session:
        if undo:
            view = bank.unreconcile(session, actor, line)
            say(f"line {view.id} is open again")
            return
        ref, _, number = entry.partition(":")
        if number and not number.isdigit():
            raise UsageProblem(f"ENTRY:LINE wants a line number, not {number!r}")
        view = bank.reconcile(session, actor, line, ref, int(number) if number else None)
    say(f"line {view.id} reconciled with {view.entry}")


@bank_app.command("report")
def bank_report(
    ctx: typer.Context,
    code: BankArgument,
    as_of: Annotated[str, typer.Option("--as-of", help="The statement date.")] = "t",
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """The reconciliation: statement balance, less statement lines not in the ledger, plus
    ledger lines not on the statement, against the ledger balance; then each open item."""
    from bo_console.finance import bank
    from bo_console.finance.report_tables import reconciliation_table

    day = option_date(as_of, "--as-of")
    check_output(fmt.value, output)
    reader, actor = open_reader(ctx)
    rec = bank.reconciliation(reader, actor, code, day)
    emit_report(reconciliation_table(rec), fmt, output)


@bank_app.command("month")
def bank_month(
    ctx: typer.Context,
    period: Annotated[str, typer.Argument(help="YYYY-MM.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Whether each bank account is reconciled for a month, and why not."""
    from bo_console.finance import bank

    reader, actor = open_reader(ctx)
    rows = bank.bank_accounts_reconciled(reader, actor, period)
    emit([r.__dict__ for r in rows], ["bank", "reconciled", "reason"], fmt, output)


@rules_app.command("add")
def rules_add(
    ctx: typer.Context,
    code: BankArgument,
    match_text: Annotated[str, typer.Argument(help="Text the statement line holds.")],
    account: Annotated[str, typer.Option("--account", help="The account to post against.")],
    tax_code: Annotated[
        str | None, typer.Option("--tax-code", help="Split the VAT out (e.g. S15).")
    ] = None,
    memo: Annotated[str, typer.Option("--memo", help="The entry's memo.")] = "",
) -> None:
    """Add a rule for recurring lines such as bank charges (finance managers)."""
    from bo_console.finance import bank

    store, actor = open_store(ctx)
    with store.write() as session:
        rule = bank.add_rule(
            session, actor, code, match_text=match_text, account=account, tax_code=tax_code,
            memo=memo,
        )  # fmt: skip
    say(f"added rule {rule}")
