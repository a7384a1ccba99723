"""``bo finance documents``: tax invoices and customer statements as PDF files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import open_reader, open_store, say
from bo_console.finance.cli.options import option_date

documents_app = typer.Typer(
    help="Printable documents: tax invoices and customer statements (PDF).", no_args_is_help=True
)

OutputPdf = Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")]


def _write(path: Path, data: bytes) -> None:
    from bo_console.core.errors import ValidationFailed
    from bo_console.core.io import private_output

    try:
        with private_output(path) as partial:
            partial.write_bytes(data)
    except OSError as exc:
        raise ValidationFailed(f"cannot write {path}: {exc.strerror}") from None


@documents_app.command("pdf")
def documents_pdf(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="A posted invoice or credit note number.")],
    output: OutputPdf,
) -> None:
    """A bilingual tax invoice (or credit note) with the seller's VAT number and the ZATCA QR
    code."""
    from bo_console.finance import printing

    store, actor = open_store(ctx)
    with store.read() as session:
        data = printing.document_pdf(session, actor, number)
    _write(output, data)
    say(f"wrote {output}")


@documents_app.command("statement")
def documents_statement(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="The customer's code.")],
    output: OutputPdf,
    date_from: Annotated[str, typer.Option("--from", help="First date.")] = "-1m",
    date_to: Annotated[str, typer.Option("--to", help="Last date.")] = "t",
) -> None:
    """A customer's bilingual statement of account: opening balance, movements, balance due."""
    from bo_console.finance import printing

    first, last = option_date(date_from, "--from"), option_date(date_to, "--to")
    reader, actor = open_reader(ctx)
    data = printing.statement_pdf(reader, actor, party, first, last)
    _write(output, data)
    say(f"wrote {output}")
