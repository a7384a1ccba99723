"""``bo hr salary``: salary components and each employee's dated salary."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    day_option,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.core.errors import ValidationFailed
from bo_console.hr.cli.options import amount_option

salary_app = typer.Typer(
    help="Salary components and each employee's salary history.", no_args_is_help=True
)


@salary_app.command("components")
def salary_components(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List the salary components and the bases each counts in."""
    from dataclasses import asdict

    from bo_console.hr.service import lists

    reader, actor = open_reader(ctx)
    rows = [asdict(c) for c in lists.list_components(reader, actor)]
    columns = ["code", "name", "in_gosi", "in_eos", "in_leave_pay", "in_overtime", "builtin"]
    emit(rows, columns, fmt, output)


@salary_app.command("add-component")
def salary_add_component(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Component code, e.g. PHONE.")],
    name: Annotated[str, typer.Option("--name", help="What it is.")],
    gosi: Annotated[
        bool, typer.Option("--gosi/--no-gosi", help="Counts in the social-insurance wage.")
    ] = False,
    eos: Annotated[bool, typer.Option("--eos/--no-eos", help="Counts in end of service.")] = True,
    leave_pay: Annotated[
        bool, typer.Option("--leave-pay/--no-leave-pay", help="Counts in leave pay.")
    ] = True,
    overtime: Annotated[
        bool, typer.Option("--overtime/--no-overtime", help="Counts in the overtime wage.")
    ] = True,
) -> None:
    """Add a custom salary component (needs payroll.approve)."""
    from bo_console.hr.service import people

    store, actor = open_store(ctx)
    with store.write() as session:
        view = people.add_component(
            session,
            actor,
            code=code,
            name=name,
            in_gosi=gosi,
            in_eos=eos,
            in_leave_pay=leave_pay,
            in_overtime=overtime,
        )
    say(f"added salary component {view.code}")


@salary_app.command("set")
def salary_set(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    amounts: Annotated[
        list[str],
        typer.Option("--set", help="COMPONENT=AMOUNT, e.g. HOUSING=3000 (0 ends it); repeatable."),
    ],
    effective: Annotated[str, typer.Option("--from", help="The day it takes effect.")],
) -> None:
    """Change an employee's salary components from a day on; earlier months keep their pay."""
    from bo_console.hr.service import people

    day = day_option(effective, "--from")
    store, actor = open_store(ctx)
    with store.write() as session:
        parsed: dict[str, int] = {}
        for item in amounts:
            code, sep, text = item.partition("=")
            if not sep or not code.strip():
                raise ValidationFailed(f"--set {item!r}: write COMPONENT=AMOUNT")
            parsed[code.strip().upper()] = amount_option(session, text.strip(), f"--set {code}")
        people.set_salary(session, actor, employee, parsed, day)
    say(f"salary of {employee.upper()} changed from {day}")


@salary_app.command("history")
def salary_history(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Every dated salary line of an employee (confidential; the view is audited)."""
    from bo_console.core.money import from_minor
    from bo_console.hr.service import people
    from bo_console.hr.service.common import currency_of

    store, actor = open_store(ctx)
    with store.write() as session:
        _, exponent = currency_of(session)
        rows = [
            {
                "effective_from": line.effective_from,
                "component": line.component,
                "amount": from_minor(line.amount, exponent),
                "set_by": line.set_by,
            }
            for line in people.salary_history(session, actor, employee)
        ]
    emit(rows, ["effective_from", "component", "amount", "set_by"], fmt, output)
