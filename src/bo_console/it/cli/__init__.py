"""``bo it``: the helpdesk, the asset register, licences and on/offboarding from the command
line.

Thin: each command parses its options, calls the IT service in one transaction and prints
the result. Only typer and light core modules load at import; services load when a command
runs, so ``bo --help`` and cron jobs start fast.
"""

from __future__ import annotations

import typer

from bo_console.it.cli import assets, boarding, licences, stocktake, tickets

app = typer.Typer(
    help="IT: helpdesk tickets and SLAs, the asset register, licences, on/offboarding.",
    no_args_is_help=True,
)
app.add_typer(tickets.app, name="tickets")
app.add_typer(tickets.sla_app, name="sla")
app.add_typer(assets.app, name="assets")
app.add_typer(licences.app, name="licences")
app.add_typer(boarding.app, name="boarding")
app.add_typer(stocktake.app, name="stocktake")
