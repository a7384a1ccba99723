"""``bo hr``: people, recruiting, training, benefits, leave and payroll from the command line.

Thin: each command parses its options, calls a service in one transaction and prints the
result. Only typer and the light core modules are imported here; services load when a command
runs, so ``bo --help`` and cron jobs start fast.

One module per group of commands; this one puts them together under ``bo hr``.
"""

from __future__ import annotations

import typer

from bo_console.hr.cli.benefits import benefits_app
from bo_console.hr.cli.employees import employees_app
from bo_console.hr.cli.leave import leave_app
from bo_console.hr.cli.org import positions_app, units_app
from bo_console.hr.cli.payroll import payroll_app
from bo_console.hr.cli.payslip import payslip_command
from bo_console.hr.cli.recruiting import candidates_app, openings_app
from bo_console.hr.cli.salary import salary_app
from bo_console.hr.cli.training import training_app

app = typer.Typer(
    help="HR and payroll: employees, recruiting, training, benefits, leave, pay runs.",
    no_args_is_help=True,
)
app.add_typer(units_app, name="units")
app.add_typer(positions_app, name="positions")
app.add_typer(employees_app, name="employees")
app.add_typer(salary_app, name="salary")
app.add_typer(openings_app, name="openings")
app.add_typer(candidates_app, name="candidates")
app.add_typer(training_app, name="training")
app.add_typer(benefits_app, name="benefits")
app.add_typer(leave_app, name="leave")
app.add_typer(payroll_app, name="payroll")
app.command("payslip")(payslip_command)
