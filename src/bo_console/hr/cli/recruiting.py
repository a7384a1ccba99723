"""``bo hr openings`` and ``bo hr candidates``: recruiting up to the hire."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    day_option,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.hr.cli.employees import (
    AllowancesOption,
    BirthOption,
    IbanOption,
    LoginOption,
    ManagerOption,
    NationalIdOption,
    SalaryOption,
    _employee_raw,
)
from bo_console.hr.cli.options import today

openings_app = typer.Typer(help="Job openings.", no_args_is_help=True)
candidates_app = typer.Typer(help="Candidates and their hiring stages.", no_args_is_help=True)


# -- recruiting -------------------------------------------------------------------------------


@openings_app.command("list")
def openings_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="open, on_hold, filled or closed.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List job openings with their candidates counted."""
    from bo_console.hr.service import recruiting_lists as lists

    reader, actor = open_reader(ctx)
    rows = lists.list_openings(reader, actor, status=status)
    emit([r.record() for r in rows], lists.OPENING_COLUMNS, fmt, output)


@openings_app.command("add")
def openings_add(
    ctx: typer.Context,
    position: Annotated[str, typer.Option("--position", help="Position code.")],
    unit: Annotated[str, typer.Option("--unit", help="Org unit code.")],
    title: Annotated[str, typer.Option("--title", help="Title (default: the position's).")] = "",
    headcount: Annotated[int, typer.Option("--headcount", help="People to hire.", min=1)] = 1,
    opened: Annotated[str, typer.Option("--opened", help="Opening date.")] = "t",
    description: Annotated[str, typer.Option("--description", help="What the job is.")] = "",
) -> None:
    """Open a job opening."""
    from bo_console.hr.service import recruiting

    day = day_option(opened, "--opened")
    store, actor = open_store(ctx)
    with store.write() as session:
        opening = recruiting.add_opening(
            session,
            actor,
            title=title,
            position=position,
            org_unit=unit,
            headcount=headcount,
            opened_on=day,
            description=description,
        )
    typer.echo(opening.id)
    say(f"opened opening {opening.id} ({opening.title})")


def _opening_status(ctx: typer.Context, opening_id: int, status: str) -> None:
    from bo_console.hr.service import recruiting

    store, actor = open_store(ctx)
    with store.write() as session:
        recruiting.set_opening_status(session, actor, opening_id, status, on=today())
    say(f"opening {opening_id} is now {status}")


@openings_app.command("hold")
def openings_hold(ctx: typer.Context, opening_id: int) -> None:
    """Put an opening on hold."""
    _opening_status(ctx, opening_id, "on_hold")


@openings_app.command("reopen")
def openings_reopen(ctx: typer.Context, opening_id: int) -> None:
    """Reopen an opening that is on hold or closed."""
    _opening_status(ctx, opening_id, "open")


@openings_app.command("close")
def openings_close(ctx: typer.Context, opening_id: int) -> None:
    """Close an opening without filling it."""
    _opening_status(ctx, opening_id, "closed")


@candidates_app.command("list")
def candidates_list(
    ctx: typer.Context,
    opening: Annotated[int | None, typer.Option("--opening", help="Only this opening.")] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Only this stage.")] = None,
    search: Annotated[str, typer.Option("--search", "-s", help="Text in the name or e-mail.")] = "",
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List candidates."""
    from bo_console.hr.service import recruiting_lists as lists

    reader, actor = open_reader(ctx)
    rows = lists.list_candidates(reader, actor, opening_id=opening, stage=stage, search=search)
    emit([r.record() for r in rows], lists.CANDIDATE_COLUMNS, fmt, output)


@candidates_app.command("add")
def candidates_add(
    ctx: typer.Context,
    opening: Annotated[int, typer.Argument(help="Opening id.")],
    name: Annotated[str, typer.Option("--name", help="Name in Latin script.")],
    name_ar: Annotated[str, typer.Option("--name-ar", help="Name in Arabic.")] = "",
    email: Annotated[str, typer.Option("--email")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    applied: Annotated[str, typer.Option("--applied", help="Application date.")] = "t",
    note: Annotated[str, typer.Option("--note", help="A first note.")] = "",
) -> None:
    """Record a candidate's application to an opening."""
    from bo_console.hr.service import recruiting

    day = day_option(applied, "--applied")
    store, actor = open_store(ctx)
    with store.write() as session:
        candidate = recruiting.add_candidate(
            session,
            actor,
            opening_id=opening,
            name=name,
            name_ar=name_ar,
            email=email,
            phone=phone,
            applied_on=day,
            note=note,
        )
    typer.echo(candidate.id)
    say(f"added candidate {candidate.id} ({candidate.name})")


@candidates_app.command("move")
def candidates_move(
    ctx: typer.Context,
    candidate: Annotated[int, typer.Argument(help="Candidate id.")],
    stage: Annotated[str, typer.Argument(help="screening, interview, offer or rejected.")],
    note: Annotated[str, typer.Option("--note", "-m", help="Why.")] = "",
) -> None:
    """Move a candidate to another stage."""
    from bo_console.hr.service import recruiting

    store, actor = open_store(ctx)
    with store.write() as session:
        recruiting.move_candidate(session, actor, candidate, stage.lower(), note=note)
    say(f"candidate {candidate} is now at {stage.lower()}")


@candidates_app.command("note")
def candidates_note(
    ctx: typer.Context,
    candidate: Annotated[int, typer.Argument(help="Candidate id.")],
    text: Annotated[str, typer.Argument(help="The note.")],
) -> None:
    """Add a note to a candidate."""
    from bo_console.hr.service import recruiting

    store, actor = open_store(ctx)
    with store.write() as session:
        recruiting.add_note(session, actor, candidate, text)
    say(f"noted on candidate {candidate}")


@candidates_app.command("show")
def candidates_show(
    ctx: typer.Context,
    candidate: Annotated[int, typer.Argument(help="Candidate id.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Show a candidate's history: stage changes and notes."""
    from bo_console.hr.service import recruiting_lists as lists

    reader, actor = open_reader(ctx)
    events = lists.candidate_history(reader, actor, candidate)
    rows = [
        {
            "at": e.at.strftime("%Y-%m-%d %H:%M"),
            "by": e.by_login,
            "from": e.from_stage or "",
            "to": e.to_stage or "",
            "note": e.note,
        }
        for e in events
    ]
    emit(rows, ["at", "by", "from", "to", "note"], fmt, output)


@candidates_app.command("hire")
def candidates_hire(
    ctx: typer.Context,
    candidate: Annotated[int, typer.Argument(help="Candidate id (at the offer stage).")],
    start: Annotated[str, typer.Option("--start", help="Hire date.")],
    number: Annotated[str | None, typer.Option("--number", help="Employee number.")] = None,
    manager: ManagerOption = None,
    login: LoginOption = None,
    salary: SalaryOption = None,
    allowances: AllowancesOption = None,
    iban: IbanOption = None,
    national_id: NationalIdOption = None,
    birth_date: BirthOption = None,
    yes: YesOption = False,
) -> None:
    """Hire a candidate: create the employee and send IT an onboarding work item."""
    from bo_console.hr.service import people, recruiting
    from bo_console.hr.service.common import currency_of

    day = day_option(start, "--start")
    raw = _employee_raw(
        number=number,
        manager=manager,
        login=login,
        base_salary=salary,
        allowances=allowances,
        iban=iban,
        national_id=national_id,
        birth_date=birth_date,
    )
    store, actor = open_store(ctx)
    confirm(f"Hire candidate {candidate} starting {day}?", yes=yes)
    with store.write() as session:
        _, exponent = currency_of(session)
        terms = people.hire_terms(raw, exponent=exponent)
        employee = recruiting.hire_candidate(session, actor, candidate, hire_date=day, terms=terms)
    typer.echo(employee.number)
    say(f"hired candidate {candidate} as {employee.number}; IT has an onboarding item")
