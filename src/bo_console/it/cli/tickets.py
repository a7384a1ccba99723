"""``bo it tickets`` and ``bo it sla``: raise, list, work and close tickets; the SLA
calendar and targets; the escalation cron job."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.clikit import open_reader, open_store, say
from bo_console.it.cli.common import Format, FormatOption, OutputOption, as_row, cell, day, out

if TYPE_CHECKING:
    from bo_console.it.ticket_view import TicketView

app = typer.Typer(
    help="Helpdesk tickets: raise, list, take, work, resolve, close, escalate.",
    no_args_is_help=True,
)
sla_app = typer.Typer(help="SLA targets and the working calendar.", no_args_is_help=True)

ROW_COLUMNS = [
    "ref",
    "status",
    "priority",
    "sla",
    "category",
    "subject",
    "requester",
    "assignee",
    "opened_at",
    "resolution_due",
]
SHOW_COLUMNS = [
    *ROW_COLUMNS,
    "employee",
    "asset",
    "response_due",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "resolution_note",
    "description",
    "comments",
    "history",
]
Ref = Annotated[str, typer.Argument(help="Ticket number (T000042 or 42).")]


def _show(view: TicketView, fmt: Format, output: Any) -> None:
    row = as_row(view.row) | {
        "employee": view.employee,
        "asset": view.asset,
        "response_due": view.response_due,
        "first_response_at": view.first_response_at,
        "resolved_at": view.resolved_at,
        "closed_at": view.closed_at,
        "resolution_note": view.resolution_note,
        "description": view.description,
        "comments": [
            f"{c.at:%Y-%m-%d %H:%M} {c.author}{' (internal)' if c.internal else ''}: {c.text}"
            for c in view.comments
        ],
        "history": [
            f"{e.at:%Y-%m-%d %H:%M} {e.actor} {e.action} {e.detail}".rstrip() for e in view.history
        ],
    }
    if fmt == Format.table:
        for name in SHOW_COLUMNS:
            value = row[name]
            if isinstance(value, list):
                typer.echo(f"{name}:")
                for line in value:
                    typer.echo(f"  {line}")
            else:
                typer.echo(f"{name + ':':<19}{cell(value)}")
        return
    out([row], SHOW_COLUMNS, fmt, output)


def _act(ctx: typer.Context, verb: str, work: Any) -> None:
    """Run one ticket action in a write transaction and say what became of the ticket."""
    store, actor = open_store(ctx)
    with store.write() as session:
        view = work(session, actor)
    say(f"{view.row.ref} {verb} ({view.row.status})")


@app.command("new")
def new(
    ctx: typer.Context,
    subject: Annotated[str, typer.Option("--subject", "-s", help="What is wrong, in a line.")],
    description: Annotated[str, typer.Option("--description", "-d", help="Details.")] = "",
    category: Annotated[
        str,
        typer.Option(
            "--category",
            "-c",
            help="hardware, software, access, network, email, printing or other.",
        ),
    ] = "other",
    priority: Annotated[str, typer.Option("--priority", "-p", help="P1 (urgent) to P4.")] = "P3",
    for_employee: Annotated[
        str | None, typer.Option("--for", help="Raise for this employee (number; it.write).")
    ] = None,
    asset: Annotated[
        str | None, typer.Option("--asset", help="Tag of the asset concerned.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Raise a ticket (anyone may); prints its number."""
    from bo_console.it import service
    from bo_console.it.common import validated

    store, actor = open_store(ctx)
    data = validated(
        service.TicketCreate,
        {
            "subject": subject,
            "description": description,
            "category": category,
            "priority": priority,
            "for_employee": for_employee,
            "asset": asset,
        },
    )
    with store.write() as session:
        view = service.raise_ticket(session, actor, data)
    if fmt == Format.table:
        typer.echo(view.row.ref)
    else:
        out([as_row(view.row)], ROW_COLUMNS, fmt, None)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help="open (default), all, or new, assigned, "
            "in_progress, waiting, resolved, closed, reopened.",
        ),
    ] = "open",
    mine: Annotated[bool, typer.Option("--mine", help="Only tickets I raised.")] = False,
    assignee: Annotated[str | None, typer.Option("--assignee", help="A login, or `me`.")] = None,
    priority: Annotated[str | None, typer.Option("--priority", help="P1 to P4.")] = None,
    sla: Annotated[str | None, typer.Option("--sla", help="breached or near.")] = None,
    search: Annotated[str, typer.Option("--search", help="Part of the subject.")] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000)] = 200,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Tickets, newest first (without it.read: your own)."""
    # IT's list queries read through a plain sqlite3 Reader: no SQLAlchemy, no table models.
    from bo_console.it import lists

    reader, actor = open_reader(ctx)
    flt = lists.TicketFilter(
        status=status,
        mine=mine,
        assignee=assignee,
        priority=priority,
        sla=sla,
        text=search,
        limit=limit,
    )
    rows = lists.list_tickets(reader, actor, flt)
    out([as_row(r) for r in rows], ROW_COLUMNS, fmt, output)


@app.command("show")
def show(
    ctx: typer.Context, ref: Ref, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """One ticket with its comments and history."""
    from bo_console.it.ticket_view import get_ticket

    reader, actor = open_reader(ctx)
    _show(get_ticket(reader, actor, ref), fmt, output)


@app.command("take")
def take(ctx: typer.Context, ref: Ref) -> None:
    """Take a ticket: it becomes yours (it.write)."""
    from bo_console.it import service

    _act(ctx, "taken", lambda s, a: service.assign(s, a, ref))


@app.command("assign")
def assign(
    ctx: typer.Context,
    ref: Ref,
    to: Annotated[str, typer.Option("--to", help="Login of the IT person (it.manage).")],
) -> None:
    """Assign a ticket to someone in IT."""
    from bo_console.it import service

    _act(ctx, f"assigned to {to}", lambda s, a: service.assign(s, a, ref, to))


@app.command("start")
def start(ctx: typer.Context, ref: Ref) -> None:
    """Start work on a ticket."""
    from bo_console.it import service

    _act(ctx, "started", lambda s, a: service.start(s, a, ref))


@app.command("wait")
def wait(
    ctx: typer.Context,
    ref: Ref,
    question: Annotated[
        str, typer.Option("--question", "-q", help="What the requester should answer.")
    ],
) -> None:
    """Put a ticket on the requester, with a question."""
    from bo_console.it import service

    _act(ctx, "waits on the requester", lambda s, a: service.wait(s, a, ref, question))


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    ref: Ref,
    note: Annotated[str, typer.Option("--note", "-n", help="What was done.")],
) -> None:
    """Resolve a ticket with a resolution note."""
    from bo_console.it import service

    _act(ctx, "resolved", lambda s, a: service.resolve(s, a, ref, note))


@app.command("close")
def close(ctx: typer.Context, ref: Ref) -> None:
    """Confirm a resolved ticket and close it."""
    from bo_console.it import service

    _act(ctx, "closed", lambda s, a: service.close(s, a, ref))


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why it is not fixed.")],
) -> None:
    """Reopen a resolved ticket (within the reopen window)."""
    from bo_console.it import service

    _act(ctx, "reopened", lambda s, a: service.reopen(s, a, ref, reason))


@app.command("comment")
def comment(
    ctx: typer.Context,
    ref: Ref,
    text: Annotated[str, typer.Option("--text", "-t", help="The comment.")],
    internal: Annotated[bool, typer.Option("--internal", help="Seen by IT only.")] = False,
) -> None:
    """Comment on a ticket."""
    from bo_console.it import service

    _act(ctx, "commented", lambda s, a: service.comment(s, a, ref, text, internal=internal))


@app.command("set")
def set_(
    ctx: typer.Context,
    ref: Ref,
    priority: Annotated[str | None, typer.Option("--priority", help="P1 to P4.")] = None,
    category: Annotated[str | None, typer.Option("--category")] = None,
    asset: Annotated[str | None, typer.Option("--asset", help="Asset tag ('' unlinks).")] = None,
) -> None:
    """Reclassify a ticket; a new priority moves its SLA due times."""
    from bo_console.it import service
    from bo_console.it.common import validated

    data = validated(
        service.TicketUpdate, {"priority": priority, "category": category, "asset": asset}
    )
    _act(ctx, "changed", lambda s, a: service.update(s, a, ref, data))


@app.command("escalate")
def escalate(ctx: typer.Context) -> None:
    """Cron: put each new SLA breach into the IT manager's inbox (once per breach) and close
    resolved tickets nobody reopened in time. Quiet when there is nothing to do."""
    from bo_console.clikit import progress_bar
    from bo_console.it import service

    store, actor = open_store(ctx)
    with progress_bar("SLA escalation") as progress:
        result = service.run_escalation(store, actor, progress=progress)
    say(result.summary)


# -- SLA ----------------------------------------------------------------------------------------


@sla_app.command("show")
def sla_show(
    ctx: typer.Context, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """The SLA targets per priority and the working calendar."""
    from bo_console.it.work_lists import show_calendar

    reader, actor = open_reader(ctx)
    cal = show_calendar(reader, actor)
    if fmt == Format.table:
        typer.echo(f"work week: {cal.days}; hours {cal.hours} ({cal.timezone})")
        for day_, name in cal.holidays:
            typer.echo(f"holiday:   {day_} {name}")
    rows = [
        {
            "priority": t.priority,
            "response_minutes": t.response_minutes,
            "resolution_minutes": t.resolution_minutes,
        }
        for t in cal.targets
    ]
    out(rows, ["priority", "response_minutes", "resolution_minutes"], fmt, output)


@sla_app.command("calendar")
def sla_calendar(
    ctx: typer.Context,
    days: Annotated[str | None, typer.Option("--days", help="e.g. sun,mon,tue,wed,thu")] = None,
    hours: Annotated[str | None, typer.Option("--hours", help="e.g. 08:00-16:00")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help="e.g. Asia/Riyadh")] = None,
) -> None:
    """Set the work week, the working hours or the time zone (it.manage)."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        cal = service.set_calendar(session, actor, days=days, hours=hours, timezone=timezone)
    say(f"work week {cal.days}; hours {cal.hours} ({cal.timezone})")


@sla_app.command("holiday")
def sla_holiday(
    ctx: typer.Context,
    on: Annotated[str, typer.Argument(help="The date.")],
    name: Annotated[str, typer.Argument(help="What it is.")],
) -> None:
    """Add a public holiday (it.manage)."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    when = day(on, "date")
    with store.write() as session:
        service.add_holiday(session, actor, when, name)
    say(f"{when} is a holiday: {name}")


@sla_app.command("target")
def sla_target(
    ctx: typer.Context,
    priority: Annotated[str, typer.Argument(help="P1 to P4.")],
    response: Annotated[int, typer.Option("--response", help="Working minutes to respond.")],
    resolution: Annotated[int, typer.Option("--resolution", help="Working minutes to resolve.")],
) -> None:
    """Set a priority's targets (it.manage); new tickets use them."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        service.set_target(
            session, actor, priority, response_minutes=response, resolution_minutes=resolution
        )
    say(f"{priority.upper()}: respond in {response} and resolve in {resolution} working minutes")
