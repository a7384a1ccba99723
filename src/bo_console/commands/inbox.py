"""``bo inbox``: work handed between departments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from bo_console.core.inbox_list import ItemRow
    from bo_console.core.inbox_view import ItemDetail

app = typer.Typer(help="Work items handed between departments.", no_args_is_help=True)

ITEM_COLUMNS = ["id", "to", "from", "kind", "subject", "status", "assignee", "due", "ref"]
KIND_COLUMNS = ["kind", "title", "department", "sla_days", "states", "closed_by"]


def _item_row(item: ItemRow | ItemDetail) -> dict[str, object]:
    return {
        "id": item.id,
        "to": item.to_dept,
        "from": item.from_dept,
        "kind": item.kind,
        "subject": item.subject,
        "status": item.status,
        "assignee": item.assignee,
        "due": item.due_date,
        "ref": item.ref,
    }


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="One department's inbox.")
    ] = None,
    status: Annotated[
        str,
        typer.Option(help="open (default), closed, all, or one state (in_progress, done, ...)."),
    ] = "open",
    mine: Annotated[bool, typer.Option("--mine", help="Only items assigned to me.")] = False,
    raised: Annotated[
        bool, typer.Option("--raised", help="The items I raised, in any department.")
    ] = False,
    kind: Annotated[str | None, typer.Option(help="Only items of this kind.")] = None,
    assignee: Annotated[str | None, typer.Option(help="Only items assigned to this user.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List work items in the inboxes you can read (open ones by default)."""
    from bo_console.core.inbox_list import item_rows

    reader, actor = open_reader(ctx)
    items = item_rows(
        reader,
        actor,
        dept=dept,
        status=status,
        assignee=assignee,
        mine=mine,
        raised=raised,
        kind=kind,
    )
    emit([_item_row(i) for i in items], ITEM_COLUMNS, fmt, output)


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    item_id: Annotated[int, typer.Argument(metavar="ID")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show one work item with its comments."""
    from bo_console.core.inbox_view import item_detail

    reader, actor = open_reader(ctx)
    item = item_detail(reader, actor, item_id)
    row = _item_row(item)
    row.update(
        kind_title=item.kind_title,
        links=" ".join(item.links),
        next=", ".join(item.next_states),
        escalated_to=item.escalated_to,
        body=item.body,
        created_by=item.created_by,
        created_at=item.created_at.strftime("%Y-%m-%d %H:%M"),
        comments=[f"{c.at:%Y-%m-%d %H:%M} {c.author}: {c.text}" for c in item.comments],
    )
    if fmt is OutputFormat.table:
        width = max(len(k) for k in row)
        for key, value in row.items():
            if key == "comments":
                continue
            typer.echo(f"{key:<{width}}  {'' if value is None else value}")
        for line in row["comments"]:  # type: ignore[attr-defined]
            typer.echo(f"  {line}")
        return
    emit([row], list(row), fmt)


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    subject: Annotated[str, typer.Option("--subject", "-s", help="What needs doing.")],
    to: Annotated[str, typer.Option("--to", help="Department that should do the work.")] = "",
    kind: Annotated[
        str, typer.Option(help="Kind of work (bo inbox kinds lists them).")
    ] = "general",
    sender: Annotated[
        str, typer.Option("--from", help="Sending department, or 'front'.")
    ] = "front",
    body: Annotated[str, typer.Option(help="Details.")] = "",
    due: Annotated[str | None, typer.Option(help="Due date (YYYY-MM-DD, +5, ...).")] = None,
    ref: Annotated[str | None, typer.Option(help="Record concerned, as ENTITY:ID.")] = None,
    link: Annotated[
        list[str] | None,
        typer.Option("--link", help="Another record concerned, as ENTITY:REF (repeatable)."),
    ] = None,
) -> None:
    """Hand a piece of work to a department (TO may be empty for a kind that has an owner)."""
    from bo_console.core import inbox
    from bo_console.core.dates import parse_date

    due_date = None
    if due:
        try:
            due_date = parse_date(due)
        except ValueError as exc:
            raise ValidationFailed(f"--due: {exc}") from exc
    ref_entity = ref_id = None
    if ref:
        if ":" not in ref:
            raise ValidationFailed("--ref must look like ENTITY:ID, e.g. employee:42")
        ref_entity, ref_id = ref.split(":", 1)
    links = [inbox.Link.parse(text) for text in link or []]
    store, actor = open_store(ctx)
    with store.write() as session:
        item = inbox.create_item(
            session,
            actor,
            from_dept=sender,
            item=inbox.NewWorkItem(
                to_dept=to,
                kind=kind,
                subject=subject,
                body=body,
                ref_entity=ref_entity,
                ref_id=ref_id,
                due_date=due_date,
                links=links,
            ),
        )
    say(f"work item {item.id} sent to {item.to_dept}")
    typer.echo(item.id)


@app.command("assign")
def assign_cmd(
    ctx: typer.Context,
    item_id: Annotated[int, typer.Argument(metavar="ID")],
    login: Annotated[str, typer.Argument(help="Console user to assign.")],
) -> None:
    """Assign a work item to someone."""
    from bo_console.core import inbox

    store, actor = open_store(ctx)
    with store.write() as session:
        inbox.assign(session, actor, item_id, login)
    say(f"work item {item_id} assigned to {login}")


@app.command("comment")
def comment_cmd(
    ctx: typer.Context, item_id: Annotated[int, typer.Argument(metavar="ID")], text: str
) -> None:
    """Add a comment to a work item."""
    from bo_console.core import inbox

    store, actor = open_store(ctx)
    with store.write() as session:
        inbox.add_comment(session, actor, item_id, text)
    say(f"commented on work item {item_id}")


def _set_status(ctx: typer.Context, item_id: int, status: str, note: str, verb: str) -> None:
    from bo_console.core import inbox

    store, actor = open_store(ctx)
    with store.write() as session:
        inbox.set_status(session, actor, item_id, status, note)
    say(f"work item {item_id} {verb}")


NoteOption = Annotated[str, typer.Option("--note", "-m", help="A closing comment.")]


@app.command("done")
def done_cmd(
    ctx: typer.Context, item_id: Annotated[int, typer.Argument(metavar="ID")], note: NoteOption = ""
) -> None:
    """Mark a work item done."""
    _set_status(ctx, item_id, "done", note, "done")


@app.command("cancel")
def cancel_cmd(
    ctx: typer.Context, item_id: Annotated[int, typer.Argument(metavar="ID")], note: NoteOption = ""
) -> None:
    """Cancel a work item (it will not be done)."""
    _set_status(ctx, item_id, "cancelled", note, "cancelled")


@app.command("reopen")
def reopen_cmd(
    ctx: typer.Context, item_id: Annotated[int, typer.Argument(metavar="ID")], note: NoteOption = ""
) -> None:
    """Reopen a closed work item."""
    _set_status(ctx, item_id, "open", note, "reopened")


@app.command("move")
def move_cmd(
    ctx: typer.Context,
    item_id: Annotated[int, typer.Argument(metavar="ID")],
    state: Annotated[str, typer.Argument(help="The state to move to (bo inbox show lists them).")],
    note: NoteOption = "",
) -> None:
    """Move a work item to another state its kind allows (approved, rejected, ...)."""
    _set_status(ctx, item_id, state, note, f"is now {state}")


@app.command("link")
def link_cmd(
    ctx: typer.Context,
    item_id: Annotated[int, typer.Argument(metavar="ID")],
    record: Annotated[str, typer.Argument(metavar="ENTITY:REF", help="e.g. order:SO-2026-0012")],
) -> None:
    """Link a work item to one more record."""
    from bo_console.core import inbox

    link = inbox.Link.parse(record)
    store, actor = open_store(ctx)
    with store.write() as session:
        inbox.add_link(session, actor, item_id, link)
    say(f"work item {item_id} linked to {link.entity} {link.ref}")


@app.command("kinds")
def kinds_cmd(fmt: FormatOption = OutputFormat.table, output: OutputOption = None) -> None:
    """The kinds of work item, their owning department, service level and states."""
    from bo_console.core.work_kinds import registry

    rows = [
        {
            "kind": k.code,
            "title": k.title,
            "department": k.dept or "any",
            "sla_days": k.sla_days,
            "states": " ".join(k.states),
            "closed_by": " ".join(s for s in k.states if k.is_closed(s)),
        }
        for k in registry().values()
    ]
    emit(rows, KIND_COLUMNS, fmt, output)


@app.command("escalate")
def escalate_cmd(ctx: typer.Context) -> None:
    """Escalate overdue open items to their department's manager, once per item (cron).

    Quiet when everything went to a manager; an item whose department has no active manager
    is named on stderr and tried again on the next run.
    """
    from bo_console.core import inbox_watch
    from bo_console.core.jobs import run_job

    store, actor = open_store(ctx)
    with run_job(store, actor, "inbox.escalate", force=True) as job:
        with store.write() as session:
            found = inbox_watch.escalate(session, actor)
            done = [e for e in found if e.manager]
            missing = len(found) - len(done)
            job.complete(session, f"{len(done)} escalated, {missing} without a manager")
    for e in found:
        if e.manager is None:
            say(
                f"work item {e.item_id} ({e.dept}, due {e.due_date}) is overdue and "
                f"{e.dept} has no active manager to escalate to"
            )


@app.command("digest")
def digest_cmd(
    ctx: typer.Context,
    dept: Annotated[str, typer.Option("--dept", "-d", help="The department's inbox.")],
    output: OutputOption = None,
) -> None:
    """A department's open items as plain text (overdue, due today, new, the rest) for cron
    to mail."""
    from bo_console.core import inbox_watch

    store, actor = open_store(ctx)
    with store.read() as session:
        text = inbox_watch.digest(session, actor, dept)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
