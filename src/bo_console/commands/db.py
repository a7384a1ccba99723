"""``bo db``: migrate, back up, restore and check the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    YesOption,
    confirm,
    emit,
    open_store,
    progress_bar,
    say,
    store_of,
    verbose,
)
from bo_console.core.errors import IntegrityProblem, ValidationFailed

app = typer.Typer(help="Migrate, back up, restore and check the database.", no_args_is_help=True)


@app.command("migrate")
def migrate_cmd(ctx: typer.Context) -> None:
    """Upgrade the database schema to this program's version (admins only)."""
    from bo_console.core import migrate, security
    from bo_console.core.errors import StoreUnavailable

    store = store_of(ctx)
    if not store.exists() or store.current_revision() is None:
        raise StoreUnavailable(
            f"no bo-console database at {store.label}; create one with `bo init`"
        )
    if migrate.compare(store.current_revision() or "") == "current":
        say(f"{store.label} is up to date (schema {migrate.head()}); nothing changed")
        return
    with store.read() as session:
        actor = security.sign_in(session)
    actor.require("db.admin", "migrate the database")
    before, after = migrate.upgrade(store)
    from bo_console import departments

    departments.sync_privileges(store)
    with store.write() as session:
        from bo_console.core import audit

        audit.record(
            session,
            actor,
            action="migrate",
            entity="database",
            entity_id=store.label,
            changes={"schema": (before, after)},
        )
    say(f"upgraded {store.label} from {before} to {after}")


@app.command("backup")
def backup_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the copy (created 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Copy the live database to FILE, consistent even while others write."""
    from bo_console.core import maintenance
    from bo_console.core.jobs import run_job
    from bo_console.core.sealed import person_path

    store, actor = open_store(ctx)
    file = person_path(file, writing=True)  # a sealed host's service writes only its own dirs
    if not file.expanduser().parent.is_dir():
        # Refused before the job starts, so a mistyped folder leaves no run behind.
        raise ValidationFailed(f"directory {file.expanduser().parent} does not exist")
    with run_job(store, actor, "db.backup", key=str(file), force=True) as job:
        with progress_bar(f"backing up to {file.name}") as progress:
            size = maintenance.backup(store, actor, file, overwrite=force, progress=progress)
        job.summary = f"backed up {store.label} to {file} ({size:,} bytes)"
    say(job.summary)


@app.command("restore")
def restore_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made by `bo db backup`.")],
    yes: YesOption = False,
) -> None:
    """Replace the database with FILE after checking FILE's integrity and audit chain.

    The current database is kept beside itself as <name>.before-restore-<time>.
    """
    from bo_console.core import maintenance

    store = store_of(ctx)
    actor = None
    if store.path is not None and store.path.exists():
        store, actor = open_store(ctx)
        actor.require("db.admin", "restore the database")
    # Check the file before asking, so nobody confirms a restore that would then be refused.
    maintenance.check_restore_source(file.expanduser().resolve())
    confirm(f"Replace {store.label} with {file}?", yes=yes)
    safety = maintenance.restore(store, actor, file)
    kept = f"; the previous database is kept as {safety}" if safety else ""
    say(f"restored {store.label} from {file}{kept}")


@app.command("check")
def check_cmd(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Run integrity_check, foreign_key_check, the audit chain and the business checks.

    Prints only the checks that failed (every check with ``bo -v``); exits 5 when anything
    is wrong.
    """
    from bo_console import departments

    store, actor = open_store(ctx)
    results = departments.check_store(store, actor)
    # Only the problems (cron mails whatever is printed; the exit status says all is well);
    # every check with -v.
    shown = results if verbose() else [r for r in results if not r.ok]
    rows = [
        {"check": r.name, "result": "ok" if r.ok else "FAILED", "detail": r.detail} for r in shown
    ]
    if rows or fmt == OutputFormat.json:  # JSON stays a document: [] when all is well
        emit(rows, ["check", "result", "detail"], fmt)
    failed = [r.name for r in results if not r.ok]
    if failed:
        raise IntegrityProblem(f"{len(failed)} check(s) failed: {', '.join(failed)}")


@app.command("info")
def info_cmd(ctx: typer.Context) -> None:
    """Show which database is in use, its schema and file mode."""
    import os
    import stat

    from bo_console.core import migrate

    store = store_of(ctx)
    lines = [f"database: {store.label}"]
    if store.exists():
        current = store.current_revision()
        lines.append(f"schema:   {current} (this program: {migrate.head()})")
        if store.path is not None:
            mode = stat.S_IMODE(os.stat(store.path).st_mode)
            lines.append(f"mode:     {mode:04o}")
    else:
        lines.append("status:   not created (run `bo init`)")
    typer.echo("\n".join(lines))


@app.command("copy")
def copy_cmd(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="An empty PostgreSQL database: postgresql://...")],
) -> None:
    """Copy this database into an empty PostgreSQL database, all or nothing, and verify the
    copy (row counts, trial balance, audit chain) before committing it (admins only)."""
    from bo_console import departments
    from bo_console.core.config import display_url

    store, actor = open_store(ctx)
    result = departments.copy_store(store, to, actor)
    say(
        f"copied {result.rows:,} rows of {result.tables} tables to {display_url(to)}; row counts,"
        f" trial balance and audit chain ({result.audit_rows:,} rows) verified"
    )


@app.command("roles")
def roles_cmd(ctx: typer.Context) -> None:
    """PostgreSQL: give each console role's database group its privileges and make each
    console user's database login a member of their roles' groups (run as the schema owner
    after adding or changing users)."""
    from bo_console import departments
    from bo_console.core.errors import RuleViolation

    store, actor = open_store(ctx)
    actor.require("db.admin", "grant database privileges")
    if store.is_sqlite:
        raise RuleViolation("bo db roles is for PostgreSQL; a SQLite file has no database roles")
    departments.sync_privileges(store)
    say(f"privileges of every console role granted on {store.label}")
