"""``bo hr training``: courses, sessions, enrollments and certifications."""

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
from bo_console.hr.cli.options import records, today, window_days

training_app = typer.Typer(
    help="Courses, sessions, enrollments and certifications.", no_args_is_help=True
)


# -- training ---------------------------------------------------------------------------------


@training_app.command("courses")
def training_courses(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List courses."""
    from bo_console.hr.service import training_lists as lists

    reader, actor = open_reader(ctx)
    rows = lists.list_courses(reader, actor)
    emit([r.record() for r in rows], lists.COURSE_COLUMNS, fmt, output)


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
    from bo_console.hr.service import training

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
    from bo_console.hr.service import training_lists as lists

    reader, actor = open_reader(ctx)
    rows = lists.list_sessions(
        reader, actor, course=course, upcoming_from=today() if upcoming else None
    )
    emit([r.record() for r in rows], lists.SESSION_COLUMNS, fmt, output)


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
    from bo_console.hr.service import training

    first = day_option(starts, "--starts")
    last = day_option(ends, "--ends") if ends else None
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
    from bo_console.hr.service import training

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
    from bo_console.hr.service import training

    day = day_option(on, "--on")
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
    from bo_console.hr.service import training_lists as lists

    reader, actor = open_reader(ctx)
    rows = lists.list_certifications(reader, actor, employee=employee, today=today())
    emit([r.record() for r in rows], lists.CERT_COLUMNS, fmt, output)


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
    from bo_console.hr.service import training

    first = day_option(issued, "--issued")
    last = day_option(expires, "--expires") if expires else None
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
        bool,
        typer.Option(
            "--notify",
            help="Cron: an HR inbox item for each (once); prints nothing (-o still writes the "
            "list).",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Certifications of current staff that expire within the window, or have expired (cron)."""
    days = window_days(within)
    if not notify:
        from bo_console.hr.service import training_lists as lists

        reader, actor = open_reader(ctx)
        found = lists.expiring(reader, actor, today=today(), within_days=days)
        emit([r.record() for r in found], lists.CERT_COLUMNS, fmt, output)
        return
    from bo_console.core.jobs import run_job
    from bo_console.hr.service import training

    store, actor = open_store(ctx)
    with run_job(store, actor, "hr.training.expiring", key=str(today()), force=True) as job:
        with store.write() as session:
            rows = training.expiring(session, actor, today=today(), within_days=days)
            made = training.notify_expiring(session, actor, rows)
            job.complete(session, f"{len(rows)} expiring, {made} new inbox items")
    say(f"{len(rows)} certifications expire within {days} days; {made} new HR inbox items")
    if output is None:
        return  # cron mails whatever is printed: the items are in the inbox
    emit(records(rows), training.CERT_COLUMNS, fmt, output)
