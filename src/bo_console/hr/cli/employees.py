"""``bo hr employees``: list, show, add, change, terminate, import, export, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bo_console.clikit import (
    DryRunOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    day_option,
    emit,
    export_format,
    open_reader,
    open_store,
    say,
)
from bo_console.core.errors import ValidationFailed
from bo_console.hr.cli.options import (
    ExportFormatOption,
    RevealOption,
    amount_option,
    records,
)

employees_app = typer.Typer(
    help="Employees: list, show, add, change, terminate, import, export.", no_args_is_help=True
)


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
    min_salary: int | None = None,
    max_salary: int | None = None,
) -> Any:
    from bo_console.hr.service.employee_list import EmployeeQuery

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
    # The list's own module, not the people package: it reads through a plain sqlite3
    # Reader, so a list without salaries loads neither SQLAlchemy nor the table models.
    from bo_console.core.lookups import base_currency_of
    from bo_console.hr.service import employee_list

    wants_secret = reveal or sort == "salary" or min_salary is not None or max_salary is not None
    if not wants_secret:
        reader, actor = open_reader(ctx)
        query = _employee_query(search, unit, status, include_terminated, sort, desc, limit)
        rows = employee_list.list_employees(reader, actor, query)
        exponent = base_currency_of(reader).exponent
    else:
        # A reveal writes an audit row, so it needs a write transaction.
        store, actor = open_store(ctx)
        with store.write() as session:
            query = _employee_query(
                search,
                unit,
                status,
                include_terminated,
                sort,
                desc,
                limit,
                amount_option(session, min_salary, "--min-salary")
                if min_salary is not None
                else None,
                amount_option(session, max_salary, "--max-salary")
                if max_salary is not None
                else None,
            )
            rows = employee_list.list_employees(session, actor, query, reveal=reveal)
            exponent = base_currency_of(session).exponent
    emit([employee_list.employee_record(r, exponent) for r in rows], EMPLOYEE_COLUMNS, fmt, output)


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
    from bo_console.core.lookups import base_currency_of
    from bo_console.hr.service import employee_list

    store, actor = open_store(ctx)
    if actor.can("hr.confidential") and not masked:
        # A reveal writes an audit row, so it needs a write transaction.
        with store.write() as session:
            row = employee_list.get_employee(session, actor, number, reveal=True)
            exponent = base_currency_of(session).exponent
    else:
        # Masked: a plain sqlite3 Reader, no SQLAlchemy.
        with store.reading() as reader:
            row = employee_list.get_employee(reader, actor, number, reveal=False)
            exponent = base_currency_of(reader).exponent
    record = employee_list.employee_record(row, exponent)
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
NationalityOption = Annotated[
    str | None,
    typer.Option(
        "--nationality",
        help="saudi, gcc or other (social insurance depends on it; default from the national ID).",
    ),
]
SiJoinedOption = Annotated[
    str | None,
    typer.Option("--si-joined", help="First registration with social insurance (default: hire)."),
]
ContractEndOption = Annotated[
    str | None,
    typer.Option(
        "--contract-end",
        help="Last day of a fixed-term contract (empty: indefinite; art. 77 depends on it).",
    ),
]


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
    nationality: NationalityOption = None,
    si_joined: SiJoinedOption = None,
    contract_end: ContractEndOption = None,
) -> None:
    """Add an employee (--name, --unit and --hire-date are required)."""
    from bo_console.hr.service import people
    from bo_console.hr.service.common import currency_of

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
        nationality=nationality,
        si_joined_on=si_joined,
        contract_ends_on=contract_end,
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        _, exponent = currency_of(session)
        data = people.employee_create(
            raw,
            exponent=exponent,
            hints={"name": "--name", "org_unit": "--unit", "hire_date": "--hire-date"},
        )
        employee = people.create_employee(session, actor, data)
    typer.echo(employee.number)
    say(f"added employee {employee.number} ({employee.name})")


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
    nationality: NationalityOption = None,
    si_joined: SiJoinedOption = None,
    contract_end: ContractEndOption = None,
    salary_from: Annotated[
        str | None,
        typer.Option("--salary-from", help="When a --salary/--allowances change takes effect."),
    ] = None,
) -> None:
    """Change an employee's fields; give an empty value ("") to clear an optional one."""
    from bo_console.hr.service import people
    from bo_console.hr.service.common import currency_of

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
        nationality=nationality,
        si_joined_on=si_joined,
        contract_ends_on=contract_end,
        salary_from=salary_from,
    )
    if not given:
        raise ValidationFailed("nothing to change; give at least one option (see --help)")
    store, actor = open_store(ctx)
    with store.write() as session:
        _, exponent = currency_of(session)
        changes = people.employee_update(given, exponent=exponent)
        people.update_employee(session, actor, employee, changes)
    say(f"updated {employee.upper()}")


@employees_app.command("terminate")
def employees_terminate(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    last_day: Annotated[str, typer.Option("--last-day", help="Last day of employment.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, in words.")] = "",
    leaving: Annotated[
        str | None,
        typer.Option(
            "--leaving",
            help="resignation, termination, contract_end, unfair_termination (art. 77), "
            "dismissal (art. 80) or force_majeure: the end-of-service award depends on it "
            "(default: resignation if --reason says so, else termination).",
        ),
    ] = None,
    yes: YesOption = False,
) -> None:
    """Terminate employment: final settlement in the next pay run, IT asked to offboard."""
    from bo_console.hr.service import people

    day = day_option(last_day, "--last-day")
    store, actor = open_store(ctx)
    confirm(f"Terminate {employee.upper()} with last day {day}?", yes=yes)
    with store.write() as session:
        person = people.terminate_employee(
            session, actor, employee, on=day, reason=reason, leaving=leaving
        )
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
    from bo_console.hr.service import people

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
    from bo_console.hr.service.employee_export import export_employees

    value = export_format(output, fmt)
    store, actor = open_store(ctx)
    query = _employee_query(search, unit, status, True, "number", False, None, None, None)
    if reveal:
        # A revealed export is audited, so it needs a write transaction.
        with store.write() as session:
            count = export_employees(session, actor, output, value, reveal=True, query=query)
    else:
        with store.reading() as reader:
            count = export_employees(reader, actor, output, value, query=query)
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
    from bo_console.hr.service import org_lists

    if not reveal:
        reader, actor = open_reader(ctx)
        rows = org_lists.headcount(reader, actor)
        emit([r.record() for r in rows], org_lists.REPORT_COLUMNS, fmt, output)
        return
    from bo_console.hr.service import people

    store, actor = open_store(ctx)
    with store.write() as session:
        views = people.headcount_report(session, actor, reveal=True)
    emit(records(views), org_lists.REPORT_COLUMNS, fmt, output)
