"""``bo users``: console users and their roles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import (
    ExportFormat,
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    export_format,
    open_reader,
    open_store,
    say,
)

app = typer.Typer(help="Console users and their roles.", no_args_is_help=True)

USER_COLUMNS = ["login", "full_name", "roles", "active", "created_at"]


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="The person's OS account name.")],
    role: Annotated[list[str], typer.Option("--role", "-r", help="Role to grant (repeatable).")],
    full_name: Annotated[str, typer.Option("--name", help="Full name.")] = "",
    later: Annotated[
        bool,
        typer.Option(
            "--later",
            help="The OS account does not exist yet and will be created later (without this, "
            "a login with no OS account is refused: it is most often a typo).",
        ),
    ] = False,
) -> None:
    """Register an OS account as a console user with one or more roles.

    On a sealed host the account also joins the console users' group (see `bo host setup`).
    """
    from bo_console.core import security
    from bo_console.host.members import admit

    store, actor = open_store(ctx)
    with store.write() as session:
        security.add_user(session, actor, login=login, roles=role, full_name=full_name)
        if not later:
            _require_os_account(login)
    say(f"added {login} ({', '.join(sorted(set(role)))})")
    note = admit(login)
    if note:
        say(note)


def _require_os_account(login: str) -> None:
    """Refuse a login that names no OS account (the write is rolled back)."""
    import pwd

    from bo_console.core.errors import ValidationFailed

    try:
        pwd.getpwnam(login)
    except KeyError:
        raise ValidationFailed(
            f"there is no OS account {login!r} on this host; check the spelling, or pass "
            "--later if the account will be created later"
        ) from None


@app.command("list")
def list_cmd(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List console users with their roles."""
    from bo_console.core import security

    reader, actor = open_reader(ctx)
    users = security.list_users(reader, actor)
    rows = [
        {
            "login": u.login,
            "full_name": u.full_name,
            "roles": list(u.roles),
            "active": u.active,
            "created_at": u.created_at,
        }
        for u in users
    ]
    emit(rows, USER_COLUMNS, fmt, output)


@app.command("grant")
def grant_cmd(ctx: typer.Context, login: str, role: str) -> None:
    """Grant ROLE to LOGIN."""
    from bo_console.core import security

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = security.grant_role(session, actor, login=login, role=role)
    say(f"granted {role} to {login}" if changed else f"{login} already has {role}; nothing changed")


@app.command("revoke")
def revoke_cmd(ctx: typer.Context, login: str, role: str) -> None:
    """Revoke ROLE from LOGIN."""
    from bo_console.core import security

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = security.revoke_role(session, actor, login=login, role=role)
    say(
        f"revoked {role} from {login}"
        if changed
        else f"{login} does not have {role}; nothing changed"
    )


@app.command("disable")
def disable_cmd(ctx: typer.Context, login: str) -> None:
    """Disable LOGIN: they can no longer use the console (history is kept)."""
    from bo_console.core import security

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = security.set_active(session, actor, login=login, active=False)
    say(f"disabled {login}" if changed else f"{login} is already disabled; nothing changed")


@app.command("enable")
def enable_cmd(ctx: typer.Context, login: str) -> None:
    """Re-enable a disabled user."""
    from bo_console.core import security

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = security.set_active(session, actor, login=login, active=True)
    say(f"enabled {login}" if changed else f"{login} is already enabled; nothing changed")


@app.command("roles")
def roles_cmd(fmt: FormatOption = OutputFormat.table, output: OutputOption = None) -> None:
    """List the built-in roles and their permissions."""
    from bo_console.core.security import ROLES

    rows = [
        {"role": r.name, "description": r.description, "permissions": sorted(r.permissions)}
        for r in ROLES.values()
    ]
    emit(rows, ["role", "description", "permissions"], fmt, output)


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with login, full_name, roles.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file, write nothing.")
    ] = False,
) -> None:
    """Add users from a CSV/XLSX file: all of them, or none if any row is wrong.

    Columns: login, full_name (optional), roles (separated by ';'), active (optional, yes/no).
    Template: data/users-template.csv.
    """
    from bo_console.core import user_io
    from bo_console.host.members import admit

    store, actor = open_store(ctx)
    with store.write() as session:
        logins = user_io.import_users(session, actor, file, dry_run=dry_run)
        if dry_run:
            session.rollback()
    if dry_run:
        say(f"{file.name}: {len(logins)} users are valid; nothing written (dry run)")
        return
    say(f"imported {len(logins)} users from {file.name}")
    # On a sealed host each imported account joins the console group, as with `bo users add`.
    for login in logins:
        note = admit(login)
        if note:
            say(note)


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="csv, xlsx or json (default: from the file name)."),
    ] = None,
) -> None:
    """Export users to CSV, XLSX or JSON (the same columns import reads)."""
    from bo_console.core import user_io

    value = export_format(output, fmt)
    reader, actor = open_reader(ctx)
    count = user_io.export_users(reader, actor, output, value)
    say(f"wrote {count} users to {output}")
