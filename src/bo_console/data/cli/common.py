"""What the ``bo data`` commands share: the output format option (with xlsx)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bo_console.clikit import emit, say
from bo_console.core.errors import UsageProblem


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="table, csv, json or xlsx (xlsx needs -o).", case_sensitive=False
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


def out(rows: list[dict[str, Any]], columns: list[str], fmt: Format, output: Path | None) -> None:
    """Print or write rows; xlsx only to a file."""
    if fmt == Format.xlsx:
        if output is None:
            raise UsageProblem("--format xlsx needs --output FILE")
        from bo_console.core import io

        io.check_output_path(output)
        io.write_file(rows, columns, output, "xlsx")
        say(f"wrote {len(rows)} rows to {output}")
        return
    emit(rows, columns, fmt.value, output)
