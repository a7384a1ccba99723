"""The bulk writer: validated entries into the database in chunks, on SQLite by a second
thread with multi-row INSERTs of bound parameters."""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import RuleViolation
from bo_console.finance.interchange.formats import (
    IMPORT_CACHE_KIB,
    QUEUED_CHUNKS,
)

if TYPE_CHECKING:
    from sqlmodel import Session


# -- writing ------------------------------------------------------------------------------------

_LINE_COLUMNS = "entry_id, line_no, account_id, date, debit, credit, memo, tax_code, cost_centre"
_ENTRY_COLUMNS = (
    "id, year, number, date, memo, total, created_at, created_by, posted_at, posted_by, "
    "source, state"
)
LINE_WIDTH = 9
"""Values of a line: entry id, line number, account id, date, debit, credit, memo, tax code,
cost centre."""
PLAIN_WIDTH = 6
"""Values of a line without memo, tax code or cost centre (most of them): the first six."""
ENTRY_WIDTH = 6
"""Values of an entry: id, year, number, date, memo, total."""
ROWS_PER_STATEMENT = 4096
"""Rows one INSERT carries at most (fewer when the driver takes fewer parameters)."""
_PLAIN = ("", None, None)
"""The memo, tax code and cost centre of a line that has none."""


def _insert_sql(kind: str, rows: int) -> str:
    """An INSERT of ``rows`` rows of parameters: ``plain`` or ``full`` lines, or posted
    ``entries`` (parameters 1 and 2 are the stamp and the login, then 6 values a row)."""
    if kind == "entries":
        # Stamp and login lead each row as ?1 and ?2, so the rest can be plain ``?``: SQLite
        # looks every numbered parameter up in a list while it prepares the statement, which
        # for thousands of them takes longer than running it.
        columns = (
            "created_at, created_by, posted_at, posted_by, id, year, number, date, memo, total"
        )
        row = "(?1,?2,?1,?2," + ",".join("?" * ENTRY_WIDTH) + ",'import','posted')"
        return f"INSERT INTO fin_entry ({columns}, source, state) VALUES " + ",".join([row] * rows)
    if kind == "plain":
        columns = "entry_id, line_no, account_id, date, debit, credit, memo"
        return f"INSERT INTO fin_line ({columns}) VALUES " + ",".join(["(?,?,?,?,?,?,'')"] * rows)
    row = "(" + ",".join("?" * LINE_WIDTH) + ")"
    return f"INSERT INTO fin_line ({_LINE_COLUMNS}) VALUES " + ",".join([row] * rows)


def _batches(flat: list[Any], width: int, most: int) -> Iterator[tuple[int, list[Any]]]:
    """(rows, values) of consecutive INSERTs for the rows in ``flat``: ``most`` rows each,
    then the rest in halving sizes, so that a few statements (each prepared once, then taken
    from the driver's statement cache) serve every chunk."""
    rows = len(flat) // width
    start, size = 0, most
    while start < rows:
        while size > rows - start:
            size //= 2
        yield size, flat[start * width : (start + size) * width]
        start += size


def _widen(plain: list[Any]) -> list[Any]:
    """Plain lines (``PLAIN_WIDTH`` values each) with their empty memo, tax code and cost
    centre added."""
    return [
        value
        for start in range(0, len(plain), PLAIN_WIDTH)
        for value in (*plain[start : start + PLAIN_WIDTH], *_PLAIN)
    ]


def _rows(flat: list[Any], width: int) -> list[tuple[Any, ...]]:
    return [tuple(flat[i : i + width]) for i in range(0, len(flat), width)]


SWITCH_INTERVAL_S = 0.0001
"""Python's thread switch interval while a writer thread runs (the default is 5 ms)."""
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


def _switch_sooner(on: bool) -> None:
    """Let a thread that asks for the GIL get it within 0.1 ms, while writers run.

    The writer takes the GIL back after every statement, to bind the next one's values; with
    the default interval it waited up to 5 ms each time while the reader was busy, which
    added a fifth to the import. The interval is process-wide, so the first writer to start
    sets it and the last to stop restores it.
    """
    global _switch_users, _switch_saved
    with _switch_lock:
        if on:
            if _switch_users == 0:
                _switch_saved = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch_saved, SWITCH_INTERVAL_S))
            _switch_users += 1
        else:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)


@dataclass
class Chunk:
    """Entries ready for the database, each list flat (row after row): lines of
    ``PLAIN_WIDTH`` values (``plain``: no memo, tax code or cost centre in the chunk) or
    ``LINE_WIDTH``, and entries of ``ENTRY_WIDTH``."""

    lines: list[Any]
    entries: list[Any]
    plain: bool


class _Writer:
    """Writes chunks of validated entries in the caller's transaction.

    On SQLite a second thread runs the statements while the reader parses the next chunk:
    a chunk's lines go in first, under deferred foreign keys, then its entries are inserted
    posted, which makes the ledger's triggers check each one and add it to the monthly
    balances. Each statement carries thousands of rows as bound parameters: one statement
    (and one statement journal) per few thousand rows, no per-row round trip through Python,
    and no text for SQLite to parse at run time. Other databases get a draft, its lines, then
    the draft -> posted update.
    """

    def __init__(
        self,
        session: Session,
        lock: threading.Lock,
        stamp: str,
        login: str,
        *,
        own_process: bool = False,
    ) -> None:
        self.session = session
        # Python's switch interval is process-wide: only a process of the import's own
        # (``bo finance import journal``) shortens it, never the console.
        self.switch_sooner = own_process
        self.lock = lock
        self.stamp = stamp
        self.login = login
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.error: BaseException | None = None
        self.queue: queue.Queue[Chunk | None] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self.thread: threading.Thread | None = None
        self.statements: dict[tuple[str, int], str] = {}
        if self.sqlite:
            import sqlite3

            raw = session.connection().connection.driver_connection
            assert raw is not None
            self.raw = raw
            self.limit = int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
            # Undone by COMMIT or ROLLBACK; lines are written before the entries they reference.
            raw.execute("PRAGMA defer_foreign_keys = ON")
            # A bigger page cache while the indexes grow (restored when the writer closes).
            self.cache_size = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
            self.thread = threading.Thread(target=self._run, name="journal-import", daemon=True)
            if self.switch_sooner:
                _switch_sooner(True)
            self.thread.start()

    def _run(self) -> None:
        while True:
            chunk = self.queue.get()
            if chunk is None:
                return
            if self.error is not None:
                continue  # drain without writing
            try:
                with self.lock:
                    self._write_sqlite(chunk)
            except BaseException as exc:  # noqa: BLE001  (re-raised in the reading thread)
                self.error = exc

    def _write_sqlite(self, chunk: Chunk) -> None:
        cursor = self.raw.cursor()
        try:
            kind, width = ("plain", PLAIN_WIDTH) if chunk.plain else ("full", LINE_WIDTH)
            for rows, values in _batches(chunk.lines, width, self._most(width)):
                cursor.execute(self._sql(kind, rows), values)
            constants = [self.stamp, self.login]
            for rows, values in _batches(chunk.entries, ENTRY_WIDTH, self._most(ENTRY_WIDTH, 2)):
                cursor.execute(self._sql("entries", rows), constants + values)
        finally:
            cursor.close()

    def _most(self, width: int, fixed: int = 0) -> int:
        return max(1, min(ROWS_PER_STATEMENT, (self.limit - fixed) // width))

    def _sql(self, kind: str, rows: int) -> str:
        sql = self.statements.get((kind, rows))
        if sql is None:
            sql = self.statements[kind, rows] = _insert_sql(kind, rows)
        return sql

    def put(self, chunk: Chunk) -> None:
        if self.error is not None:
            raise self.error
        if self.thread is None:
            lines = _rows(chunk.lines, PLAIN_WIDTH if chunk.plain else LINE_WIDTH)
            if chunk.plain:
                lines = [line + _PLAIN for line in lines]
            constants = (self.stamp, self.login, self.stamp, self.login)
            entries = [e + constants for e in _rows(chunk.entries, ENTRY_WIDTH)]
            self._write_core(lines, entries)
            return
        self.queue.put(chunk)

    def close(self) -> None:
        """Wait for the writes; raise what went wrong in them, if anything did."""
        import sqlite3

        self._stop()
        error = self.error
        if isinstance(error, sqlite3.IntegrityError) and str(error).startswith("fin_"):
            # The checks above should have caught it; the database is the last word.
            raise RuleViolation(f"the ledger refused the import: {error}") from error
        if error is not None:
            raise error

    def abandon(self) -> None:
        """Stop the writer without raising (the transaction is about to roll back)."""
        if self.thread is not None:
            self.error = self.error or RuntimeError("abandoned")
        self._stop()

    def _stop(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
            if self.switch_sooner:
                _switch_sooner(False)
            self.raw.execute(f"PRAGMA cache_size = {int(self.cache_size)}")

    def _write_core(self, lines: list[tuple[Any, ...]], entries: list[tuple[Any, ...]]) -> None:
        from sqlalchemy import text

        line_keys = _LINE_COLUMNS.split(", ")
        entry_keys = _ENTRY_COLUMNS.split(", ")[:10]
        drafts = [dict(zip(entry_keys, e, strict=True)) for e in entries]
        self.session.execute(
            text(
                "INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, "
                "created_by) VALUES (:id, :date, :memo, 'import', 'draft', :total, "
                ":created_at, :created_by)"
            ),
            drafts,
        )
        self.session.execute(
            text(
                f"INSERT INTO fin_line ({_LINE_COLUMNS}) VALUES (:entry_id, :line_no, "
                ":account_id, :date, :debit, :credit, :memo, :tax_code, :cost_centre)"
            ),
            [dict(zip(line_keys, line, strict=True)) for line in lines],
        )
        for draft in drafts:  # one by one: each takes its year's next number in turn
            self.session.execute(
                text(
                    "UPDATE fin_entry SET state = 'posted', year = :year, number = :number, "
                    "posted_at = :posted_at, posted_by = :posted_by WHERE id = :id"
                ),
                draft,
            )
