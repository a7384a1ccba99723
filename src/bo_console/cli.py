"""The ``bo`` command: the root Typer app, its global options, and error handling.

Kept light: it imports typer and the small core modules only. Each command group's module is
imported when a command line names it (:data:`GROUPS`), and each command imports what it needs
when it runs, so ``bo --help`` and cron jobs start fast.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from bo_console import __version__
from bo_console.clikit import (
    CliState,
    is_interactive,
    set_command_line,
    set_verbose,
    state,
)
from bo_console.commands import setup as setup_cmd
from bo_console.core import failures
from bo_console.core.errors import AlreadyDone, ExitCode
from bo_console.departments import CLI_GROUPS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from typer._click import Command
    from typer.models import CommandInfo, TyperInfo

CLI_WAIT_SECONDS = 10.0
"""How long a command waits for another writer by default: a clerk at the prompt should not
wait long, and most writes take well under a second."""

app = typer.Typer(
    name="bo",
    help="bo-console: the back office in a terminal. Run `bo` on a terminal to open the console.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bo-console {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or SQLAlchemy URL (else $BO_DATABASE_URL, the "
            "config file, or the per-user default).",
            metavar="URL",
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help=f"Seconds a command waits for another writer (an import, a pay run) before it "
            f'exits 4 "busy"; default {CLI_WAIT_SECONDS:g}. Cron jobs that should queue '
            "give more, e.g. --wait 3600. With `tui`, how long the console waits before it "
            "offers to try again.",
            metavar="SECONDS",
            min=0,
            max=86400,
        ),
    ] = CLI_WAIT_SECONDS,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Say what was done even without a terminal (cron jobs are quiet on success).",
        ),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """bo-console: the back office in a terminal."""
    ctx.obj = CliState(db_option=db, wait=wait, verbose=verbose)
    set_verbose(verbose)
    if ctx.invoked_subcommand is None:
        if not is_interactive():
            typer.echo(ctx.get_help())
            raise typer.Exit(ExitCode.USAGE)
        from bo_console.console import open_console

        open_console(state(ctx).url)


app.command("init")(setup_cmd.init)
app.command("demo")(setup_cmd.demo)
app.command("tui")(setup_cmd.tui)

CORE_GROUPS: dict[str, tuple[str, str]] = {
    "db": ("bo_console.commands.db:app", "Migrate, back up, restore and check the database."),
    "host": (
        "bo_console.commands.host:app",
        "Set up a sealed host: a service account owns the store, people run bo through sudo.",
    ),
    "users": ("bo_console.commands.users:app", "Console users and their roles."),
    "audit": ("bo_console.commands.audit:app", "Read and verify the audit trail."),
    "jobs": (
        "bo_console.commands.jobs:app",
        "Batch job runs (who ran what, when, and how it ended).",
    ),
    "inbox": ("bo_console.commands.inbox:app", "Work items handed between departments."),
}
"""The core's command groups, as :data:`bo_console.departments.CLI_GROUPS` lists the
departments': name -> ("module:attribute", help line)."""

GROUPS: dict[str, tuple[str, str]] = {**CORE_GROUPS, **CLI_GROUPS}
"""Every command group under ``bo``, in the order ``bo --help`` lists them."""


def _import(target: str) -> typer.Typer:
    """The Typer app at ``target`` ("module:attribute")."""
    module, attribute = target.split(":")
    group = getattr(importlib.import_module(module), attribute)
    assert isinstance(group, typer.Typer)
    return group


def load_group(name: str, args: Sequence[str] = ()) -> typer.Typer:
    """Import group ``name``'s module and return its Typer app.

    A department's app lists its sub-groups in its module's ``SUBGROUPS`` (name ->
    "module:attribute"), so that a command line imports the sub-group it names (``args``: what
    follows the group's name) and not its siblings; a command of the app itself needs none,
    and help, an option or a misspelling get them all.
    """
    target = GROUPS[name][0]
    group = _import(target)
    module, attribute = target.split(":")
    subgroups: dict[str, str] = (
        getattr(sys.modules[module], "SUBGROUPS", {}) if attribute == "app" else {}
    )
    if not subgroups:
        return group
    first = args[0] if args else None
    if first in subgroups:
        wanted = [first]
    elif any(_command_name(command) == first for command in group.registered_commands):
        wanted = []
    else:
        wanted = list(subgroups)
    whole = copy.copy(group)
    whole.registered_groups = list(group.registered_groups)
    for sub in wanted:
        whole.add_typer(_import(subgroups[sub]), name=sub)
    return whole


def full_app() -> typer.Typer:
    """The root app with every group imported and attached: the whole tree of commands (for
    walking every command, as the help tests do; a command line builds only its branch)."""
    whole = copy.copy(app)
    whole.registered_groups = list(app.registered_groups)
    for name in GROUPS:
        whole.add_typer(load_group(name), name=name)
    return whole


def _name(value: object) -> str | None:
    """A name given in code (typer's placeholders for names left unset are not)."""
    return value if isinstance(value, str) else None


def _command_name(command: CommandInfo) -> str | None:
    """The name a command line calls ``command`` by."""
    return _name(command.name) or (
        typer.main.get_command_name(command.callback.__name__) if command.callback else None
    )


def _children(group: typer.Typer) -> set[str]:
    """The names of ``group``'s commands and sub-groups."""
    names = {_command_name(command) for command in group.registered_commands}
    names |= {_name(info.name) for info in group.registered_groups}
    return {name for name in names if name is not None}


def _not_run() -> None:
    """A listed command's stand-in: only its name and help are read."""
    raise RuntimeError("a command listed for help was run")


def _stand_in(command: CommandInfo) -> CommandInfo:
    """``command`` as a listing shows it: its name and help, and no parameters."""
    if command.callback is None:
        return command
    stand_in = copy.copy(command)
    stand_in.name = _command_name(command)
    if stand_in.help is None:
        stand_in.help = inspect.getdoc(command.callback)
    stand_in.callback = _not_run
    return stand_in


def _emptied(info: TyperInfo) -> TyperInfo:
    """Sub-group ``info`` as its parent's listing shows it: its name and help, no commands."""
    if info.typer_instance is None:
        return info
    emptied = copy.copy(info)
    emptied.typer_instance = copy.copy(info.typer_instance)
    emptied.typer_instance.registered_commands = []
    emptied.typer_instance.registered_groups = []
    return emptied


def _listed(group: typer.Typer) -> typer.Typer:
    """``group`` as its help and the suggestions for a mistyped name need it: every name and
    help line, each command standing in without its parameters and each sub-group without its
    commands (a shallow copy).

    Typer reads each command's signature, evaluating every annotation, to build it; a
    department's help would otherwise build every command of every sub-group to show their
    names.
    """
    listed = copy.copy(group)
    listed.registered_commands = [_stand_in(c) for c in group.registered_commands]
    listed.registered_groups = [_emptied(info) for info in group.registered_groups]
    return listed


def _only(group: typer.Typer, args: list[str]) -> typer.Typer:
    """``group`` with, below it, only the command or sub-group ``args`` names, pruned the same
    way (a shallow copy). When ``args`` names nothing of it (help, an option, a misspelling:
    those need every name, for the listing or the suggestions), the listing of ``group``
    (:func:`_listed`), or ``group`` itself if a later argument names one of its commands (as
    after ``--``), which may then run."""
    if not args or args[0].startswith("-"):
        return _listed(group) if _children(group).isdisjoint(args) else group
    wanted, rest = args[0], args[1:]
    for command in group.registered_commands:
        if _command_name(command) == wanted:
            pruned = copy.copy(group)
            pruned.registered_commands, pruned.registered_groups = [command], []
            return pruned
    for info in group.registered_groups:
        if _name(info.name) == wanted and info.typer_instance is not None:
            sub = copy.copy(info)
            sub.typer_instance = _only(info.typer_instance, rest)
            pruned = copy.copy(group)
            pruned.registered_commands, pruned.registered_groups = [], [sub]
            return pruned
    return _listed(group) if _children(group).isdisjoint(args) else group


def _outline() -> typer.Typer:
    """The root app's listing with each group as an empty group of the same name and help
    line: all that the top-level help, the root's callback and the suggestions for a mistyped
    name need, without importing any group."""
    outline = _listed(app)
    for name, (_, help_line) in GROUPS.items():
        outline.add_typer(typer.Typer(help=help_line, no_args_is_help=True), name=name)
    return outline


def command_for(argv: list[str]) -> Command:
    """The click command for this command line, built only along the path it names.

    Typer turns every function into a click command up front (reading its signature and
    annotations), and importing a group's modules costs more than that; so a command line
    that names a group imports that group alone and builds the branch it names (the whole
    group for its help, an option or a misspelling below it); at the top level (``bo``,
    ``bo --help``, a mistyped command) the groups are listed by name and help line without
    importing any of them.
    """
    rest = list(argv)
    while rest and rest[0] != "--" and rest[0].startswith(("--db", "--wait", "-v", "--verbose")):
        flag = rest[0] in ("-v", "--verbose")
        rest = rest[1:] if flag or "=" in rest[0] else rest[2:]
    if rest and rest[0] in GROUPS:
        branch = copy.copy(app)
        branch.registered_commands, branch.registered_groups = [], []
        branch.add_typer(_only(load_group(rest[0], rest[1:]), rest[1:]), name=rest[0])
        return typer.main.get_command(branch)
    if _children(app).isdisjoint(rest):
        return typer.main.get_command(_outline())
    return typer.main.get_command(_only(app, rest))


def _verbose(args: list[str]) -> bool:
    """Whether the root options (before the command's name) include ``-v``."""
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in ("-v", "--verbose"):
            return True
        if arg in ("--db", "--wait") and rest:
            rest.pop(0)
        elif not arg.startswith("-"):
            return False
    return False


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code (expected failures become one-line messages)."""
    from bo_console.core import startup

    args = sys.argv[1:] if argv is None else argv
    set_command_line(args)
    startup.pause()
    try:
        result = command_for(args).main(args=args, prog_name="bo", standalone_mode=False)
        # Here, not at exit, so that a full disk behind stdout is reported like any other.
        sys.stdout.flush()
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"bo: {exc.format_message()}\n")
        return int(exc.exit_code)
    except typer.Abort:
        return failures.fail("aborted", int(ExitCode.ERROR))
    except (Exception, KeyboardInterrupt) as exc:  # the last line of defence: no tracebacks
        if isinstance(exc, AlreadyDone) and not (_verbose(args) or sys.stderr.isatty()):
            return 0  # "already ran" is success: cron mails nothing (the run is recorded)
        return failures.exit_code_for(exc)
    finally:
        startup.end()
    return int(result) if isinstance(result, int) else 0
