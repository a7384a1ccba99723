"""The audit trail: one hash-chained, append-only row for every change, in the same transaction.

Each row stores the hash of the row before it, and its own hash over its content, so
``verify`` finds any modification, deletion or reordering, even one made with the database's
append-only triggers dropped. A writer who controls the whole file could rebuild the chain from
the point they changed; ``bo audit head`` prints the head to keep elsewhere, and
``bo audit verify --anchor`` proves the chain still reaches it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.audit_reads import AuditFilter as AuditFilter
from bo_console.core.audit_reads import ChainReport as ChainReport
from bo_console.core.audit_reads import LogRow as LogRow
from bo_console.core.audit_reads import _iter_rows as _iter_rows
from bo_console.core.audit_reads import log_rows as log_rows
from bo_console.core.audit_reads import verify as verify
from bo_console.core.audit_reads import verify_chain as verify_chain
from bo_console.core.clock import utcnow

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.models import AuditEvent
    from bo_console.core.paging import QuerySource
    from bo_console.core.security import Actor

GENESIS = "0" * 64
REDACTED = "[redacted]"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode_changes(changes: Mapping[str, tuple[Any, Any]], confidential: Iterable[str] = ()) -> str:
    """Field-level before/after as canonical JSON; confidential values become ``[redacted]``."""
    secret = set(confidential)
    out: dict[str, list[Any]] = {}
    for name, (before, after) in sorted(changes.items()):
        if name in secret:
            before = None if before is None else REDACTED
            after = None if after is None else REDACTED
        out[name] = [_jsonable(before), _jsonable(after)]
    return json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_hash(
    *,
    row_id: int,
    at: datetime,
    user_login: str,
    os_user: str,
    origin: str,
    action: str,
    entity: str,
    entity_id: str,
    changes: str,
    prev_hash: str,
) -> str:
    """SHA-256 over a row's content and the previous row's hash."""
    return stamped_hash(
        row_id,
        _stamp(at),
        user_login,
        os_user,
        origin,
        action,
        entity,
        entity_id,
        changes,
        prev_hash,
    )


_HASHED_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""The encoding a row's hash covers (``json.dumps`` with these options would build an encoder
for every row)."""


def stamped_hash(
    row_id: int,
    stamp: str,
    user_login: str,
    os_user: str,
    origin: str,
    action: str,
    entity: str,
    entity_id: str,
    changes: str,
    prev_hash: str,
) -> str:
    """:func:`row_hash` of a row whose time is already in its hashed form (``_stamp``): the
    chain walk has it from the stored text without formatting a time per row."""
    payload = _HASHED_JSON.encode(
        [
            row_id,
            stamp,
            user_login,
            os_user,
            origin,
            action,
            entity,
            entity_id,
            changes,
            prev_hash,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    from bo_console.core.db import lock_audit_chain

    lock_audit_chain(session)


_HEAD = "core.audit.head"
"""``session.info`` key of the chain's head as this session last wrote it: (the transaction
it was written in, the row's id, its hash)."""


def _current_transaction(session: Session) -> object:
    """The innermost transaction in progress (a savepoint's, inside one)."""
    return session.get_nested_transaction() or session.get_transaction()


def _head(session: Session) -> tuple[int, str]:
    """The id and hash of the chain's last row, as this transaction sees it.

    Read from the table once per transaction, then carried from row to row: the chain is
    locked for the whole transaction (:func:`_lock_chain`; on SQLite ``BEGIN IMMEDIATE``), so
    no other writer can extend it meanwhile. Remembered per innermost transaction, so a
    savepoint rolled back (taking its rows with it) makes the next row read the head again.
    """
    from sqlmodel import col, select

    from bo_console.core.models import AuditEvent

    remembered = session.info.get(_HEAD)
    if remembered is not None and remembered[0] is _current_transaction(session):
        return remembered[1], remembered[2]
    last = session.exec(
        select(AuditEvent.id, AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    return (0, GENESIS) if last is None else (int(last[0] or 0), last[1])


def _remember_head(session: Session, row_id: int, digest: str) -> None:
    session.info[_HEAD] = (_current_transaction(session), row_id, digest)


def record(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: str | int,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    confidential: Iterable[str] = (),
) -> None:
    """Append one audit row in the caller's transaction."""
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    from bo_console.core.errors import ValidationFailed
    from bo_console.core.text import forbidden_character

    _lock_chain(session)
    last_id, prev_hash = _head(session)
    next_id = last_id + 1
    at = utcnow()
    encoded = encode_changes(changes or {}, confidential)
    row = {
        "id": next_id,
        "at": at,
        "user_login": actor.login,
        "os_user": actor.os_user,
        "origin": actor.origin,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "changes": encoded,
        "prev_hash": prev_hash,
    }
    # The ORM's guard on text fields (core.db) does not see a plain insert: the same check.
    for key, value in (
        ("user_login", actor.login),
        ("os_user", actor.os_user),
        ("origin", actor.origin),
        ("action", action),
        ("entity", entity),
        ("entity_id", str(entity_id)),
    ):
        problem = forbidden_character(value)
        if problem is not None:
            raise ValidationFailed(f"{key} {problem}")
    digest = row["hash"] = row_hash(
        row_id=next_id,
        at=at,
        user_login=actor.login,
        os_user=actor.os_user,
        origin=actor.origin,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        changes=encoded,
        prev_hash=prev_hash,
    )
    # A plain insert, not an ORM object: building a mapped object and flushing it cost
    # several times the statement, and nothing reads the row back within the service.
    session.execute(insert(SQLModel.metadata.tables["audit_event"]), row)
    _remember_head(session, next_id, digest)


@dataclass(frozen=True)
class Entry:
    """One audit row to append with :func:`record_many`."""

    actor: Actor
    action: str
    entity: str
    entity_id: str | int
    changes: Mapping[str, tuple[Any, Any]]


def record_many(session: Session, entries: Iterable[Entry]) -> int:
    """Append many audit rows at once in the caller's transaction, chained exactly as
    :func:`record` chains them one by one (bulk loads such as the demo's year). Returns how
    many were written."""
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    _lock_chain(session)
    session.flush()
    row_id, prev_hash = _head(session)
    at = utcnow()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        row_id += 1
        encoded = encode_changes(entry.changes)
        digest = row_hash(
            row_id=row_id,
            at=at,
            user_login=entry.actor.login,
            os_user=entry.actor.os_user,
            origin=entry.actor.origin,
            action=entry.action,
            entity=entry.entity,
            entity_id=str(entry.entity_id),
            changes=encoded,
            prev_hash=prev_hash,
        )
        rows.append(
            {
                "id": row_id,
                "at": at,
                "user_login": entry.actor.login,
                "os_user": entry.actor.os_user,
                "origin": entry.actor.origin,
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": str(entry.entity_id),
                "changes": encoded,
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        prev_hash = digest
    if rows:
        session.execute(insert(SQLModel.metadata.tables["audit_event"]), rows)
        _remember_head(session, row_id, prev_hash)
    return len(rows)


def record_view(
    session: Session,
    actor: Actor,
    *,
    entity: str,
    entity_ids: Iterable[str | int],
    fields: Iterable[str],
    purpose: str = "view",
) -> None:
    """Record that ``actor`` saw confidential fields of these records (never the values)."""
    ids = [str(i) for i in entity_ids]
    if not ids:
        return
    field_list = ",".join(sorted(set(fields)))
    record(
        session,
        actor,
        action=purpose,
        entity=entity,
        entity_id=ids[0] if len(ids) == 1 else f"{len(ids)} records",
        changes={"fields": (None, field_list), "records": (None, ",".join(ids))},
    )


# -- reading --------------------------------------------------------------------------------


def audit_source(store: Store, actor: Actor) -> QuerySource:
    """The audit trail as a virtual table source: newest first, filterable, sortable by time."""
    from sqlalchemy import or_, select

    from bo_console.core.models import AuditEvent
    from bo_console.core.paging import Column, QuerySource

    actor.require("audit.read", "read the audit trail")
    ev = AuditEvent.metadata.tables["audit_event"].c
    base = select(
        ev.id,
        ev.at,
        ev.user_login,
        ev.os_user,
        ev.origin,
        ev.action,
        ev.entity,
        ev.entity_id,
        ev.changes,
    )

    def matching(text: str) -> Any:
        return or_(
            ev.user_login == text,
            ev.action == text,
            ev.entity == text,
            ev.entity_id == text,
            ev.changes.contains(text, autoescape=True),
        )

    def stamp(value: Any) -> str:
        return str(value.strftime("%Y-%m-%d %H:%M:%S"))

    columns = [
        Column("id", "ID", 6, "right", sort=ev.id),
        Column("at", "At (UTC)", 19, sort=ev.at, fmt=stamp),
        Column("user_login", "User", 8),
        Column("action", "Action", 8, sort=ev.action),
        Column("entity", "Entity", 9),
        Column("entity_id", "Record", 8),
        Column("changes", "Changes", 60),
    ]
    return QuerySource(store, base, ev.id, columns, filter_fn=matching, descending=True)


def query_log(session: Session, actor: Actor, flt: AuditFilter) -> list[AuditEvent]:
    """Audit rows matching the filter, newest first, as records (:func:`log_rows` reads the
    same rows without the ORM)."""
    from sqlmodel import col, select

    from bo_console.core.models import AuditEvent

    actor.require("audit.read", "read the audit trail")
    stmt = select(AuditEvent)
    if flt.user:
        stmt = stmt.where(AuditEvent.user_login == flt.user)
    if flt.entity:
        stmt = stmt.where(AuditEvent.entity == flt.entity)
    if flt.entity_id:
        stmt = stmt.where(AuditEvent.entity_id == flt.entity_id)
    if flt.action:
        stmt = stmt.where(AuditEvent.action == flt.action)
    if flt.since:
        stmt = stmt.where(col(AuditEvent.at) >= flt.since)
    if flt.until:
        stmt = stmt.where(col(AuditEvent.at) < flt.until)
    stmt = stmt.order_by(col(AuditEvent.id).desc())
    if flt.limit:
        stmt = stmt.limit(flt.limit)
    return list(session.exec(stmt).all())
