"""Reading the audit trail: its rows, filtered (``bo audit log``), and the walk along its hash
chain (``bo audit verify``, ``bo db check``), in plain SQL through a Reader or a session.

On SQLite a command reads them without SQLAlchemy (:mod:`bo_console.core.reading`).
:mod:`bo_console.core.audit` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class AuditFilter:
    """What ``bo audit log`` and the Admin screen filter on."""

    user: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = 1000


@dataclass(frozen=True)
class LogRow:
    """One audit row as ``bo audit log`` shows it."""

    id: int
    at: datetime
    user_login: str
    os_user: str
    origin: str
    action: str
    entity: str
    entity_id: str
    changes: str


def log_rows(db: Reads, actor: Actor, flt: AuditFilter) -> list[LogRow]:
    """Audit rows matching the filter, newest first (the rows
    :func:`bo_console.core.audit.query_log` gives as records)."""
    from bo_console.core.lookups import moment_of, moment_param
    from bo_console.core.reading import reader_of

    actor.require("audit.read", "read the audit trail")
    where: list[str] = []
    params: dict[str, Any] = {}
    for column, value in (
        ("user_login", flt.user),
        ("entity", flt.entity),
        ("entity_id", flt.entity_id),
        ("action", flt.action),
    ):
        if value:
            where.append(f"{column} = :{column}")
            params[column] = value
    if flt.since:
        where.append("at >= :since")
        params["since"] = moment_param(db, flt.since)
    if flt.until:
        where.append("at < :until")
        params["until"] = moment_param(db, flt.until)
    sql = (
        "SELECT id, at, user_login, os_user, origin, action, entity, entity_id, changes"
        " FROM audit_event"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if flt.limit:
        sql += " LIMIT :limit"
        params["limit"] = flt.limit
    return [
        LogRow(
            int(r[0]),
            cast(datetime, moment_of(r[1])),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            str(r[6]),
            str(r[7]),
            str(r[8]),
        )
        for r in reader_of(db).rows(sql, params)
    ]


# -- verifying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found."""

    rows: int
    head_id: int
    head_hash: str
    problem: str | None = None
    bad_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _iter_rows(reader: Reader, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    last = -1
    while True:
        rows = reader.rows(
            "SELECT id, at, user_login, os_user, origin, action, entity, entity_id, changes,"
            " prev_hash, hash FROM audit_event WHERE id > :last ORDER BY id LIMIT :n",
            {"last": last, "n": batch},
        )
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _stamp_of(raw: Any) -> str:
    """A time stored as text (SQLite) in the form the row's hash covers
    (``2026-12-05T09:39:38.714509Z``). It must be exactly as the program writes it
    (``2026-12-05 09:39:38.714509``), not merely equivalent. Taken from the text itself:
    formatting a time for each of a long chain's rows was most of the walk's cost.

    Raises:
        ValueError: the text is not a time, or not in the form the program writes.
    """
    parsed = datetime.fromisoformat(str(raw))
    # Four-digit years only: below 1000 the program's own format (strftime's %Y) differs.
    if (
        parsed.tzinfo is not None
        or parsed.year < 1000
        or parsed.isoformat(" ", "microseconds") != raw
    ):
        raise ValueError(f"time {raw!r} is not as the program writes it")
    return f"{raw[:10]}T{raw[11:]}Z"


def verify(db: Reads, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Walk the whole chain through a Reader or a session; report the first row that breaks it.

    Args:
        anchor: an (id, hash) printed earlier by ``bo audit head``; the chain must still hold it.
    """
    from bo_console.core.audit import GENESIS, _stamp, stamped_hash
    from bo_console.core.reading import dialect_of, reader_of

    reader = reader_of(db)
    expected_prev = GENESIS
    expected_id = 1
    count = 0
    head = (0, GENESIS)
    anchor_seen = anchor is None
    for row in _iter_rows(reader):
        rid, at, user_login, os_user, origin, action, entity, entity_id, changes, prev, digest = row
        count += 1
        if rid != expected_id:
            return ChainReport(count, *head, problem=f"row {expected_id} is missing", bad_id=rid)
        if prev != expected_prev:
            return ChainReport(
                count, *head, problem=f"row {rid} does not follow row {rid - 1}", bad_id=rid
            )
        try:
            stamp = _stamp(at) if isinstance(at, datetime) else _stamp_of(at)
        except ValueError:
            return ChainReport(count, *head, problem=f"row {rid} was modified", bad_id=rid)
        actual = stamped_hash(
            rid, stamp, user_login, os_user, origin, action, entity, entity_id, changes, prev
        )
        if actual != digest:
            return ChainReport(count, *head, problem=f"row {rid} was modified", bad_id=rid)
        if anchor is not None and rid == anchor[0]:
            if digest != anchor[1]:
                return ChainReport(
                    count, *head, problem=f"row {rid} differs from the anchor", bad_id=rid
                )
            anchor_seen = True
        head = (rid, digest)
        expected_prev = digest
        expected_id = rid + 1
    if dialect_of(db) == "sqlite":
        seq = reader.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_event'")
        if seq is not None and int(seq) > head[0]:
            return ChainReport(
                count, *head, problem=f"rows after {head[0]} were deleted", bad_id=head[0] + 1
            )
    if not anchor_seen:
        assert anchor is not None
        return ChainReport(
            count, *head, problem=f"anchor row {anchor[0]} is missing", bad_id=anchor[0]
        )
    return ChainReport(count, *head)


def verify_chain(db: Reads, actor: Actor, anchor: tuple[int, str] | None = None) -> ChainReport:
    """:func:`verify` on someone's behalf: reading the chain needs ``audit.read``."""
    actor.require("audit.read", "verify the audit trail")
    return verify(db, anchor)
