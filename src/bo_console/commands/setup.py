"""``bo init``, ``bo demo`` and ``bo tui``: create a database, fill a demo one, open the console."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import progress_bar, say, state, store_of
from bo_console.console import open_console
from bo_console.departments import screen_names

SCREEN_CHOICES = screen_names()


def init(
    ctx: typer.Context,
    group_shared: Annotated[
        bool,
        typer.Option(
            "--group-shared", help="Create the file 0660 (group may use it) instead of 0600."
        ),
    ] = False,
    currency: Annotated[str, typer.Option(help="Base currency of the books.")] = "SAR",
    company: Annotated[str, typer.Option(help="Company name shown in the header.")] = "",
    full_name: Annotated[str, typer.Option(help="Your name, for the first admin account.")] = "",
) -> None:
    """Create the database, seed reference data, and make you (the OS user) its first admin."""
    from bo_console import departments
    from bo_console.core.security import store_identity

    store = store_of(ctx)
    result = departments.init_database(
        store,
        store_identity(store.url),
        group_shared=group_shared,
        currency=currency,
        company=company,
        full_name=full_name,
    )
    say(result.message)


def default_demo_path() -> Path:
    from bo_console.core.config import default_database_path

    return default_database_path().with_name("demo.db")


def demo(
    ctx: typer.Context,
    open_after: Annotated[
        bool, typer.Option("--open", help="Open the console afterwards.")
    ] = False,
) -> None:
    """Build a demo database (deterministic sample data in every department).

    Without --db it builds <data dir>/demo.db, never your real database. On a database that
    already holds the demo it changes nothing; it refuses any other existing database.
    """
    from bo_console.core import startup
    from bo_console.core.config import normalise_url
    from bo_console.core.db import Store
    from bo_console.core.security import store_identity
    from bo_console.demo import build_demo

    chosen = state(ctx).db_option
    url = normalise_url(chosen or os.environ.get("BO_DATABASE_URL") or str(default_demo_path()))
    store = Store(url)
    startup.done()
    with progress_bar("building the demo") as progress:
        message = build_demo(store, store_identity(url), progress)
    say(message)
    if open_after:
        open_console(url)


def tui(
    ctx: typer.Context,
    screen: Annotated[
        str | None,
        typer.Option(
            "--screen",
            "-s",
            metavar="NAME",
            help="Open on this screen instead of Home: "
            + ", ".join(SCREEN_CHOICES)
            + " (those your roles open).",
        ),
    ] = None,
) -> None:
    """Open the full-screen console (what `bo` alone does on a terminal)."""
    wait, source = state(ctx).wait, ctx.find_root().get_parameter_source("wait")
    if wait is not None and source is not None and source.name == "COMMANDLINE":
        # Only when asked: the console's own wait is shorter than a command's default.
        from bo_console.core.db import set_wait

        set_wait(wait)
    open_console(state(ctx).url, screen)
