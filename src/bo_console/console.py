"""``bo`` itself: open the console fast, or hand the command line to :mod:`bo_console.cli`.

Opening the console (``bo``, ``bo tui``, ``bo tui --screen finance``, each with an optional
``--db``) needs neither typer nor the tree of commands, whose import and set-up cost a
clerk's every launch about a tenth of a second; those command lines are taken here. Anything
else (another command, ``--help``, a misspelling, no terminal for a bare ``bo``) goes to the
command line as it is, so its messages and exit codes stay the command line's own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core.errors import UsageProblem

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class ConsoleArgs:
    """A command line that only opens the console."""

    db: str | None = None
    screen: str | None = None
    tui: bool = False


def console_args(argv: list[str]) -> ConsoleArgs | None:
    """What ``argv`` asks of the console: ``[--db URL] [tui [--screen NAME | -s NAME]]``;
    None for any other command line (including option values that look like options)."""
    rest = list(argv)
    db: str | None = None
    if rest and rest[0] == "--db" and len(rest) >= 2:
        db, rest = rest[1], rest[2:]
    elif rest and rest[0].startswith("--db="):
        db, rest = rest[0].removeprefix("--db="), rest[1:]
    if db is not None and (not db or db.startswith("-")):
        return None
    if not rest:
        return ConsoleArgs(db=db)
    if rest[0] != "tui":
        return None
    rest = rest[1:]
    screen: str | None = None
    if len(rest) == 2 and rest[0] in ("--screen", "-s"):
        screen = rest[1]
    elif len(rest) == 1 and rest[0].startswith("--screen="):
        screen = rest[0].removeprefix("--screen=")
    elif rest:
        return None
    if screen is not None and (not screen or screen.startswith("-")):
        return None
    return ConsoleArgs(db=db, screen=screen, tui=True)


def open_console(url: str, screen: str | None = None) -> None:
    """Start the full-screen console on ``url`` (only on a terminal), on Home or on ``screen``.

    With a screen, its name and the user's right to open it are checked before the terminal
    is, so a script learns of a wrong name (exit 2) or a missing role (exit 3) as such.
    """
    from bo_console import departments

    name = "home" if screen is None else departments.screen_name(screen)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if screen is None and not interactive:
        raise no_terminal()
    store, actor = signed_in(url, name)
    if not interactive:
        raise no_terminal()
    from bo_console.ui.app import BoApp

    BoApp(store=store, actor=actor, screen=name).run()


def signed_in(url: str, name: str) -> tuple[Store, Actor]:
    """The store at ``url``, checked, and the OS user signed in, with their right to open
    the screen ``name`` checked.

    Through a Reader: on SQLite the check and the sign-in read with ``sqlite3``, so the
    console's first frame does not wait for SQLAlchemy (imported after it, in the background:
    :meth:`bo_console.ui.app.BoApp.warm_up`).
    """
    from bo_console import departments
    from bo_console.core import security
    from bo_console.core.db import Store

    store = Store(url)
    with store.reading() as reader:
        store.ensure_usable(reader)
        actor = security.sign_in(reader)
    departments.require_screen(actor, name)
    return store, actor


def no_terminal() -> UsageProblem:
    """The refusal of a console asked for without a terminal."""
    return UsageProblem(
        "the console needs a terminal; use the subcommands in scripts (see `bo --help`)"
    )


def launch(args: ConsoleArgs) -> int:
    """Open the console as ``args`` asks; the exit code."""
    from bo_console.core import failures, startup
    from bo_console.core.config import resolve_database_url

    startup.pause()
    try:
        open_console(resolve_database_url(args.db), args.screen)
    except (Exception, KeyboardInterrupt) as exc:  # the last line of defence: no tracebacks
        return failures.exit_code_for(exc)
    finally:
        startup.end()
    return 0


def main() -> None:
    """Console-script entry point (``bo``): the console, or the command line."""
    args = console_args(sys.argv[1:])
    # A bare `bo` without a terminal prints the command line's help: that is the CLI's to do.
    if args is None or (not args.tui and not (sys.stdin.isatty() and sys.stdout.isatty())):
        from bo_console.cli import run

        code = run()
    else:
        code = launch(args)
    if "bo_console.core.engine" in sys.modules:  # the store was opened with SQLAlchemy
        from bo_console.core.engine import close_engines

        close_engines()
    sys.exit(code)
