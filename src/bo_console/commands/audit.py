"""``bo audit``: read and verify the audit trail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    open_reader,
    say,
    store_of,
)
from bo_console.core.errors import IntegrityProblem, ValidationFailed

app = typer.Typer(help="Read and verify the audit trail.", no_args_is_help=True)

AnchorDirOption = Annotated[
    Path | None,
    typer.Option(
        help="Where anchors are kept (else $BO_AUDIT_ANCHORS, else your state directory).",
        metavar="DIR",
    ),
]

LOG_COLUMNS = ["id", "at", "user", "os_user", "origin", "action", "entity", "entity_id", "changes"]


def _moment(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    from bo_console.core.dates import parse_moment

    try:
        return parse_moment(value)
    except ValueError as exc:
        raise ValidationFailed(f"--{name}: {exc}") from exc


@app.command("log")
def log_cmd(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="Only this console user.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only this kind of record (user, ...).")
    ] = None,
    entity_id: Annotated[str | None, typer.Option("--id", help="Only this record id.")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only this action (create, grant, ...).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="From this date/time (UTC), e.g. 2026-11-01.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Before this date/time (UTC).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).", min=0)] = 200,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Show audit rows, newest first."""
    from bo_console.core import audit_reads

    flt = audit_reads.AuditFilter(
        user=user,
        entity=entity,
        entity_id=entity_id,
        action=action,
        since=_moment(since, "since"),
        until=_moment(until, "until"),
        limit=limit or None,
    )
    reader, actor = open_reader(ctx)
    events = audit_reads.log_rows(reader, actor, flt)
    rows = [
        {
            "id": e.id,
            "at": e.at.strftime("%Y-%m-%d %H:%M:%S"),
            "user": e.user_login,
            "os_user": e.os_user,
            "origin": e.origin,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "changes": e.changes,
        }
        for e in events
    ]
    emit(rows, LOG_COLUMNS, fmt, output)


@app.command("verify")
def verify_cmd(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="ID:HASH printed earlier by `bo audit head`; the chain must still contain it."
        ),
    ] = None,
    anchor_file: Annotated[Path | None, typer.Option(help="A file holding ID:HASH.")] = None,
    anchor_dir: AnchorDirOption = None,
    no_anchor: Annotated[
        bool, typer.Option("--no-anchor", help="Do not check against the latest anchor.")
    ] = False,
) -> None:
    """Walk the hash chain; report the first broken row. Exits 5 on any tampering.

    Unless --anchor or --anchor-file is given, the chain is checked against the newest anchor
    that `bo audit anchor` recorded for this database (if any): rows deleted from the end or
    rewritten since are found.
    """
    from bo_console.core import anchors, audit_reads

    text = anchor
    latest: anchors.Anchor | None = None
    where: Path | None = None
    if text is None and anchor_file is None and not no_anchor:
        store = store_of(ctx)
        where = anchors.anchor_file(store.label, anchors.anchor_dir(anchor_dir))
        latest = anchors.latest(where)
        if latest is not None:
            problem = anchors.loose(where)
            if problem is not None:
                raise IntegrityProblem(f"{problem}: its anchors prove nothing")
            text = f"{latest.row_id}:{latest.digest}"
    if text is None and anchor_file is not None:
        try:
            text = anchor_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationFailed(f"--anchor-file: cannot read {anchor_file}: {exc}") from exc
    parsed: tuple[int, str] | None = None
    if text:
        try:
            rid, digest = text.split(":", 1)
            parsed = (int(rid), digest.strip())
        except ValueError as exc:
            raise ValidationFailed("--anchor must look like ID:HASH (see `bo audit head`)") from exc
    reader, actor = open_reader(ctx)
    report = audit_reads.verify_chain(reader, actor, parsed)
    if not report.ok:
        raise IntegrityProblem(f"audit chain broken at row {report.bad_id}: {report.problem}")
    typer.echo(f"audit chain ok: {report.rows} rows, head {report.head_id}:{report.head_hash}")
    if latest is not None:
        typer.echo(f"it holds the anchor of {latest.at} (row {latest.row_id}) from {where}")
    elif where is not None:
        say(f"no anchor at {where}; record them from cron with `bo audit anchor`")


@app.command("anchor")
def anchor_cmd(
    ctx: typer.Context,
    anchor_dir: AnchorDirOption = None,
    syslog: Annotated[
        bool, typer.Option("--syslog", help="Also send the anchor to the system log.")
    ] = False,
) -> None:
    """Record the chain's head (after checking the chain) in this account's anchor file.

    For cron, as an account the database's users cannot write as (root, or one kept for it):
    `bo audit verify` then checks against the newest anchor. Quiet on success.
    """
    from bo_console.core import anchors, audit_reads

    store = store_of(ctx)
    reader, actor = open_reader(ctx)
    report = audit_reads.verify_chain(reader, actor)
    if not report.ok:
        raise IntegrityProblem(f"audit chain broken at row {report.bad_id}: {report.problem}")
    if report.head_id is None or report.head_hash is None:
        return
    path = anchors.anchor_file(store.label, anchors.anchor_dir(anchor_dir))
    previous = anchors.latest(path)
    if previous is not None:
        # The chain must still hold the last anchor: an anchor over a shortened chain would
        # bless the deletion.
        again = audit_reads.verify_chain(reader, actor, (previous.row_id, previous.digest))
        if not again.ok:
            raise IntegrityProblem(
                f"audit chain broken at row {again.bad_id}: {again.problem} "
                f"(anchor of {previous.at})"
            )
    anchors.append(path, store.label, report.head_id, report.head_hash)
    if syslog:
        anchors.to_syslog(store.label, report.head_id, report.head_hash)


@app.command("head")
def head_cmd(ctx: typer.Context) -> None:
    """Print ID:HASH of the newest row, to keep somewhere the database's writers cannot reach."""
    from bo_console.core import audit_reads

    reader, actor = open_reader(ctx)
    report = audit_reads.verify_chain(reader, actor)
    if not report.ok:
        raise IntegrityProblem(f"audit chain broken at row {report.bad_id}: {report.problem}")
    typer.echo(f"{report.head_id}:{report.head_hash}")
