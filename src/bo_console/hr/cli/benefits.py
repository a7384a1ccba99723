"""``bo hr benefits``: benefit plans and enrollments."""

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
from bo_console.hr.cli.options import amount_option

benefits_app = typer.Typer(help="Benefit plans and enrollments.", no_args_is_help=True)


# -- benefits ---------------------------------------------------------------------------------


@benefits_app.command("plans")
def benefits_plans(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List benefit plans (monthly contributions)."""
    from bo_console.hr.service import benefit_lists as lists

    reader, actor = open_reader(ctx)
    rows = lists.list_plans(reader, actor)
    emit([r.record() for r in rows], lists.PLAN_COLUMNS, fmt, output)


@benefits_app.command("add-plan")
def benefits_add_plan(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Plan code.")],
    name: Annotated[str, typer.Argument(help="Name.")],
    name_ar: Annotated[str, typer.Option("--name-ar")] = "",
    employee: Annotated[
        str, typer.Option("--employee", help="Monthly employee contribution (deducted).")
    ] = "0",
    employer: Annotated[
        str, typer.Option("--employer", help="Monthly employer contribution.")
    ] = "0",
    cash: Annotated[
        bool, typer.Option("--cash", help="Pay the employer part to the employee (allowance).")
    ] = False,
) -> None:
    """Add a benefit plan."""
    from bo_console.hr.service import benefits

    store, actor = open_store(ctx)
    with store.write() as session:
        plan = benefits.add_plan(
            session,
            actor,
            code=code,
            name=name,
            name_ar=name_ar,
            employee_contribution=amount_option(session, employee, "--employee"),
            employer_contribution=amount_option(session, employer, "--employer"),
            cash=cash,
        )
    say(f"added benefit plan {plan.code}")


@benefits_app.command("enroll")
def benefits_enroll(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="Plan code.")],
    employees: Annotated[list[str], typer.Argument(help="Employee numbers.")],
    starts: Annotated[str, typer.Option("--from", help="First day covered.")] = "t",
) -> None:
    """Enroll employees in a plan."""
    from bo_console.hr.service import benefits

    day = day_option(starts, "--from")
    store, actor = open_store(ctx)
    with store.write() as session:
        for number in employees:
            benefits.enroll(session, actor, plan=plan, employee=number, starts_on=day)
    say(f"enrolled {len(employees)} in {plan.upper()} from {day}")


@benefits_app.command("end")
def benefits_end(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="Plan code.")],
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    on: Annotated[str, typer.Option("--on", help="Last day covered.")] = "t",
) -> None:
    """End an employee's enrollment in a plan."""
    from bo_console.hr.service import benefits

    day = day_option(on, "--on")
    store, actor = open_store(ctx)
    with store.write() as session:
        benefits.end_enrollment(session, actor, plan=plan, employee=employee, ends_on=day)
    say(f"{employee.upper()} leaves {plan.upper()} after {day}")


@benefits_app.command("enrollments")
def benefits_enrollments(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan")] = None,
    employee: Annotated[str | None, typer.Option("--employee")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List benefit enrollments."""
    from bo_console.hr.service import benefit_lists as lists

    reader, actor = open_reader(ctx)
    rows = lists.list_enrollments(reader, actor, plan=plan, employee=employee)
    emit([r.record() for r in rows], lists.ENROLLMENT_COLUMNS, fmt, output)
