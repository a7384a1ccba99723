"""``bo hr``: people, recruiting, training, benefits, leave and payroll from the command line.

Thin: each command parses its options, calls a service in one transaction and prints the
result. Only typer and the light core modules are imported here; services load when a command
runs, so ``bo --help`` and cron jobs start fast.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.clikit import (
    ExportFormat,
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    emit,
    open_store,
    say,
)
from bo_console.core.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from datetime import date

    from bo_console.hr.common import Period

app = typer.Typer(
    help="HR and payroll: employees, recruiting, training, benefits, leave, pay runs.",
    no_args_is_help=True,
)
units_app = typer.Typer(
    help="Org units (departments; payroll's cost centres).", no_args_is_help=True
)
positions_app = typer.Typer(help="Positions (job titles).", no_args_is_help=True)
employees_app = typer.Typer(
    help="Employees: list, show, add, change, terminate, import, export.", no_args_is_help=True
)
openings_app = typer.Typer(help="Job openings.", no_args_is_help=True)
candidates_app = typer.Typer(help="Candidates and their hiring stages.", no_args_is_help=True)
training_app = typer.Typer(
    help="Courses, sessions, enrollments and certifications.", no_args_is_help=True
)
benefits_app = typer.Typer(help="Benefit plans and enrollments.", no_args_is_help=True)
leave_app = typer.Typer(
    help="Leave types, requests, approvals, balances, accrual.", no_args_is_help=True
)
payroll_app = typer.Typer(
    help="Pay runs: run, approve, post, pay; payslips and variable inputs.", no_args_is_help=True
)
app.add_typer(units_app, name="units")
app.add_typer(positions_app, name="positions")
app.add_typer(employees_app, name="employees")
app.add_typer(openings_app, name="openings")
app.add_typer(candidates_app, name="candidates")
app.add_typer(training_app, name="training")
app.add_typer(benefits_app, name="benefits")
app.add_typer(leave_app, name="leave")
app.add_typer(payroll_app, name="payroll")


# -- helpers ----------------------------------------------------------------------------------


def _date(text: str, what: str) -> date:
    from bo_console.core.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


def _today() -> date:
    from bo_console.core.clock import today

    return today()


def _period(text: str) -> Period:
    from bo_console.hr.common import parse_period

    return parse_period(text)


def _amount(session: Any, text: str, what: str) -> int:
    from bo_console.hr.common import currency_of, parse_money

    _, exponent = currency_of(session)
    try:
        return parse_money(text, exponent)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


def _window(text: str) -> int:
    """``30d``, ``4w``, ``2m`` or a bare number of days, as days."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*([dwm]?)\s*", text.lower())
    if not match:
        raise ValidationFailed(f"{text!r} is not a window (use 30d, 4w, 2m or a number of days)")
    number, unit = int(match.group(1)), match.group(2) or "d"
    return number * {"d": 1, "w": 7, "m": 30}[unit]


def _export_format(output: Path, fmt: ExportFormat | None) -> str:
    value = fmt.value if fmt else output.suffix.lower().lstrip(".")
    if value not in ("csv", "xlsx", "json"):
        raise ValidationFailed(
            f"cannot tell the format of {output.name}; use --format csv|xlsx|json"
        )
    return value


ExportFormatOption = Annotated[
    ExportFormat | None,
    typer.Option("--format", "-f", help="csv, xlsx or json (default: from the file name)."),
]
RevealOption = Annotated[
    bool,
    typer.Option(
        "--reveal",
        help="Show salaries, allowances, IBANs, national IDs and birth dates (needs "
        "hr.confidential; the view is audited).",
    ),
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check everything, write nothing.")]


# -- org units and positions ------------------------------------------------------------------


@units_app.command("list")
def units_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List org units with their head counts."""
    from bo_console.hr import people

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = people.list_org_units(session, actor)
    emit(rows, ["code", "name", "name_ar", "parent", "headcount", "active"], fmt, output)


@units_app.command("add")
def units_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. FIN (the cost centre).")],
    name: Annotated[str, typer.Argument(help="Name.")],
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    parent: Annotated[str | None, typer.Option(help="Parent unit code.")] = None,
) -> None:
    """Add an org unit."""
    from bo_console.hr import people

    store, actor = open_store(ctx)
    with store.write() as session:
        unit = people.add_org_unit(
            session, actor, code=code, name=name, name_ar=name_ar, parent=parent
        )
    say(f"added org unit {unit.code}")


@positions_app.command("list")
def positions_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List positions."""
    from bo_console.hr import people

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = people.list_positions(session, actor)
    emit(rows, ["code", "title", "title_ar", "unit", "active"], fmt, output)


@positions_app.command("add")
def positions_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. ACC.")],
    title: Annotated[str, typer.Argument(help="Job title.")],
    title_ar: Annotated[str, typer.Option("--title-ar", help="Arabic title.")] = "",
    unit: Annotated[str | None, typer.Option(help="Org unit code it belongs to.")] = None,
) -> None:
    """Add a position."""
    from bo_console.hr import people

    store, actor = open_store(ctx)
    with store.write() as session:
        row = people.add_position(
            session, actor, code=code, title=title, title_ar=title_ar, unit=unit
        )
    say(f"added position {row.code}")


# -- employees --------------------------------------------------------------------------------

EMPLOYEE_COLUMNS = [
    "number",
    "name",
    "name_ar",
    "org_unit",
    "position",
    "manager",
    "hire_date",
    "status",
    "email",
    "phone",
    "base_salary",
    "allowances",
    "iban",
    "national_id",
    "birth_date",
]


def _employee_query(
    search: str,
    unit: str | None,
    status: str | None,
    include_terminated: bool,
    sort: str,
    desc: bool,
    limit: int | None,
    min_salary: int | None,
    max_salary: int | None,
) -> Any:
    from bo_console.hr.people import EmployeeQuery

    return EmployeeQuery(
        search=search,
        org_unit=unit,
        status=status,
        include_terminated=include_terminated,
        sort=sort,
        descending=desc,
        limit=limit,
        min_salary=min_salary,
        max_salary=max_salary,
    )


SearchOption = Annotated[
    str,
    typer.Option(
        "--search",
        "-s",
        help="Text in the number, Latin or Arabic name, e-mail or phone (any alef form, "
        "ta marbuta or diacritics; any case).",
    ),
]
UnitOption = Annotated[str | None, typer.Option("--unit", help="Only this org unit.")]
StatusOption = Annotated[
    str | None, typer.Option("--status", help="Only this status: active, on_leave, terminated.")
]
AllOption = Annotated[bool, typer.Option("--all", help="Include terminated employees.")]
SortOption = Annotated[
    str,
    typer.Option(
        "--sort",
        help="number, name, name_ar, hire_date, unit, status, or salary (needs hr.confidential).",
    ),
]
DescOption = Annotated[bool, typer.Option("--desc", help="Sort descending.")]
MinSalaryOption = Annotated[
    str | None, typer.Option("--min-salary", help="Base salary at least (needs hr.confidential).")
]
MaxSalaryOption = Annotated[
    str | None, typer.Option("--max-salary", help="Base salary at most (needs hr.confidential).")
]


@employees_app.command("list")
def employees_list(
    ctx: typer.Context,
    search: SearchOption = "",
    unit: UnitOption = None,
    status: StatusOption = None,
    include_terminated: AllOption = False,
    sort: SortOption = "name",
    desc: DescOption = False,
    limit: Annotated[int | None, typer.Option(help="At most this many rows.", min=1)] = None,
    min_salary: MinSalaryOption = None,
    max_salary: MaxSalaryOption = None,
    reveal: RevealOption = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List employees (confidential fields masked unless --reveal)."""
    from bo_console.hr import people
    from bo_console.hr.common import currency_of

    store, actor = open_store(ctx)
    # A reveal writes an audit row, so it needs a write transaction.
    wants_secret = reveal or sort == "salary" or min_salary is not None or max_salary is not None
    scope = store.write() if wants_secret else store.read()
    with scope as session:
        query = _employee_query(
            search,
            unit,
            status,
            include_terminated,
            sort,
            desc,
            limit,
            _amount(session, min_salary, "--min-salary") if min_salary is not None else None,
            _amount(session, max_salary, "--max-salary") if max_salary is not None else None,
        )
        rows = people.list_employees(session, actor, query, reveal=reveal)
        _, exponent = currency_of(session)
    emit([people.employee_record(r, exponent) for r in rows], EMPLOYEE_COLUMNS, fmt, output)


@employees_app.command("show")
def employees_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Employee number.")],
    masked: Annotated[
        bool, typer.Option("--masked", help="Do not reveal confidential fields even if allowed.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Show one employee (confidential fields revealed, and audited, when you may see them)."""
    from bo_console.hr import people
    from bo_console.hr.common import currency_of

    store, actor = open_store(ctx)
    reveal = actor.can("hr.confidential") and not masked
    with store.write() if reveal else store.read() as session:
        row = people.get_employee(session, actor, number, reveal=reveal)
        _, exponent = currency_of(session)
    record = people.employee_record(row, exponent)
    record["org_unit_name"] = row.org_unit_name
    record["login"] = row.login or ""
    if fmt == OutputFormat.table:
        emit([{"field": k, "value": v} for k, v in record.items()], ["field", "value"], fmt, output)
    else:
        emit([record], list(record), fmt, output)


def _employee_raw(**options: str | None) -> dict[str, str]:
    return {name: value for name, value in options.items() if value is not None}


NameOption = Annotated[str | None, typer.Option("--name", help="Name in Latin script.")]
NameArOption = Annotated[str | None, typer.Option("--name-ar", help="Name in Arabic.")]
EmpUnitOption = Annotated[str | None, typer.Option("--unit", help="Org unit code.")]
PositionOption = Annotated[str | None, typer.Option("--position", help="Position code.")]
ManagerOption = Annotated[str | None, typer.Option("--manager", help="Manager's employee number.")]
HireOption = Annotated[str | None, typer.Option("--hire-date", help="Hire date (YYYY-MM-DD, t).")]
EmailOption = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
PhoneOption = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
LoginOption = Annotated[
    str | None, typer.Option("--login", help="Their console login (for leave self-service).")
]
SalaryOption = Annotated[str | None, typer.Option("--salary", help="Monthly base salary.")]
AllowancesOption = Annotated[
    str | None, typer.Option("--allowances", help="Monthly allowances (housing and the like).")
]
IbanOption = Annotated[str | None, typer.Option("--iban", help="Bank IBAN (checked).")]
NationalIdOption = Annotated[str | None, typer.Option("--national-id", help="National ID.")]
BirthOption = Annotated[str | None, typer.Option("--birth-date", help="Date of birth.")]


@employees_app.command("add")
def employees_add(
    ctx: typer.Context,
    name: NameOption = None,
    unit: EmpUnitOption = None,
    hire_date: HireOption = None,
    number: Annotated[
        str | None, typer.Option("--number", help="Employee number (default: the next E00000).")
    ] = None,
    name_ar: NameArOption = None,
    position: PositionOption = None,
    manager: ManagerOption = None,
    email: EmailOption = None,
    phone: PhoneOption = None,
    login: LoginOption = None,
    salary: SalaryOption = None,
    allowances: AllowancesOption = None,
    iban: IbanOption = None,
    national_id: NationalIdOption = None,
    birth_date: BirthOption = None,
) -> None:
    """Add an employee (--name, --unit and --hire-date are required)."""
    from bo_console.hr import people
    from bo_console.hr.common import currency_of

    raw = _employee_raw(
        number=number,
        name=name,
        name_ar=name_ar,
        org_unit=unit,
        position=position,
        manager=manager,
        hire_date=hire_date,
        email=email,
        phone=phone,
        login=login,
        base_salary=salary,
        allowances=allowances,
        iban=iban,
        national_id=national_id,
        birth_date=birth_date,
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        _, exponent = currency_of(session)
        values, errors = people.parse_fields(raw, exponent)
        for required, option in (
            ("name", "--name"),
            ("org_unit", "--unit"),
            ("hire_date", "--hire-date"),
        ):
            if required not in values and not any(e.field == required for e in errors):
                errors.append(FieldError(required, f"required ({option})"))
        if errors:
            raise ValidationFailed(f"{errors[0].field}: {errors[0].message}", errors)
        employee = people.create_employee(session, actor, people.input_from_values(values))
    typer.echo(employee.number)
    say(f"added employee {employee.number} ({employee.name})")


CLEARABLE = {
    "name_ar": "",
    "position": None,
    "manager": None,
    "email": "",
    "phone": "",
    "login": None,
    "iban": None,
    "national_id": None,
    "birth_date": None,
}


@employees_app.command("update")
def employees_update(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    name: NameOption = None,
    name_ar: NameArOption = None,
    unit: EmpUnitOption = None,
    position: PositionOption = None,
    manager: ManagerOption = None,
    hire_date: HireOption = None,
    email: EmailOption = None,
    phone: PhoneOption = None,
    login: LoginOption = None,
    status: Annotated[
        str | None, typer.Option("--status", help="active or on_leave (see terminate).")
    ] = None,
    salary: SalaryOption = None,
    allowances: AllowancesOption = None,
    iban: IbanOption = None,
    national_id: NationalIdOption = None,
    birth_date: BirthOption = None,
) -> None:
    """Change an employee's fields; give an empty value ("") to clear an optional one."""
    from bo_console.hr import people
    from bo_console.hr.common import currency_of

    given = _employee_raw(
        name=name,
        name_ar=name_ar,
        org_unit=unit,
        position=position,
        manager=manager,
        hire_date=hire_date,
        email=email,
        phone=phone,
        login=login,
        status=status,
        base_salary=salary,
        allowances=allowances,
        iban=iban,
        national_id=national_id,
        birth_date=birth_date,
    )
    if not given:
        raise ValidationFailed("nothing to change; give at least one option (see --help)")
    cleared = {k: CLEARABLE[k] for k, v in given.items() if not v.strip() and k in CLEARABLE}
    blank_required = [k for k, v in given.items() if not v.strip() and k not in CLEARABLE]
    if blank_required:
        raise ValidationFailed(f"{blank_required[0]} cannot be empty")
    store, actor = open_store(ctx)
    with store.write() as session:
        _, exponent = currency_of(session)
        values, errors = people.parse_fields(
            {k: v for k, v in given.items() if k not in cleared}, exponent
        )
        if errors:
            raise ValidationFailed(f"{errors[0].field}: {errors[0].message}", errors)
        people.update_employee(session, actor, employee, {**values, **cleared})
    say(f"updated {employee.upper()}")


@employees_app.command("terminate")
def employees_terminate(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    last_day: Annotated[str, typer.Option("--last-day", help="Last day of employment.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (resignation, end of contract...).")
    ] = "",
    yes: YesOption = False,
) -> None:
    """Terminate employment: final settlement in the next pay run, IT asked to offboard."""
    from bo_console.hr import people

    day = _date(last_day, "--last-day")
    store, actor = open_store(ctx)
    confirm(f"Terminate {employee.upper()} with last day {day}?", yes=yes)
    with store.write() as session:
        person = people.terminate_employee(session, actor, employee, on=day, reason=reason)
    say(
        f"terminated {person.number} ({person.name}), last day {day}; the next pay run settles "
        "their final pay and IT has an offboarding item"
    )


@employees_app.command("import")
def employees_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX in the template's columns.")],
    dry_run: DryRunOption = False,
) -> None:
    """Add employees from a file: all of them, or none if any row is wrong.

    Columns (template: data/hr-employees-template.csv): number, name, name_ar, org_unit,
    position, manager, hire_date, status, email, phone, login, base_salary, allowances, iban,
    national_id, birth_date. name, org_unit and hire_date are required.
    """
    from bo_console.hr import people

    store, actor = open_store(ctx)
    with store.write() as session:
        count = people.import_employees(session, actor, file, dry_run=dry_run)
        if dry_run:
            session.rollback()
    say(
        f"{file.name}: {count} employees are valid; nothing written (dry run)"
        if dry_run
        else f"imported {count} employees from {file.name}"
    )


@employees_app.command("export")
def employees_export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: ExportFormatOption = None,
    search: SearchOption = "",
    unit: UnitOption = None,
    status: StatusOption = None,
    reveal: RevealOption = False,
) -> None:
    """Export employees in the import template's columns (confidential ones masked unless
    --reveal)."""
    from bo_console.hr import people

    value = _export_format(output, fmt)
    store, actor = open_store(ctx)
    with store.write() if reveal else store.read() as session:
        query = _employee_query(search, unit, status, True, "number", False, None, None, None)
        count = people.export_employees(session, actor, output, value, reveal=reveal, query=query)
    say(f"wrote {count} employees to {output}")


@employees_app.command("report")
def employees_report(
    ctx: typer.Context,
    reveal: Annotated[
        bool,
        typer.Option("--reveal", help="Include monthly salary totals (needs hr.confidential)."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Head count per org unit (and, with --reveal, the monthly salary cost)."""
    from bo_console.hr import people

    store, actor = open_store(ctx)
    with store.write() if reveal else store.read() as session:
        rows = people.headcount_report(session, actor, reveal=reveal)
    emit(rows, people.REPORT_COLUMNS, fmt, output)


# -- recruiting -------------------------------------------------------------------------------


@openings_app.command("list")
def openings_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="open, on_hold, filled or closed.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List job openings with their candidates counted."""
    from bo_console.hr import recruiting

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = recruiting.list_openings(session, actor, status=status)
    emit(rows, recruiting.OPENING_COLUMNS, fmt, output)


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
    from bo_console.hr import recruiting

    day = _date(opened, "--opened")
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
    from bo_console.hr import recruiting

    store, actor = open_store(ctx)
    with store.write() as session:
        recruiting.set_opening_status(session, actor, opening_id, status, on=_today())
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
    from bo_console.hr import recruiting

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = recruiting.list_candidates(
            session, actor, opening_id=opening, stage=stage, search=search
        )
    emit(rows, recruiting.CANDIDATE_COLUMNS, fmt, output)


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
    from bo_console.hr import recruiting

    day = _date(applied, "--applied")
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
    from bo_console.hr import recruiting

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
    from bo_console.hr import recruiting

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
    from bo_console.hr import recruiting

    store, actor = open_store(ctx)
    with store.read() as session:
        events = recruiting.candidate_history(session, actor, candidate)
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
    from bo_console.hr import people, recruiting
    from bo_console.hr.common import currency_of

    day = _date(start, "--start")
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
        values, errors = people.parse_fields(raw, exponent)
        if errors:
            raise ValidationFailed(f"{errors[0].field}: {errors[0].message}", errors)
        terms = people.input_from_values({"name": "", "org_unit": "", "hire_date": day, **values})
        employee = recruiting.hire_candidate(session, actor, candidate, hire_date=day, terms=terms)
    typer.echo(employee.number)
    say(f"hired candidate {candidate} as {employee.number}; IT has an onboarding item")


# -- training ---------------------------------------------------------------------------------


@training_app.command("courses")
def training_courses(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List courses."""
    from bo_console.hr import training

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = training.list_courses(session, actor)
    emit(rows, ["code", "title", "title_ar", "hours", "cert_months"], fmt, output)


@training_app.command("add-course")
def training_add_course(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Course code.")],
    title: Annotated[str, typer.Argument(help="Title.")],
    title_ar: Annotated[str, typer.Option("--title-ar", help="Arabic title.")] = "",
    hours: Annotated[int, typer.Option("--hours", help="Length in hours.", min=0)] = 0,
    cert_months: Annotated[
        int | None,
        typer.Option("--cert-months", help="Completing it certifies for this many months."),
    ] = None,
) -> None:
    """Add a course."""
    from bo_console.hr import training

    store, actor = open_store(ctx)
    with store.write() as session:
        course = training.add_course(
            session,
            actor,
            code=code,
            title=title,
            title_ar=title_ar,
            hours=hours,
            cert_months=cert_months,
        )
    say(f"added course {course.code}")


@training_app.command("sessions")
def training_sessions(
    ctx: typer.Context,
    course: Annotated[str | None, typer.Option("--course", help="Only this course.")] = None,
    upcoming: Annotated[bool, typer.Option("--upcoming", help="Only those not over.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List training sessions with places taken."""
    from bo_console.hr import training

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = training.list_sessions(
            session, actor, course=course, upcoming_from=_today() if upcoming else None
        )
    emit(rows, training.SESSION_COLUMNS, fmt, output)


@training_app.command("add-session")
def training_add_session(
    ctx: typer.Context,
    course: Annotated[str, typer.Argument(help="Course code.")],
    starts: Annotated[str, typer.Option("--starts", help="First day.")],
    ends: Annotated[str | None, typer.Option("--ends", help="Last day (default: same).")] = None,
    trainer: Annotated[str, typer.Option("--trainer")] = "",
    location: Annotated[str, typer.Option("--location")] = "",
    capacity: Annotated[int, typer.Option("--capacity", min=1)] = 10,
) -> None:
    """Schedule a session of a course."""
    from bo_console.hr import training

    first = _date(starts, "--starts")
    last = _date(ends, "--ends") if ends else None
    store, actor = open_store(ctx)
    with store.write() as session:
        row = training.add_session(
            session,
            actor,
            course=course,
            starts_on=first,
            ends_on=last,
            trainer=trainer,
            location=location,
            capacity=capacity,
        )
    typer.echo(row.id)
    say(f"scheduled session {row.id}")


@training_app.command("enroll")
def training_enroll(
    ctx: typer.Context,
    session_id: Annotated[int, typer.Argument(help="Session id.")],
    employees: Annotated[list[str], typer.Argument(help="Employee numbers.")],
) -> None:
    """Enroll employees in a session (all or none if it would overflow)."""
    from bo_console.hr import training

    store, actor = open_store(ctx)
    with store.write() as session:
        for number in employees:
            training.enroll(session, actor, session_id, number)
    say(f"enrolled {len(employees)} in session {session_id}")


@training_app.command("complete")
def training_complete(
    ctx: typer.Context,
    session_id: Annotated[int, typer.Argument(help="Session id.")],
    employees: Annotated[list[str], typer.Argument(help="Employee numbers.")],
    on: Annotated[str, typer.Option("--on", help="Completion date.")] = "t",
    no_show: Annotated[bool, typer.Option("--no-show", help="They did not attend.")] = False,
) -> None:
    """Record completion (or absence); certifying courses record certifications."""
    from bo_console.hr import training

    day = _date(on, "--on")
    store, actor = open_store(ctx)
    certified = 0
    with store.write() as session:
        for number in employees:
            cert = training.complete(
                session,
                actor,
                session_id,
                number,
                on=day,
                outcome="no_show" if no_show else "completed",
            )
            certified += cert is not None
    say(f"recorded {len(employees)} in session {session_id}; {certified} certified")


@training_app.command("certs")
def training_certs(
    ctx: typer.Context,
    employee: Annotated[str | None, typer.Option("--employee", help="Only this employee.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List certifications, soonest expiry first."""
    from bo_console.hr import training

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = training.list_certifications(session, actor, employee=employee, today=_today())
    emit(rows, training.CERT_COLUMNS, fmt, output)


@training_app.command("add-cert")
def training_add_cert(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    name: Annotated[str, typer.Argument(help="Certification name.")],
    issued: Annotated[str, typer.Option("--issued", help="Issue date.")] = "t",
    expires: Annotated[str | None, typer.Option("--expires", help="Expiry date.")] = None,
    reference: Annotated[str, typer.Option("--reference", help="Certificate number.")] = "",
) -> None:
    """Record a certification obtained elsewhere."""
    from bo_console.hr import training

    first = _date(issued, "--issued")
    last = _date(expires, "--expires") if expires else None
    store, actor = open_store(ctx)
    with store.write() as session:
        cert = training.add_certification(
            session,
            actor,
            employee=employee,
            name=name,
            issued_on=first,
            expires_on=last,
            reference=reference,
        )
    say(f"recorded certification {cert.id}")


@training_app.command("expiring")
def training_expiring(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", help="Window: 30d, 4w, 2m.")] = "30d",
    notify: Annotated[
        bool, typer.Option("--notify", help="Put an HR inbox item for each (once).")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Certifications of current staff that expire within the window, or have expired (cron)."""
    from bo_console.core.jobs import run_job
    from bo_console.hr import training

    days = _window(within)
    store, actor = open_store(ctx)
    if notify:
        with run_job(store, actor, "hr.training.expiring", key=str(_today()), force=True) as job:
            with store.write() as session:
                rows = training.expiring(session, actor, today=_today(), within_days=days)
                made = training.notify_expiring(session, actor, rows)
                job.complete(session, f"{len(rows)} expiring, {made} new inbox items")
        say(f"{len(rows)} certifications expire within {days} days; {made} new HR inbox items")
    else:
        with store.read() as session:
            rows = training.expiring(session, actor, today=_today(), within_days=days)
    emit(rows, training.CERT_COLUMNS, fmt, output)


# -- benefits ---------------------------------------------------------------------------------


@benefits_app.command("plans")
def benefits_plans(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List benefit plans (monthly contributions)."""
    from bo_console.hr import benefits

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = benefits.list_plans(session, actor)
    emit(rows, benefits.PLAN_COLUMNS, fmt, output)


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
    from bo_console.hr import benefits

    store, actor = open_store(ctx)
    with store.write() as session:
        plan = benefits.add_plan(
            session,
            actor,
            code=code,
            name=name,
            name_ar=name_ar,
            employee_contribution=_amount(session, employee, "--employee"),
            employer_contribution=_amount(session, employer, "--employer"),
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
    from bo_console.hr import benefits

    day = _date(starts, "--from")
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
    from bo_console.hr import benefits

    day = _date(on, "--on")
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
    from bo_console.hr import benefits

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = benefits.list_enrollments(session, actor, plan=plan, employee=employee)
    emit(rows, benefits.ENROLLMENT_COLUMNS, fmt, output)


# -- leave ------------------------------------------------------------------------------------


@leave_app.command("types")
def leave_types(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List leave types."""
    from bo_console.hr import leave

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = leave.list_leave_types(session, actor)
    emit(rows, ["code", "name", "name_ar", "paid", "yearly_days"], fmt, output)


@leave_app.command("add-type")
def leave_add_type(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Type code.")],
    name: Annotated[str, typer.Argument(help="Name.")],
    name_ar: Annotated[str, typer.Option("--name-ar")] = "",
    unpaid: Annotated[bool, typer.Option("--unpaid", help="Unpaid leave (reduces pay).")] = False,
    yearly: Annotated[
        str, typer.Option("--yearly", help="Yearly entitlement in days (accrued monthly).")
    ] = "0",
) -> None:
    """Add a leave type."""
    from bo_console.hr import leave
    from bo_console.hr.common import parse_days

    try:
        days = parse_days(yearly)
    except ValueError as exc:
        raise ValidationFailed(f"--yearly: {exc}") from None
    store, actor = open_store(ctx)
    with store.write() as session:
        row = leave.add_leave_type(
            session, actor, code=code, name=name, name_ar=name_ar, paid=not unpaid, yearly_days=days
        )
    say(f"added leave type {row.code}")


@leave_app.command("request")
def leave_request(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    type_code: Annotated[str, typer.Argument(help="Leave type code.")],
    starts: Annotated[str, typer.Option("--from", help="First day.")],
    ends: Annotated[str | None, typer.Option("--to", help="Last day (default: same).")] = None,
    half_day: Annotated[bool, typer.Option("--half-day", help="Half a day.")] = False,
    reason: Annotated[str, typer.Option("--reason")] = "",
) -> None:
    """Ask for leave (for yourself, or for anyone with hr.write)."""
    from bo_console.hr import leave
    from bo_console.hr.common import days_text

    first = _date(starts, "--from")
    last = _date(ends, "--to") if ends else first
    store, actor = open_store(ctx)
    with store.write() as session:
        row = leave.request_leave(
            session,
            actor,
            employee=employee,
            type_code=type_code,
            starts_on=first,
            ends_on=last,
            reason=reason,
            half_day=half_day,
        )
    typer.echo(row.id)
    say(f"leave request {row.id}: {days_text(row.days, 'working day')}, pending a decision")


@leave_app.command("approve")
def leave_approve(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="Request id.")],
    note: Annotated[str, typer.Option("--note", "-m")] = "",
) -> None:
    """Approve a leave request (the employee's manager or HR; never the requester)."""
    from bo_console.hr import leave

    store, actor = open_store(ctx)
    with store.write() as session:
        leave.approve(session, actor, request_id, note=note)
    say(f"approved leave request {request_id}")


@leave_app.command("reject")
def leave_reject(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="Request id.")],
    note: Annotated[str, typer.Option("--note", "-m")] = "",
) -> None:
    """Reject a leave request."""
    from bo_console.hr import leave

    store, actor = open_store(ctx)
    with store.write() as session:
        leave.reject(session, actor, request_id, note=note)
    say(f"rejected leave request {request_id}")


@leave_app.command("cancel")
def leave_cancel(
    ctx: typer.Context, request_id: Annotated[int, typer.Argument(help="Request id.")]
) -> None:
    """Withdraw a leave request (approved leave only before it starts)."""
    from bo_console.hr import leave

    store, actor = open_store(ctx)
    with store.write() as session:
        leave.cancel(session, actor, request_id, today=_today())
    say(f"cancelled leave request {request_id}")


@leave_app.command("requests")
def leave_requests(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help="pending, approved...")] = None,
    employee: Annotated[str | None, typer.Option("--employee")] = None,
    to_decide: Annotated[
        bool, typer.Option("--to-decide", help="Pending requests of people who report to me.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List leave requests."""
    from bo_console.hr import leave

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = leave.list_requests(
            session, actor, status=status, employee=employee, mine_to_decide=to_decide
        )
    emit(rows, leave.REQUEST_COLUMNS, fmt, output)


@leave_app.command("balances")
def leave_balances(
    ctx: typer.Context,
    employee: Annotated[str | None, typer.Argument(help="Employee number (default: all).")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Leave balances: accrued, taken, adjusted, pending, left."""
    from bo_console.hr import leave

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = leave.balances(session, actor, employee=employee)
    emit(rows, leave.BALANCE_COLUMNS, fmt, output)


@leave_app.command("adjust")
def leave_adjust(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    type_code: Annotated[str, typer.Argument(help="Leave type code.")],
    days: Annotated[str, typer.Argument(help="Days to add (negative to remove).")],
    note: Annotated[str, typer.Option("--note", "-m", help="Why (required).")] = "",
) -> None:
    """Adjust a leave balance (opening balances, corrections)."""
    from bo_console.hr import leave
    from bo_console.hr.common import parse_days

    try:
        amount = parse_days(days)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    store, actor = open_store(ctx)
    with store.write() as session:
        leave.adjust(session, actor, employee=employee, type_code=type_code, days=amount, note=note)
    say(f"adjusted {employee.upper()} {type_code.upper()} by {days} days")


@leave_app.command("accrue")
def leave_accrue(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    force: Annotated[
        bool, typer.Option("--force", help="Run again (adds only what is missing).")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Accrue a month of leave entitlements (cron-safe: locked, recorded, once per month)."""
    from bo_console.core.jobs import run_job
    from bo_console.hr import leave

    month = _period(period)
    store, actor = open_store(ctx)
    if dry_run:
        with store.write() as session:
            result = leave.accrue(session, actor, month)
            session.rollback()
        say(f"{month}: would add {result.added} accruals ({result.already} already there)")
        return
    with run_job(store, actor, "hr.leave.accrue", key=month.key, force=force) as job:
        with store.write() as session:
            result = leave.accrue(session, actor, month)
            job.complete(session, f"{result.added} accruals added, {result.already} already there")
    say(f"{month}: added {result.added} accruals ({result.already} already there)")


# -- payroll ----------------------------------------------------------------------------------


def _money_text(session: Any, minor: int) -> str:
    from bo_console.core.money import from_minor
    from bo_console.hr.common import currency_of

    code, exponent = currency_of(session)
    return f"{code} {from_minor(minor, exponent):,}"


@payroll_app.command("run")
def payroll_run(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    dry_run: DryRunOption = False,
) -> None:
    """Compute the month's payslips as a draft pay run (once per month; cron-safe)."""
    from bo_console.core.jobs import run_job
    from bo_console.hr import payroll

    month = _period(period)
    store, actor = open_store(ctx)
    show = actor.can("hr.confidential")
    if dry_run:
        actor.require("payroll.prepare", "run payroll")
        with store.read() as session:
            slips = payroll.compute_period(session, month)
            total = _money_text(session, sum(s.net for s in slips)) if show else "***"
        say(f"{month}: would pay {len(slips)} employees, net {total}; nothing written (dry run)")
        return
    with run_job(store, actor, "hr.payroll.run", key=month.key, force=True) as job:
        with store.write() as session:
            result = payroll.run_payroll(session, actor, month)
            run = result.run
            if result.created:
                summary = f"pay run {run.id}: {run.employees} payslips"
            else:
                summary = f"pay run {run.id} ({run.status}) already exists; nothing changed"
            job.complete(session, summary)
            net = _money_text(session, run.net) if show else "***"
    if result.created:
        say(
            f"pay run {run.id} for {month}: {run.employees} payslips, net {net} (draft; someone "
            f"other than {actor.login} approves it with `bo hr payroll approve {run.id}`)"
        )
    else:
        say(f"{month} already has pay run {run.id} ({run.status}); nothing changed")
    typer.echo(run.id)


def _run_step(ctx: typer.Context, run_id: int, yes: bool, step: str, question: str) -> None:
    from bo_console.core.jobs import run_job
    from bo_console.hr import payroll

    store, actor = open_store(ctx)
    confirm(question, yes=yes)
    functions = {"approve": payroll.approve_run, "post": payroll.post_run}
    done = {"approve": "approved", "post": "posted"}[step]
    with run_job(store, actor, f"hr.payroll.{step}", key=str(run_id), force=True) as job:
        with store.write() as session:
            changed = functions[step](session, actor, run_id)
            run = payroll.get_run(session, run_id)
            job.complete(
                session,
                f"pay run {run_id} {done}" if changed else f"pay run {run_id} already {run.status}",
            )
    if changed:
        extra = f" as entry {run.entry_ref}" if step == "post" else ""
        say(f"pay run {run_id} ({run.period}) {done}{extra}")
    else:
        say(f"pay run {run_id} is already {run.status}; nothing changed")


@payroll_app.command("approve")
def payroll_approve(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    yes: YesOption = False,
) -> None:
    """Approve a draft pay run (someone other than its preparer, with payroll.approve)."""
    _run_step(ctx, run_id, yes, "approve", f"Approve pay run {run_id}?")


@payroll_app.command("post")
def payroll_post(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    yes: YesOption = False,
) -> None:
    """Post an approved pay run to the ledger (one balanced entry; irreversible)."""
    _run_step(ctx, run_id, yes, "post", f"Post pay run {run_id} to the ledger?")


@payroll_app.command("pay")
def payroll_pay(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Bank transfer file to write (CSV).")
    ],
    paid_on: Annotated[str, typer.Option("--date", help="Payment date.")] = "t",
    yes: YesOption = False,
) -> None:
    """Pay a posted run: write the bank transfer CSV (IBAN, amount) and post the payment."""
    from bo_console.core import io
    from bo_console.core.jobs import run_job
    from bo_console.hr import payroll

    day = _date(paid_on, "--date")
    io.check_output_path(output)
    store, actor = open_store(ctx)
    confirm(f"Pay pay run {run_id} and write {output}?", yes=yes)
    with run_job(store, actor, "hr.payroll.pay", key=str(run_id), force=True) as job:
        written = False
        try:
            with store.write() as session:
                changed, rows = payroll.pay_run(session, actor, run_id, paid_on=day)
                if changed:
                    # The file lands before the commit; if the commit fails it is removed.
                    io.write_file(rows, payroll.TRANSFER_COLUMNS, output, "csv")
                    written = True
                run = payroll.get_run(session, run_id)
                job.complete(
                    session,
                    f"pay run {run_id} paid, {len(rows)} transfers" if changed else "already paid",
                )
        except BaseException:
            if written:
                output.unlink(missing_ok=True)
            raise
    if changed:
        say(f"pay run {run_id} paid: {len(rows)} transfers written to {output}")
    else:
        say(
            f"pay run {run_id} is already {run.status}; nothing changed (write the transfer "
            f"file again with `bo hr payroll transfers {run_id} -o FILE`)"
        )


@payroll_app.command("transfers")
def payroll_transfers(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (CSV).")],
) -> None:
    """Write a paid run's bank transfer file again (audited as an export)."""
    from bo_console.core import io
    from bo_console.hr import payroll

    store, actor = open_store(ctx)
    with store.write() as session:
        actor.require("payroll.approve", "export bank transfers")
        run = payroll.get_run(session, run_id)
        if run.status != "paid":
            raise ValidationFailed(f"pay run {run_id} is {run.status}; pay it first")
        rows = payroll.transfer_rows(session, actor, run)
        io.write_file(rows, payroll.TRANSFER_COLUMNS, output, "csv")
    say(f"wrote {len(rows)} transfers to {output}")


@payroll_app.command("discard")
def payroll_discard(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    yes: YesOption = False,
) -> None:
    """Discard a draft pay run so the month can be run again."""
    from bo_console.hr import payroll

    store, actor = open_store(ctx)
    confirm(f"Discard draft pay run {run_id}?", yes=yes)
    with store.write() as session:
        payroll.discard_run(session, actor, run_id)
    say(f"discarded pay run {run_id}")


@payroll_app.command("list")
def payroll_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List pay runs (totals masked unless you may read pay, as on the HR screen)."""
    from bo_console.hr import payroll

    store, actor = open_store(ctx)
    with store.read() as session:
        rows, _ = payroll.runs_overview(session, actor)
    emit(rows, payroll.RUN_COLUMNS, fmt, output)


@payroll_app.command("payslips")
def payroll_payslips(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, json or xlsx (xlsx needs -o).")
    ] = "table",
    output: OutputOption = None,
) -> None:
    """A run's payslips (confidential; the view is audited)."""
    from bo_console.hr import payroll

    value = fmt.lower()
    if value not in ("table", "csv", "json", "xlsx"):
        raise ValidationFailed(f"--format: {fmt!r} is not one of table, csv, json, xlsx")
    if value == "xlsx" and output is None:
        raise ValidationFailed("xlsx goes to a file; give -o FILE")
    store, actor = open_store(ctx)
    with store.write() as session:
        rows = payroll.payslips(
            session, actor, run_id, purpose="export" if output is not None else "view"
        )
    emit(rows, payroll.PAYSLIP_COLUMNS, value, output)


@payroll_app.command("lines")
def payroll_lines(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The journal lines a run posts (or would post): expenses by department, liabilities."""
    from bo_console.core.money import from_minor
    from bo_console.hr import payroll
    from bo_console.hr.common import currency_of

    store, actor = open_store(ctx)
    with store.write() as session:
        lines = payroll.journal_preview(session, actor, run_id)
        _, exponent = currency_of(session)
    rows = [
        {
            "account": line.account,
            "role": line.role,
            "department": line.department or "",
            "debit": from_minor(line.debit, exponent),
            "credit": from_minor(line.credit, exponent),
        }
        for line in lines
    ]
    emit(rows, ["account", "role", "department", "debit", "credit"], fmt, output)


@payroll_app.command("import-inputs")
def payroll_import_inputs(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: employee, kind, hours, amount, note.")],
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    dry_run: DryRunOption = False,
) -> None:
    """Import a month's overtime, bonuses and deductions: all rows or none.

    Template: data/hr-pay-inputs-template.csv. Overtime is given in hours and priced by the run.
    """
    from bo_console.hr import payroll

    month = _period(period)
    store, actor = open_store(ctx)
    with store.write() as session:
        count = payroll.import_inputs(session, actor, file, month, dry_run=dry_run)
        if dry_run:
            session.rollback()
    say(
        f"{file.name}: {count} inputs are valid; nothing written (dry run)"
        if dry_run
        else f"imported {count} pay inputs for {month} from {file.name}"
    )


@payroll_app.command("inputs")
def payroll_inputs(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List a month's variable pay inputs."""
    from bo_console.hr import payroll

    month = _period(period)
    store, actor = open_store(ctx)
    with store.write() as session:
        rows = payroll.list_inputs(session, actor, month)
    emit(rows, payroll.INPUT_COLUMNS, fmt, output)


@payroll_app.command("clear-inputs")
def payroll_clear_inputs(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    yes: YesOption = False,
) -> None:
    """Remove every variable input of a month that has not been run."""
    from bo_console.hr import payroll

    month = _period(period)
    store, actor = open_store(ctx)
    confirm(f"Remove every pay input of {month}?", yes=yes)
    with store.write() as session:
        count = payroll.clear_inputs(session, actor, month)
    say(f"removed {count} pay inputs of {month}")


@payroll_app.command("config")
def payroll_config(
    ctx: typer.Context,
    rule: Annotated[str | None, typer.Argument(help="Rule to change (omit to list).")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show the pay rules, or change one: social insurance rates and cap, overtime, EOS."""
    from bo_console.hr import payroll

    store, actor = open_store(ctx)
    if rule is None:
        with store.read() as session:
            rows = payroll.rules_rows(session, actor)
        emit(rows, ["rule", "value"], fmt)
        return
    if value is None:
        raise ValidationFailed(f"give the new value of {rule}")
    with store.write() as session:
        before, after = payroll.set_rule(session, actor, rule, value)
    say(f"{rule}: {before} -> {after}")
