"""The CLI face's kit: opening the store, signing in, output formats, confirmations.

Imports only typer and the light core modules at the top; anything heavy is imported inside
the functions that need it, so ``bo --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.core.errors import UsageProblem

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.core.security import Actor


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Do it without asking (required without a terminal).")
]


@dataclass
class CliState:
    """Root options, kept on the Click context for sub-commands."""

    db_option: str | None = None
    wait: float | None = None  # --wait: seconds a write waits for another writer

    @property
    def url(self) -> str:
        from bo_console.core.config import resolve_database_url

        return resolve_database_url(self.db_option)


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def store_of(ctx: typer.Context) -> Store:
    """The store chosen by ``--db``/``BO_DATABASE_URL``/config, not yet checked.

    A command asks for its store once its own imports are done: from here on the garbage
    collector runs again (see :mod:`bo_console.core.startup`).
    """
    from bo_console.core import startup
    from bo_console.core.db import Store, set_wait

    options = state(ctx)
    if options.wait is not None:
        set_wait(options.wait)
    store = Store(options.url)
    startup.done()
    return store


def open_store(ctx: typer.Context) -> tuple[Store, Actor]:
    """Check the database is usable and sign the OS user in."""
    from bo_console.core import security

    store = store_of(ctx)
    store.ensure_usable()
    with store.read() as session:
        actor = security.sign_in(session)
    return store, actor


def say(message: str) -> None:
    """A message for the person (stderr), never mixed with data on stdout."""
    typer.echo(message, err=True)


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm(question: str, *, yes: bool) -> None:
    """Go on when ``--yes`` was given or the person at the terminal agrees; else stop.

    Raises:
        UsageProblem: no terminal to ask and no ``--yes``.
    """
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageProblem(f"{question.rstrip('?')}: refusing without --yes (no terminal to ask)")
    if not typer.confirm(question, default=False, err=True):
        raise typer.Exit(1)


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: OutputFormat | str,
    output: Path | None = None,
) -> None:
    """Write rows as a table, CSV or JSON, to stdout or ``output``."""
    from bo_console.core import io

    fmt_value = fmt.value if isinstance(fmt, Enum) else str(fmt)
    if output is not None:
        io.check_output_path(output)
    if fmt_value == "table":
        text = io.render_table(rows, columns, color=output is None and sys.stdout.isatty())
        if output is None:
            sys.stdout.write(text)
        else:
            io.write_text_file(output, text)
        return
    if output is not None:
        io.write_file(rows, columns, output, fmt_value)
        say(f"wrote {len(rows)} rows to {output}")
        return
    sys.stdout.write(io.dumps(rows, columns, fmt_value))
