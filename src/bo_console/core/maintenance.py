"""Creating, backing up, restoring and checking the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bo_console.core.db import FILE_MODE_GROUP, FILE_MODE_PRIVATE, Store, create_sqlite_file
from bo_console.core.errors import RuleViolation, StoreUnavailable, ValidationFailed
from bo_console.core.money import CURRENCY_EXPONENTS
from bo_console.core.sealed import person_path

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor, Identity


@dataclass(frozen=True)
class InitResult:
    created: bool
    admin: str
    message: str


Seeder = Callable[["Session"], None]
"""Seeds reference data into a new database (inside ``bo init``'s transaction)."""


def _is_empty_sqlite(path: Path) -> bool:
    if path.is_dir():
        raise StoreUnavailable(f"{path} is a directory, not a database file")
    if path.stat().st_size == 0:
        return True
    conn = sqlite3.connect(path)
    try:
        count = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(f"{path} exists and is not a bo-console database ({exc})") from exc
    finally:
        conn.close()
    return int(count) == 0


def init_database(
    store: Store,
    identity: Identity,
    *,
    group_shared: bool = False,
    currency: str = "SAR",
    company: str = "",
    full_name: str = "",
    seeders: Sequence[Seeder],
) -> InitResult:
    """Create the database, migrate it, run ``seeders`` (the departments' reference data, in
    order), make ``identity`` the first admin.

    The core knows no department: the caller passes their seeders in
    (``bo_console.departments.init_database`` passes every department's).
    On a database that is already set up this changes nothing and says so.
    """
    from bo_console.core import migrate, security, settings
    from bo_console.core.text import clean

    currency = currency.strip().upper()
    if currency not in CURRENCY_EXPONENTS:
        raise ValidationFailed(
            f"unknown currency {currency!r} (one of: {', '.join(sorted(CURRENCY_EXPONENTS))})"
        )
    if store.path is not None and store.path.exists():
        if not _is_empty_sqlite(store.path):
            if store.current_revision() is None:
                raise StoreUnavailable(f"{store.label} exists and is not a bo-console database")
            store.ensure_usable()
            return InitResult(False, "", f"{store.label} is already set up; nothing changed")
    elif store.path is not None:
        create_sqlite_file(store.path, FILE_MODE_GROUP if group_shared else FILE_MODE_PRIVATE)
    elif store.exists():
        store.ensure_usable()
        return InitResult(False, "", f"{store.label} is already set up; nothing changed")
    migrate.upgrade(store)
    with store.write() as session:
        settings.put(session, None, "base_currency", currency)
        settings.put(session, None, "company_name", clean(company))
        for seed in seeders:
            seed(session)
        admin = security.bootstrap_admin(session, identity, full_name=clean(full_name))
    return InitResult(True, admin.login, f"created {store.label}; {admin.login} is its admin")


def _require_sqlite(store: Store, doing: str) -> Path:
    if store.path is None:
        raise RuleViolation(f"{doing} works on SQLite files; use your database server's tools")
    return store.path


def backup(
    store: Store,
    actor: Actor,
    dest: Path,
    *,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Copy the live database to ``dest`` (mode 0600) with SQLite's online backup API.

    The copy is consistent even while others write. Returns its size in bytes.
    ``progress(pages copied, pages in all)`` follows the copy, a few thousand pages at a time.
    """
    from bo_console.core import audit

    actor.require("db.admin", "back up the database")
    source = _require_sqlite(store, "backup")
    dest = dest.expanduser().resolve()
    if dest == source.resolve():
        raise ValidationFailed("the backup file cannot be the database itself")
    if dest.is_dir():
        raise ValidationFailed(f"{dest} is a directory; give the backup a file name")
    if dest.exists() and not overwrite:
        raise RuleViolation(f"{dest} exists; choose another name or pass --force")
    if not dest.parent.is_dir():
        raise ValidationFailed(f"directory {dest.parent} does not exist")
    from bo_console.core.io import private_output

    # Written inside a directory only we can enter, then renamed into place: in a folder
    # others can write, nobody can swap the copy for a file or a link of their own.
    with private_output(dest) as partial:
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            if progress is None:
                src.backup(dst)
            else:
                src.backup(
                    dst,
                    pages=4096,
                    progress=lambda _status, remaining, total: progress(total - remaining, total),
                )
            dst.execute("PRAGMA journal_mode=DELETE")
            ok = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()
            src.close()
        if ok != "ok":
            raise StoreUnavailable(f"the backup copy failed its check: {ok}")
    with store.write() as session:
        audit.record(
            session,
            actor,
            action="backup",
            entity="database",
            entity_id=store.label,
            changes={"file": (None, str(dest))},
        )
    return dest.stat().st_size


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


StoreCheck = Callable[["Reads"], list[CheckResult]]
"""A business-invariant check (ledger balances, ...) that a department provides: it reads
through a Reader (``bo db check``) or a session."""


def _file_checks(path: Path) -> list[CheckResult]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        fks = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        # So damaged that SQLite cannot even run its checks.
        return [CheckResult("integrity_check", False, str(exc))]
    finally:
        conn.close()
    results = [CheckResult("integrity_check", integrity == ["ok"], "; ".join(integrity[:5]))]
    detail = "ok" if not fks else "; ".join(f"{t} row {r} -> {p}" for t, r, p, _ in fks[:5])
    results.append(CheckResult("foreign_key_check", not fks, detail))
    return results


def check(store: Store, actor: Actor, *, checks: Sequence[StoreCheck]) -> list[CheckResult]:
    """integrity_check, foreign_key_check, the audit chain, then the business ``checks`` the
    caller passes in (``bo_console.departments.check_store`` passes every department's)."""
    from bo_console.core import audit_reads

    if not actor.can("db.admin"):
        actor.require("audit.read", "check the database")
    results = _file_checks(store.path) if store.path is not None else []
    # One read through a Reader: on SQLite a plain sqlite3 connection (core.reading).
    with store.reading() as reader:
        try:
            report = audit_reads.verify(reader)
            detail = f"{report.rows} rows, head {report.head_id}"
            results.append(
                CheckResult("audit chain", report.ok, detail if report.ok else str(report.problem))
            )
            for extra in checks:
                results.extend(extra(reader))
            if store.is_sqlite:
                results.append(_date_check(reader))
        except Exception as exc:
            cause = _unreadable(exc)
            if cause is None:
                raise
            results.append(CheckResult("readable", False, f"the database cannot be read: {cause}"))
    return results


def _unreadable(exc: Exception) -> BaseException | None:
    """What made the database unreadable when ``exc`` is a database error (``sqlite3``'s
    through a plain Reader, SQLAlchemy's, wrapping the driver's, through a session), else
    None."""
    import sys

    if isinstance(exc, sqlite3.DatabaseError):
        return exc
    errors = sys.modules.get("sqlalchemy.exc")  # loaded if a session read it, else not raised
    if errors is not None and isinstance(exc, errors.DatabaseError):
        return exc.orig  # type: ignore[no-any-return]
    return None


def _date_check(db: Reads) -> CheckResult:
    """Every DATE column of every table holds ISO dates only (SQLite keeps whatever it is
    given; revision 0005's triggers refuse new ones, this finds what came before or around)."""
    from bo_console.core.guards import bad_date_sql
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    columns = reader.rows(
        "SELECT m.name, p.name, (SELECT k.name FROM pragma_table_info(m.name) k "
        "  WHERE k.pk = 1) FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND upper(p.type) = 'DATE' ORDER BY m.name, p.cid"
    )
    bad: list[str] = []
    for table, column, key in columns:
        rowids = reader.rows(bad_date_sql(table, column, key or "rowid"))
        bad.extend(f"{table}.{column} row {r[0]}" for r in rowids)
    detail = "ok" if not bad else "not YYYY-MM-DD: " + ", ".join(bad[:5])
    return CheckResult("dates are ISO dates", not bad, detail)


def check_restore_source(path: Path) -> str:
    """Check a file before it may replace the live database; returns its schema revision."""
    from bo_console.core import audit, migrate

    path = person_path(path, writing=False)
    if not path.is_file():
        raise ValidationFailed(f"{path} is not a file")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise ValidationFailed(f"{path} is not a SQLite database")
    results = _file_checks(path)
    bad = [r for r in results if not r.ok]
    if bad:
        raise ValidationFailed(f"{path} failed {bad[0].name}: {bad[0].detail}; nothing restored")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    if row is None:
        raise ValidationFailed(f"{path} is not a bo-console database; nothing restored")
    if migrate.compare(str(row[0])) == "newer":
        raise ValidationFailed(f"{path} has a schema newer than this program; nothing restored")
    from sqlalchemy import create_engine
    from sqlmodel import Session

    engine = create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            report = audit.verify(session)
    finally:
        engine.dispose()
    if not report.ok:
        raise ValidationFailed(f"{path}: audit chain broken ({report.problem}); nothing restored")
    return str(row[0])


def restore(store: Store, actor: Actor | None, source: Path) -> Path | None:
    """Replace the live database with ``source`` after checking it.

    The current database is first saved beside itself; returns that safety copy's path.
    ``actor`` is None only when there is no live database to sign in to.
    """
    from bo_console.core import audit
    from bo_console.core.db import dispose_engines

    target = _require_sqlite(store, "restore")
    source = source.expanduser().resolve()
    if source == target.resolve():
        raise ValidationFailed("cannot restore a database onto itself")
    check_restore_source(source)
    safety: Path | None = None
    if target.exists():
        if actor is None:
            raise StoreUnavailable("sign in is needed to restore over an existing database")
        actor.require("db.admin", "restore the database")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        safety = target.with_name(f"{target.name}.before-restore-{stamp}")
        backup(store, actor, safety)
    else:
        create_sqlite_file(target)
    dispose_engines()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    store.ensure_usable()
    if actor is not None:
        with store.write() as session:
            audit.record(
                session,
                actor,
                action="restore",
                entity="database",
                entity_id=store.label,
                changes={
                    "from": (None, str(source)),
                    "saved_previous": (None, str(safety) if safety else None),
                },
            )
    return safety
