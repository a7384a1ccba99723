"""The CLI face's kit: opening the store, signing in, output formats, confirmations.

Imports only typer and the light core modules at the top; anything heavy is imported inside
the functions that need it, so ``bo --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.core.errors import UsageProblem

if TYPE_CHECKING:
    from datetime import date

    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.reading import Reader
    from bo_console.core.security import Actor


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: from the -o file's extension, else a table; xlsx needs -o).",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Do it without asking (required without a terminal).")
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check everything, write nothing.")]


@dataclass
class CliState:
    """Root options, kept on the Click context for sub-commands."""

    db_option: str | None = None
    wait: float | None = None  # --wait: seconds a write waits for another writer
    verbose: bool = False  # -v: say what was done even when nobody is at a terminal

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
    """Check the database is usable and sign the OS user in (on SQLite without SQLAlchemy:
    a command that writes imports it when it opens its unit of work)."""
    store = store_of(ctx)
    with store.reading() as reader:
        actor = _sign_in(store, reader)
    return store, actor


def open_reader(ctx: typer.Context) -> tuple[Reader, Actor]:
    """A Reader for a command that only reads, and the signed-in OS user: the store is
    checked and the user signed in through the same Reader, which stays in one read
    transaction until the command ends (on SQLite a read-only ``sqlite3`` connection; no
    SQLAlchemy is imported). Read services take it in place of a session."""
    from contextlib import ExitStack

    store = store_of(ctx)
    stack = ExitStack()
    ctx.call_on_close(stack.close)
    reader = stack.enter_context(store.reading())
    return reader, _sign_in(store, reader)


def _sign_in(store: Store, reader: Reader) -> Actor:
    from bo_console.core import security

    store.ensure_usable(reader)
    return security.sign_in(reader)


_verbose = False


def set_verbose(value: bool) -> None:
    """Set by the root command from ``-v`` (one command line per process)."""
    global _verbose  # noqa: PLW0603 - the root option reaches say() from any depth
    _verbose = value


def verbose() -> bool:
    """Whether ``-v`` was given to this command line."""
    return _verbose


def say(message: str) -> None:
    """What was done, for the person (stderr, never mixed with data on stdout).

    Said on a terminal or with ``-v``; otherwise (cron, which mails whatever a job prints)
    nothing is said on success: the exit status carries the verdict and a job's summary is
    in its run record (``bo jobs list``). Use :func:`warn` for what must be seen anyway.
    """
    if verbose() or sys.stderr.isatty():
        typer.echo(message, err=True)


def warn(message: str) -> None:
    """Something the person must see even from cron (the command still succeeds)."""
    typer.echo(message, err=True)


EXTENSION_FORMATS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}
"""The format a file name's extension stands for."""


_command_line: list[str] | None = None


def set_command_line(args: list[str]) -> None:
    """Kept by ``bo`` for :func:`format_given` (one command line per process)."""
    global _command_line  # noqa: PLW0603
    _command_line = list(args)


def format_given() -> bool:
    """Whether ``--format``/``-f`` was typed on this command line (not left at its default)."""
    if _command_line is None:
        return True
    for arg in _command_line:
        if arg == "--":
            break
        if arg in ("--format", "-f") or arg.startswith("--format="):
            return True
        if arg.startswith("-f") and not arg.startswith("--"):
            return True
    return False


def resolve_format(fmt: Enum | str | None, output: Path | None) -> str:
    """The format to write: ``--format`` when given, else the ``-o`` file's extension
    (``.csv``, ``.json``, ``.xlsx``), else ``fmt``'s default.

    Raises:
        UsageProblem: ``--format`` and the file's extension disagree, or xlsx without a file.
    """
    value = "table" if fmt is None else fmt.value if isinstance(fmt, Enum) else str(fmt)
    by_name = None if output is None else EXTENSION_FORMATS.get(output.suffix.lower())
    given = fmt is not None and format_given()
    if output is not None and by_name is not None:
        if not given:
            return by_name
        if by_name != value:
            raise UsageProblem(
                f"--format {value} does not match {output.name} (a {output.suffix.lower()} file "
                f"is {by_name}); drop --format or change the file name"
            )
    if value == "xlsx" and output is None:
        raise UsageProblem("--format xlsx writes a file: give -o FILE.xlsx")
    return value


def export_format(output: Path, fmt: Enum | None) -> str:
    """The format of an export to ``output``: :func:`resolve_format`'s answer when ``--format``
    was given, else the file's extension.

    Raises:
        UsageProblem: ``--format`` and the file's extension disagree.
        ValidationFailed: neither says csv, xlsx or json.
    """
    from bo_console.core.errors import ValidationFailed

    value = resolve_format(fmt, output) if fmt else output.suffix.lower().lstrip(".")
    if value not in ("csv", "xlsx", "json"):
        raise ValidationFailed(
            f"cannot tell the format of {output.name}; use --format csv|xlsx|json"
        )
    return value


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


PROGRESS_FROM = 5_000
"""Rows from which writing a file shows a progress bar (on a terminal): about a second of
XLSX on the 2-core machine."""


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: OutputFormat | str,
    output: Path | None = None,
) -> None:
    """Write rows as a table, CSV or JSON to stdout or ``output``, or as XLSX to ``output``.

    The format follows :func:`resolve_format` (``-o staff.xlsx`` writes XLSX). A long file
    is written under a :func:`progress_bar`.
    """
    from bo_console.core import io

    fmt_value = resolve_format(fmt, output)
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
        if len(rows) >= PROGRESS_FROM:
            with progress_bar(f"writing {output.name}") as progress:
                io.write_file(rows, columns, output, fmt_value, progress)
        else:
            io.write_file(rows, columns, output, fmt_value)
        say(f"wrote {len(rows):,} {'row' if len(rows) == 1 else 'rows'} to {output}")
        return
    sys.stdout.write(io.dumps(rows, columns, fmt_value))


def day_option(text: str, what: str) -> date:
    """A date typed on the command line (``2026-11-03``, ``t``, ``+5``, ``-1m``); ``what``
    (the option's name) leads the message when it is not one.

    Raises:
        ValidationFailed: not a date.
    """
    from bo_console.core.dates import parse_date
    from bo_console.core.errors import ValidationFailed

    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


def record_of(row: Any) -> dict[str, Any]:
    """A row as the output writers take it: a service's typed row by its ``record()``, a
    mapping as it is."""
    record = getattr(row, "record", None)
    return dict(record()) if callable(record) else dict(row)


def list_rows(
    ctx: typer.Context,
    query: Callable[[Session, Actor], Sequence[Any]],
    columns: Sequence[str],
    fmt: OutputFormat | str,
    output: Path | None,
) -> None:
    """The body of a list command: sign in, run ``query(session, actor)`` in one read
    transaction and :func:`emit` its rows with the command's ``--format`` and ``-o``."""
    store, actor = open_store(ctx)
    with store.read() as session:
        rows = query(session, actor)
    emit([record_of(row) for row in rows], columns, fmt, output)


Progress = Callable[[int, int], None]
"""``progress(done, total)``: how far a long job has come (what services and JobStrip take)."""


@contextmanager
def progress_bar(label: str, *, show: bool = True) -> Iterator[Progress]:
    """A progress bar on stderr for the ``with`` body, when stderr is a terminal (and
    ``show``); nothing at all otherwise (cron, pipes, files). The body reports with
    ``progress(done, total)``.

    The bar is removed when the body ends, so the command's one-line summary stands alone.
    """
    if not show or not sys.stderr.isatty():
        yield _no_progress
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield progress


def _no_progress(done: int, total: int) -> None:
    """Progress nobody sees."""
