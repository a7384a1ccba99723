"""``bo data``: the catalogue of views, saved queries, the read-only SQL console, data-quality
checks, the management dashboard, its month-end pack and snapshots.

Thin: each command parses its options, calls the data service and prints the result. Only
typer and light core modules load at import.
"""

from __future__ import annotations

import typer

from bo_console.data.cli import dashboard, quality, queries, snapshots

app = typer.Typer(
    help="Data management: views, saved queries, read-only SQL, data quality, dashboard.",
    no_args_is_help=True,
)
app.command("dashboard")(dashboard.dashboard)
app.command("pack")(dashboard.pack)
app.command("views")(queries.views)
app.command("sql")(queries.sql)
app.add_typer(queries.app, name="query")
app.add_typer(quality.app, name="quality")
app.add_typer(snapshots.app, name="snapshot")
