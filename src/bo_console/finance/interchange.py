"""Interchange with plain-text accounting: journal import (our CSV and hledger's CSV) and
export (an hledger journal, or our CSV).

Our journal CSV (template: ``data/finance-journal-template.csv``) has one row per line::

    entry,date,description,account,debit,credit,memo,cost_centre,tax_code

Rows with the same ``entry`` value, one after another, make one entry; ``account`` is a code
or a full name; one of ``debit``/``credit`` is filled in. hledger's CSV is what
``hledger print -O csv`` writes (``txnidx`` groups the rows, ``amount`` is signed); accounts
it names that the chart lacks are created, their type taken from the top-level name.

An import reads the file once, in chunks, validating every row and writing inside one
``BEGIN IMMEDIATE`` transaction as it goes; it commits only when the whole file is valid, so
a file lands entirely or not at all, and the report names every bad row and column. Entries
are written on the driver's connection by a second thread, as INSERTs of thousands of rows of
bound parameters each (the ORM is ten times slower here); the database's triggers still check
every posting and keep the monthly balances. The same file (by SHA-256) is not imported twice
unless forced.
"""

from __future__ import annotations

import csv
import hashlib
import queue
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bo_console.core.errors import AlreadyDone, RuleViolation, ValidationFailed
from bo_console.core.io import ImportRejected, ImportReport, private_output
from bo_console.core.sealed import person_path

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart
    from bo_console.finance.models import Account, LineCreate

JOB_NAME = "finance.import-journal"
OUR_COLUMNS = (
    "entry",
    "date",
    "description",
    "account",
    "debit",
    "credit",
    "memo",
    "cost_centre",
    "tax_code",
)
HLEDGER_COLUMNS = (
    "txnidx",
    "date",
    "date2",
    "status",
    "code",
    "description",
    "comment",
    "account",
    "amount",
    "commodity",
    "credit",
    "debit",
    "posting-status",
    "posting-comment",
)
TOP_LEVEL_TYPES = {
    "assets": "asset",
    "asset": "asset",
    "liabilities": "liability",
    "liability": "liability",
    "equity": "equity",
    "income": "income",
    "revenue": "income",
    "revenues": "income",
    "expenses": "expense",
    "expense": "expense",
}
"""hledger's top-level account names and the type each gives the accounts under it."""

_TYPE_DIGIT = {"asset": "1", "liability": "2", "equity": "3", "income": "4", "expense": "5"}
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
MAX_ERRORS = 1000
ENTRIES_PER_CHUNK = 10_000
"""Entries the reader hands to the writer at a time (memory is bounded by a few chunks)."""
QUEUED_CHUNKS = 1
"""Chunks waiting for the writer: the reader is the faster side, so one keeps it busy."""
IMPORT_CACHE_KIB = 32 * 1024


@dataclass
class ImportResult:
    """What an import did."""

    entries: int = 0
    lines: int = 0
    accounts_created: list[str] = field(default_factory=list)
    skipped_zero: int = 0
    first: str = ""
    last: str = ""
    dry_run: bool = False
    file_format: str = "bo"

    @property
    def message(self) -> str:
        made = f"; created {len(self.accounts_created)} accounts" if self.accounts_created else ""
        zero = f"; skipped {self.skipped_zero} zero-amount postings" if self.skipped_zero else ""
        if self.dry_run:
            return (
                f"{self.entries} entries ({self.lines} lines) are valid{made}{zero}; "
                "nothing written (dry run)"
            )
        span = f" ({self.first} to {self.last})" if self.entries else ""
        return f"imported {self.entries} entries, {self.lines} lines{span}{made}{zero}"


# -- reading ------------------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes: how a re-import of the same file is recognised."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _header_key(name: str) -> str:
    return name.strip().lower().lstrip("\ufeff")


def detect_format(header: Sequence[str]) -> str:
    """``hledger`` when the header is hledger's ``print -O csv`` one, else ``bo``."""
    keys = {_header_key(h) for h in header}
    return "hledger" if {"txnidx", "amount", "commodity"} <= keys else "bo"


class _Dates:
    """Parses dates once per distinct text (a journal repeats them a lot)."""

    def __init__(self) -> None:
        self.cache: dict[str, date | None] = {}

    def __call__(self, text: str) -> date | None:
        try:
            return self.cache[text]
        except KeyError:
            pass
        match = _DATE.match(text.strip())
        value: date | None = None
        if match:
            try:
                value = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                value = None
        self.cache[text] = value
        return value


def _amount_parser(exponent: int) -> Any:
    """A signed-amount parser for one currency: plain decimals with exactly the currency's
    decimals take a fast path; everything else goes through ``core.money.parse_amount``.

    The returned function raises ValueError with the reason.
    """
    from bo_console.core.money import parse_amount
    from bo_console.finance.ledger import MAX_AMOUNT, amount_problem

    too_large = amount_problem(MAX_AMOUNT + 1, exponent)

    def parse(text: str) -> int:
        dot = text.find(".")
        if dot > 0 and len(text) - dot - 1 == exponent:
            whole, fraction = text[:dot], text[dot + 1 :]
            if whole.isdigit() and fraction.isdigit():
                try:
                    value = int(whole + fraction)
                except ValueError:
                    pass
                else:
                    if value > MAX_AMOUNT:
                        raise ValueError(too_large)
                    return value
        value = parse_amount(text, exponent)
        if abs(value) > MAX_AMOUNT:
            raise ValueError(too_large)
        return value

    return parse


# -- accounts named by hledger ------------------------------------------------------------------


class _Accounts:
    """Resolves account texts, creating hledger-named accounts the chart lacks."""

    def __init__(
        self, session: Session, actor: Actor, chart: Chart, create: bool, lock: threading.Lock
    ) -> None:
        self.session = session
        self.actor = actor
        self.chart = chart
        self.create = create
        self.lock = lock
        self.cache: dict[str, int | str] = {}
        self.created: list[str] = []

    def resolve(self, text: str) -> int | str:
        """The account id, or the reason it cannot be used."""
        cached = self.cache.get(text)
        if cached is None:
            cached = self.cache[text] = self._resolve(text)
        return cached

    def _usable(self, account: Account) -> int | str:
        assert account.id is not None
        if not account.active:
            return f"account {account.code} {account.name} is inactive"
        if not account.postable:
            return f"{account.code} {account.name} is a group account; post to one under it"
        return account.id

    def _resolve(self, text: str) -> int | str:
        name = text.strip()
        if not name:
            return "no account given"
        account = self.chart.find(name)
        if account is not None:
            return self._usable(account)
        if not self.create:
            return f"no account {name!r} (see `bo finance accounts list`)"
        with self.lock:  # the writer thread uses the same connection
            return self._create_path(name)

    def _create_path(self, name: str) -> int | str:
        from bo_console.core.text import clean

        parts = [clean(p) for p in name.split(":")]
        if any(not p for p in parts):
            return f"account name {name!r} has an empty part"
        for part in parts:
            if "  " in part or "\t" in part or ";" in part or part[0] in "([":
                return f"account name {name!r} has a part this chart cannot hold ({part!r})"
        # The deepest part of the path that exists, then create the rest under it.
        parent: Account | None = None
        depth = 0
        for index in range(len(parts), 0, -1):
            found = self.chart.find(":".join(parts[:index]))
            if found is not None:
                parent, depth = found, index
                break
        if parent is not None:
            kind = parent.type
        else:
            kind = TOP_LEVEL_TYPES.get(parts[0].casefold(), "")
            if not kind:
                return (
                    f"cannot tell the type of {name!r} from its top-level name (use assets, "
                    "liabilities, equity, income, revenue(s) or expenses)"
                )
        if parent is not None and not parent.active:
            return f"account {parent.code} {parent.name} is inactive"
        account = parent
        for part in parts[depth:]:
            account = self._add(part, kind, account)
        assert account is not None and account.id is not None
        return account.id

    def _next_code(self, kind: str) -> str:
        prefix = _TYPE_DIGIT[kind] + "9"
        number = 1
        while True:
            code = f"{prefix}{number:03d}"
            if not self.chart.has_code(code):
                return code
            number += 1

    def _add(self, name: str, kind: str, parent: Account | None) -> Account:
        from bo_console.core import audit
        from bo_console.finance.models import Account

        account = Account(
            code=self._next_code(kind),
            name=name,
            type=kind,
            parent_id=parent.id if parent is not None else None,
            postable=True,
        )
        self.session.add(account)
        self.session.flush()
        self.chart.add(account)
        assert account.id is not None
        self.created.append(self.chart.full_name(account.id))
        audit.record(
            self.session,
            self.actor,
            action="create",
            entity="account",
            entity_id=account.code,
            changes={
                "code": (None, account.code),
                "name": (None, name),
                "type": (None, kind),
                "parent": (None, parent.code if parent else None),
                "source": (None, "journal import"),
            },
        )
        return account


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

    def __init__(self, session: Session, lock: threading.Lock, stamp: str, login: str) -> None:
        self.session = session
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


# -- the import ---------------------------------------------------------------------------------


class _Importer:
    """Turns rows into entries: validates each, numbers the good ones, batches them in chunks.

    Errors go to the report; after the first one nothing more is written (the transaction
    will roll back) but reading goes on, so the report covers the whole file.
    """

    def __init__(
        self,
        session: Session,
        actor: Actor,
        file_format: str,
        currency: Currency,
        report: ImportReport,
    ) -> None:
        from sqlalchemy import text

        from bo_console.core.clock import utcnow
        from bo_console.finance.accounts import load_chart
        from bo_console.finance.ledger import closed_periods

        self.file_format = file_format
        self.currency = currency
        self.report = report
        self.lock = threading.Lock()
        self.accounts = _Accounts(
            session, actor, load_chart(session), file_format == "hledger", self.lock
        )
        self.closed = closed_periods(session)
        self.dates = _Dates()
        self.amount = _amount_parser(currency.exponent)
        from bo_console.finance.ledger import MAX_AMOUNT

        self.max_amount = MAX_AMOUNT
        self.result = ImportResult(file_format=file_format)
        self.failed = False
        self.stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        self.login = actor.login
        self.next_id = int(
            session.execute(text("SELECT COALESCE(MAX(id), 0) + 1 FROM fin_entry")).scalar_one()
        )
        self.numbers: dict[int, int] = {
            int(year): int(number)
            for year, number in session.execute(
                text("SELECT year, MAX(number) FROM fin_entry WHERE year IS NOT NULL GROUP BY year")
            ).all()
        }
        self.first: tuple[int, int] | None = None
        self.last: tuple[int, int] | None = None
        self.lines: list[Any] = []
        self.entries: list[Any] = []
        self.plain = True
        self.writer = _Writer(session, self.lock, self.stamp, self.login)

    def error(self, row: int, column: str, reason: str) -> None:
        self.failed = True
        if len(self.report.errors) < MAX_ERRORS:
            self.report.add(row, column, reason)

    def entry(
        self,
        key: str,
        first_row: int,
        day: date,
        description: str,
        lines: list[tuple[Any, ...]],
        debit: int,
        credit: int,
    ) -> None:
        """One entry read whole: (account id, debit, credit, memo, tax code, cost centre) lines."""
        if debit != credit:
            fmt = self.currency.format
            self.error(
                first_row,
                "amount" if self.file_format == "hledger" else "debit",
                f"entry {key!r}: debits {fmt(debit)} do not equal credits {fmt(credit)}",
            )
            return
        if debit == 0:
            self.error(first_row, "amount", f"entry {key!r} moves nothing")
            return
        if debit > self.max_amount:
            from bo_console.finance.ledger import amount_problem

            self.error(
                first_row,
                "amount",
                f"entry {key!r}: {amount_problem(debit, self.currency.exponent)}",
            )
            return
        iso = day.isoformat()
        if iso[:7] in self.closed:
            self.error(first_row, "date", f"period {iso[:7]} is closed")
            return
        self.result.entries += 1
        self.result.lines += len(lines)
        if self.failed:
            return
        entry_id = self.next_id
        self.next_id += 1
        year = day.year
        number = self.numbers.get(year, 0) + 1
        self.numbers[year] = number
        self.last = (year, number)
        if self.first is None:
            self.first = self.last
        out, plain = self.lines, self.plain
        line_no = 0
        for account_id, dr, cr, memo, tax, cc in lines:
            line_no += 1
            if plain and not (memo or tax or cc):
                out += (entry_id, line_no, account_id, iso, dr, cr)
                continue
            if plain:  # the chunk's lines so far get their three empty values
                self.lines = out = _widen(out)
                self.plain = plain = False
            out += (entry_id, line_no, account_id, iso, dr, cr, memo, tax, cc)
        self.entries += (entry_id, year, number, iso, description, debit)
        if len(self.entries) >= ENTRIES_PER_CHUNK * ENTRY_WIDTH:
            self.flush()

    def flush(self) -> None:
        if self.entries and not self.failed:
            self.writer.put(Chunk(self.lines, self.entries, self.plain))
        self.lines, self.entries, self.plain = [], [], True

    def close(self) -> None:
        if self.failed:
            self.writer.abandon()
            return
        self.flush()
        self.writer.close()


def _read_rows(path: Path, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every non-empty row, the header first."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            for cells in reader:
                if cells and (cells[0] or any(cells)):
                    yield reader.line_num, cells
    except UnicodeDecodeError:
        from bo_console.core.io import _bad_bytes_line

        report.add(_bad_bytes_line(path), "-", "not UTF-8 text (save the file as CSV UTF-8)")
    except csv.Error as exc:
        report.add(0, "-", f"not a readable CSV file: {exc}")


def _columns(header: list[str], wanted: Sequence[str], report: ImportReport) -> dict[str, int]:
    keys = [_header_key(h) for h in header]
    index = {k: i for i, k in enumerate(keys) if k}
    for name in keys:
        if name and name not in wanted:
            report.add(1, name, f"unknown column (expected: {', '.join(wanted)})")
    return index


def _run_bo(imp: _Importer, rows: Iterator[tuple[int, list[str]]], header: list[str]) -> None:
    """Our journal CSV: consecutive rows with the same ``entry`` make one entry."""
    from bo_console.core.io import unneutralise
    from bo_console.core.text import clean

    report = imp.report
    col = _columns(header, OUR_COLUMNS, report)
    for name in ("entry", "date", "account"):
        if name not in col:
            report.add(1, name, "required column is missing")
    if "debit" not in col and "credit" not in col:
        report.add(1, "debit", "give a debit column, a credit column, or both")
    if report.errors:
        imp.failed = True
        return
    width = len(header)
    padding = [""] * width
    i_entry, i_date, i_account = col["entry"], col["date"], col["account"]
    i_desc = col.get("description")
    i_debit, i_credit = col.get("debit"), col.get("credit")
    i_memo, i_cc, i_tax = col.get("memo"), col.get("cost_centre"), col.get("tax_code")
    amount, dates, resolve, error = imp.amount, imp.dates, imp.accounts.resolve, imp.error
    known = imp.accounts.cache
    key: str | None = None
    day_text = ""
    first = 0
    day: date | None = None
    description = ""
    lines: list[tuple[Any, ...]] = []
    total_dr = total_cr = 0
    bad = False
    count = 0
    for number, cells in rows:
        count += 1
        if len(cells) != width:
            if len(cells) > width:
                error(number, "-", f"{len(cells)} cells but {width} columns")
                continue
            cells = cells + padding[len(cells) :]
        this_key = cells[i_entry].strip()
        if this_key != key:
            if key is not None and not bad and day is not None:
                imp.entry(key, first, day, description, lines, total_dr, total_cr)
            key, first, lines, total_dr, total_cr, bad = this_key, number, [], 0, 0, False
            if not this_key:
                error(number, "entry", "empty: the rows of one entry share an entry value")
                bad = True
            day_text = cells[i_date]
            day = dates(day_text)
            if day is None:
                error(number, "date", f"{cells[i_date]!r} is not a date (YYYY-MM-DD)")
                bad = True
            text = cells[i_desc] if i_desc is not None else ""
            description = unneutralise(clean(text))[:200] if text else ""
        elif cells[i_date] != day_text and dates(cells[i_date]) != day:
            error(number, "date", f"entry {key!r} has rows with different dates")
            bad = True
        debit_text = cells[i_debit].strip() if i_debit is not None else ""
        credit_text = cells[i_credit].strip() if i_credit is not None else ""
        try:
            debit = amount(debit_text) if debit_text else 0
        except ValueError as exc:
            error(number, "debit", str(exc))
            bad = True
            continue
        try:
            credit = amount(credit_text) if credit_text else 0
        except ValueError as exc:
            error(number, "credit", str(exc))
            bad = True
            continue
        if debit < 0 or credit < 0:
            error(number, "debit" if debit < 0 else "credit", "negative: use the other column")
            bad = True
            continue
        if (debit > 0) == (credit > 0):
            error(number, "debit", "give a debit or a credit (one of them, above zero)")
            bad = True
            continue
        account = known.get(cells[i_account])
        if account is None:
            account = resolve(cells[i_account])
        if account.__class__ is str:
            error(number, "account", str(account))
            bad = True
            continue
        text = cells[i_memo] if i_memo is not None else ""
        memo = unneutralise(clean(text)) if text else ""
        cc = (clean(cells[i_cc])[:16] or None) if i_cc is not None else None
        tax = (clean(cells[i_tax])[:16] or None) if i_tax is not None else None
        lines.append((account, debit, credit, memo[:200], tax, cc))
        total_dr += debit
        total_cr += credit
    if key is not None and not bad and day is not None:
        imp.entry(key, first, day, description, lines, total_dr, total_cr)
    report.rows += count


def _run_hledger(imp: _Importer, rows: Iterator[tuple[int, list[str]]], header: list[str]) -> None:
    """hledger's ``print -O csv``: ``txnidx`` groups the rows, ``amount`` is signed."""
    from bo_console.core.text import clean

    report = imp.report
    col = _columns(header, HLEDGER_COLUMNS, report)
    for name in ("txnidx", "date", "account", "amount"):
        if name not in col:
            report.add(1, name, "required column is missing")
    if report.errors:
        imp.failed = True
        return
    width = len(header)
    i_idx, i_date, i_account, i_amount = col["txnidx"], col["date"], col["account"], col["amount"]
    i_desc, i_commodity = col.get("description"), col.get("commodity")
    i_memo = col.get("posting-comment")
    base = imp.currency.code
    amount, dates, resolve, error = imp.amount, imp.dates, imp.accounts.resolve, imp.error
    key: str | None = None
    first = 0
    day: date | None = None
    description = ""
    lines: list[tuple[Any, ...]] = []
    total_dr = total_cr = 0
    bad = False
    count = 0
    for number, cells in rows:
        count += 1
        if len(cells) != width:
            error(number, "-", f"{len(cells)} cells but {width} columns")
            continue
        this_key = cells[i_idx].strip()
        if this_key != key:
            if key is not None and not bad and day is not None:
                imp.entry(key, first, day, description, lines, total_dr, total_cr)
            key, first, lines, total_dr, total_cr, bad = this_key, number, [], 0, 0, False
            day = dates(cells[i_date])
            if day is None:
                error(number, "date", f"{cells[i_date]!r} is not a date (YYYY-MM-DD)")
                bad = True
            description = clean(cells[i_desc]) if i_desc is not None else ""
        commodity = cells[i_commodity].strip() if i_commodity is not None else ""
        if commodity and commodity.upper() != base:
            error(number, "commodity", f"{commodity!r} is not the base currency {base}")
            bad = True
            continue
        try:
            value = amount(cells[i_amount].strip())
        except ValueError as exc:
            error(number, "amount", str(exc))
            bad = True
            continue
        if value == 0:
            imp.result.skipped_zero += 1
            continue
        account = resolve(cells[i_account])
        if account.__class__ is str:
            error(number, "account", str(account))
            bad = True
            continue
        memo = clean(cells[i_memo])[:200] if i_memo is not None else ""
        if value > 0:
            lines.append((account, value, 0, memo, None, None))
            total_dr += value
        else:
            lines.append((account, 0, -value, memo, None, None))
            total_cr -= value
    if key is not None and not bad and day is not None:
        imp.entry(key, first, day, description, lines, total_dr, total_cr)
    report.rows += count


def _import_into(session: Session, actor: Actor, path: Path, file_format: str) -> ImportResult:
    from bo_console.core.money import base_currency

    report = ImportReport()
    rows = _read_rows(path, report)
    first = next(rows, None)
    if first is None:
        if not report.errors:
            report.add(1, "-", "the file is empty")
        raise ImportRejected(path, report)
    header = first[1]
    detected = detect_format(header)
    if file_format == "auto":
        file_format = detected
    elif file_format != detected and file_format == "hledger":
        report.add(1, "-", "not hledger's CSV (its header starts with txnidx,date,...)")
        raise ImportRejected(path, report)
    imp = _Importer(session, actor, file_format, base_currency(session), report)
    try:
        (_run_hledger if file_format == "hledger" else _run_bo)(imp, rows, header)
    except BaseException:
        imp.writer.abandon()
        raise
    imp.close()
    if report.errors or imp.failed:
        raise ImportRejected(path, report)
    result = imp.result
    if result.entries == 0:
        raise ValidationFailed(f"{path.name} has no entries; nothing was imported")
    result.accounts_created = imp.accounts.created
    if imp.first is not None and imp.last is not None:
        result.first = f"{imp.first[0]}-{imp.first[1]:06d}"
        result.last = f"{imp.last[0]}-{imp.last[1]:06d}"
    return result


def import_journal(
    store: Store,
    actor: Actor,
    path: Path,
    *,
    fmt: str = "auto",
    force: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import a journal CSV (ours or hledger's) as one job and one transaction.

    Raises:
        ImportRejected: any row is wrong; nothing was written; the report lists every problem.
        RuleViolation: this very file was imported before (unless ``force``).
        Busy: another import is running.
    """
    from bo_console.core import audit
    from bo_console.core.jobs import run_job
    from bo_console.finance.accounts import forget_chart

    actor.require("finance.post", "import journal entries")
    path = person_path(path, writing=False)
    if not path.is_file():
        raise ValidationFailed(f"{path} is not a file")
    if fmt not in ("auto", "bo", "hledger"):
        raise ValidationFailed(f"unknown import format {fmt!r} (auto, bo or hledger)")
    digest = file_digest(path)
    key = f"sha256:{digest}"
    if not force:
        _refuse_reimport(store, path, key)
    if dry_run:
        with store.write() as session:
            result = _import_into(session, actor, path, fmt)
            session.rollback()
            forget_chart(session)
        result.dry_run = True
        return result
    try:
        with run_job(store, actor, JOB_NAME, key=key, force=force) as job:
            with store.write() as session:
                result = _import_into(session, actor, path, fmt)
                audit.record(
                    session,
                    actor,
                    action="import",
                    entity="journal",
                    entity_id=f"run {job.run_id}",
                    changes={
                        "file": (None, path.name),
                        "sha256": (None, digest),
                        "format": (None, result.file_format),
                        "entries": (None, result.entries),
                        "lines": (None, result.lines),
                        "numbers": (None, f"{result.first}..{result.last}"),
                        "accounts_created": (None, len(result.accounts_created)),
                    },
                )
                job.complete(session, result.message)
    except AlreadyDone:  # imported by another process since the check above
        _refuse_reimport(store, path, key)
        raise
    return result


def _refuse_reimport(store: Store, path: Path, key: str) -> None:
    from sqlmodel import col, select

    from bo_console.core.models import JobRun

    with store.read() as session:
        done = session.exec(
            select(JobRun)
            .where(JobRun.name == JOB_NAME, JobRun.key == key, JobRun.outcome == "ok")
            .order_by(col(JobRun.id))
        ).first()
    if done is not None:
        raise RuleViolation(
            f"{path.name} was already imported (run {done.id}, {done.started_at:%Y-%m-%d %H:%M}"
            f" UTC, by {done.user_login}: {done.summary}); nothing changed. "
            "Use --force to import it again"
        )


def read_entry_lines(path: Path, currency: Currency) -> list[LineCreate]:
    """The lines of one entry from a small CSV: account, debit, credit, memo, cost_centre,
    tax_code (``bo finance journal add --csv``)."""
    from pydantic import ValidationError

    from bo_console.core import io
    from bo_console.finance.models import LineCreate

    columns = [
        io.Column("account"),
        io.Column("debit", required=False),
        io.Column("credit", required=False),
        io.Column("memo", required=False),
        io.Column("cost_centre", required=False),
        io.Column("tax_code", required=False),
    ]

    def parse(number: int, record: dict[str, str], report: ImportReport) -> LineCreate | None:
        amounts = []
        for name in ("debit", "credit"):
            text = record.get(name, "").strip()
            try:
                amounts.append(currency.parse(text) if text else 0)
            except ValueError as exc:
                report.add(number, name, str(exc))
                return None
        try:
            return LineCreate(
                account=record.get("account", ""),
                debit=amounts[0],
                credit=amounts[1],
                memo=record.get("memo", ""),
                cost_centre=record.get("cost_centre") or None,
                tax_code=record.get("tax_code") or None,
            )
        except ValidationError as exc:
            from bo_console.finance.messages import plain_message

            error = exc.errors()[0]
            column = str(error["loc"][0]) if error["loc"] else "debit"
            report.add(number, column, plain_message(error))
            return None

    return io.read_validated(path, columns, parse)


# -- export -------------------------------------------------------------------------------------

_EXPORT_SQL = """
SELECT e.id, e.year, e.number, e.date, e.memo, e.source, e.source_ref, r.year, r.number,
       l.account_id, l.debit, l.credit, l.memo, l.cost_centre, l.tax_code
FROM fin_entry e
JOIN fin_line l ON l.entry_id = e.id
LEFT JOIN fin_entry r ON r.id = e.reverses_id
WHERE e.state <> 'draft' AND e.date >= :a AND e.date <= :b
ORDER BY e.date, e.id, l.line_no
"""


def _hledger_text(value: str) -> str:
    """Text safe on an hledger line: one line, and no ';' (it would start a comment)."""
    return " ".join(value.replace(";", ",").split())


def _iter_export(
    session: Session, date_from: date | None, date_to: date | None
) -> Iterator[list[Any]]:
    from sqlalchemy import text

    result = session.execute(
        text(_EXPORT_SQL),
        {"a": date_from or date(1, 1, 1), "b": date_to or date(9999, 12, 31)},
    )
    while True:
        chunk = result.fetchmany(20_000)
        if not chunk:
            return
        yield from (list(row) for row in chunk)


def _write_hledger(
    session: Session, out: TextIO, chart: Chart, currency: Currency, rows: Iterator[list[Any]]
) -> int:
    from bo_console.core import settings
    from bo_console.core.clock import utcnow
    from bo_console.finance.accounts import tree_order
    from bo_console.finance.models import entry_ref

    hledger_type = {"asset": "A", "liability": "L", "equity": "E", "income": "R", "expense": "X"}
    company = settings.get(session, "company_name")
    code = currency.code
    out.write(
        f"; bo-console journal export{': ' + _hledger_text(company) if company else ''}\n"
        f"; base currency {code}; written {utcnow():%Y-%m-%d %H:%M} UTC\n"
        "; account balances equal `bo finance report trial-balance` on the same dates\n\n"
    )
    sample = "1000." + "0" * currency.exponent if currency.exponent else "1000"
    out.write(f"commodity {sample} {code}\n\n")
    names: dict[int, str] = {}
    for account in tree_order(chart):
        assert account.id is not None
        names[account.id] = chart.full_name(account.id)
        out.write(f"account {names[account.id]}  ; type: {hledger_type[account.type]}\n")
    out.write("\n")
    width = max((len(n) for n in names.values()), default=20) + 4
    fmt = currency.format
    count = 0
    current = None
    for (
        entry_id,
        year,
        number,
        day,
        memo,
        source,
        source_ref,
        r_year,
        r_number,
        account_id,
        debit,
        credit,
        line_memo,
        cost_centre,
        tax_code,
    ) in rows:
        if entry_id != current:
            if current is not None:
                out.write("\n")
            current = entry_id
            count += 1
            day_text = day if isinstance(day, str) else day.isoformat()
            out.write(f"{day_text} * ({entry_ref(year, number, entry_id)}) {_hledger_text(memo)}\n")
            tags = [f"source: {source}"]
            if source_ref:
                tags.append(f"ref: {_hledger_text(source_ref).replace(',', ' ')}")
            if r_number is not None:
                tags.append(f"reverses: {entry_ref(r_year, r_number, None)}")
            out.write(f"    ; {', '.join(tags)}\n")
        amount = int(debit) - int(credit)
        comment = []
        if line_memo:
            comment.append(_hledger_text(line_memo))
        if cost_centre:
            comment.append(f"cost-centre: {_hledger_text(cost_centre)}")
        if tax_code:
            comment.append(f"tax: {_hledger_text(tax_code)}")
        note = f"  ; {', '.join(comment)}" if comment else ""
        out.write(
            f"    {names[account_id]:<{width}}{fmt(amount, grouping=False):>16} {code}{note}\n"
        )
    return count


def _write_csv(out: TextIO, chart: Chart, currency: Currency, rows: Iterator[list[Any]]) -> int:
    from bo_console.core.io import neutralise
    from bo_console.finance.models import entry_ref

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUR_COLUMNS)
    codes = {i: a.code for i, a in chart.accounts.items()}
    fmt = currency.format
    count = 0
    current = None
    for row in rows:
        entry_id, year, number, day, memo = row[:5]
        debit, credit, line_memo, cost_centre, tax_code = row[10:]
        if entry_id != current:
            current = entry_id
            count += 1
        writer.writerow(
            [
                entry_ref(year, number, entry_id),
                day if isinstance(day, str) else day.isoformat(),
                neutralise(memo),
                codes[row[9]],
                fmt(debit, grouping=False) if debit else "",
                fmt(credit, grouping=False) if credit else "",
                neutralise(line_memo or ""),
                cost_centre or "",
                tax_code or "",
            ]
        )
    return count


def export_journal(
    session: Session,
    actor: Actor,
    output: Path | None,
    *,
    fmt: str = "hledger",
    date_from: date | None = None,
    date_to: date | None = None,
) -> int:
    """Write posted (and reversed) entries as an hledger journal or our CSV, to ``output`` or
    stdout. Returns the number of entries."""
    from bo_console.core.io import check_output_path
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    actor.require("finance.read", "export the journal")
    if fmt not in ("hledger", "csv"):
        raise ValidationFailed(f"unknown export format {fmt!r} (hledger or csv)")
    chart = load_chart(session)
    currency = base_currency(session)
    rows = _iter_export(session, date_from, date_to)

    def write(out: TextIO) -> int:
        if fmt == "hledger":
            return _write_hledger(session, out, chart, currency, rows)
        return _write_csv(out, chart, currency, rows)

    if output is None:
        return write(sys.stdout)
    check_output_path(output)
    with private_output(output) as partial, partial.open("w", encoding="utf-8", newline="") as fh:
        return write(fh)
