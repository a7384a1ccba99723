"""``bo hr``: people, recruiting, training, benefits, leave and payroll from the command line.

Thin: each command parses its options, calls a service in one transaction and prints the
result. Only typer and the light core modules are imported here; services load when a command
runs, so ``bo --help`` and cron jobs start fast.

One module per group of commands; this one puts them together under ``bo hr``.
"""

from __future__ import annotations

import typer

from bo_console.hr.cli.payslip import payslip_command

app = typer.Typer(
    help="HR and payroll: employees, recruiting, training, benefits, leave, pay runs.",
    no_args_is_help=True,
)

app.command("payslip")(payslip_command)

SUBGROUPS: dict[str, str] = {
    "units": "bo_console.hr.cli.org:units_app",
    "positions": "bo_console.hr.cli.org:positions_app",
    "employees": "bo_console.hr.cli.employees:employees_app",
    "salary": "bo_console.hr.cli.salary:salary_app",
    "openings": "bo_console.hr.cli.recruiting:openings_app",
    "candidates": "bo_console.hr.cli.recruiting:candidates_app",
    "training": "bo_console.hr.cli.training:training_app",
    "benefits": "bo_console.hr.cli.benefits:benefits_app",
    "leave": "bo_console.hr.cli.leave:leave_app",
    "payroll": "bo_console.hr.cli.payroll:payroll_app",
}
"""``app``'s sub-groups, name -> "module:attribute", in the order help lists them. A command
line imports only the one it names (:func:`bo_console.cli.load_group`); help, an option or
a misspelling below ``app`` imports them all."""
