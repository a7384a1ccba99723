"""``bo it``: the helpdesk, the asset register, licences and on/offboarding from the command
line.

Thin: each command parses its options, calls the IT service in one transaction and prints
the result. Only typer and light core modules load at import; services load when a command
runs, so ``bo --help`` and cron jobs start fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="IT: helpdesk tickets and SLAs, the asset register, licences, on/offboarding.",
    no_args_is_help=True,
)

SUBGROUPS: dict[str, str] = {
    "tickets": "bo_console.it.cli.tickets:app",
    "sla": "bo_console.it.cli.tickets:sla_app",
    "assets": "bo_console.it.cli.assets:app",
    "licences": "bo_console.it.cli.licences:app",
    "boarding": "bo_console.it.cli.boarding:app",
    "stocktake": "bo_console.it.cli.stocktake:app",
}
"""``app``'s sub-groups, name -> "module:attribute", in the order help lists them. A command
line imports only the one it names (:func:`bo_console.cli.load_group`); help, an option or
a misspelling below ``app`` imports them all."""
