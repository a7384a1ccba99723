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
are written with the driver's ``executemany`` (the ORM is ten times slower here); the
database's triggers still check every posting. The same file (by SHA-256) is not imported
twice unless forced.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bo_console.core.errors import AlreadyDone, RuleViolation, ValidationFailed
from bo_console.core.io import ImportRejected, ImportReport

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
ENTRIES_PER_CHUNK = 20_000


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


def _fast_minor(text: str, exponent: int, scale: int) -> int | None:
    """Unsigned plain decimals (``1234.5``) without the general parser; None: use that one."""
    whole, _, fraction = text.partition(".")
    if (
        whole.isascii()
        and whole.isdigit()
        and (not fraction or (fraction.isascii() and fraction.isdigit()))
        and len(fraction) <= exponent
    ):
        return int(whole) * scale + (int(fraction.ljust(exponent, "0")) if fraction else 0)
    return None


class _Amounts:
    def __init__(self, exponent: int) -> None:
        self.exponent = exponent
        self.scale = 10**exponent

    def signed(self, text: str) -> int:
        """A signed amount; raises ValueError with the reason."""
        from bo_console.core.money import parse_amount

        text = text.strip()
        if text.startswith("-"):
            fast = _fast_minor(text[1:], self.exponent, self.scale)
            if fast is not None:
                return -fast
        else:
            fast = _fast_minor(text, self.exponent, self.scale)
            if fast is not None:
                return fast
        return parse_amount(text, self.exponent)


@dataclass
class _Row:
    number: int
    date: date
    account_id: int
    debit: int
    credit: int
    memo: str
    cost_centre: str | None
    tax_code: str | None


@dataclass
class _Pending:
    """The rows of the entry being read."""

    key: str
    first_row: int
    date: date | None
    description: str
    rows: list[_Row] = field(default_factory=list)
    bad: bool = False


# -- accounts named by hledger ------------------------------------------------------------------


class _Accounts:
    """Resolves account texts, creating hledger-named accounts the chart lacks."""

    def __init__(self, session: Session, actor: Actor, chart: Chart, create: bool) -> None:
        self.session = session
        self.actor = actor
        self.chart = chart
        self.create = create
        self.cache: dict[str, int | str] = {}
        self.created: list[str] = []

    def resolve(self, text: str) -> int | str:
        """The account id, or the reason it cannot be used."""
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        result = self._resolve(text)
        self.cache[text] = result
        return result

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
        full = self.chart.full_name(account.id)
        self.created.append(full)
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


class _Writer:
    """Writes validated entries in chunks with the driver's executemany, posting each."""

    def __init__(self, session: Session, actor: Actor, run_id: int | None) -> None:
        from sqlalchemy import text

        from bo_console.core.clock import utcnow

        self.session = session
        self.run_id = run_id
        self.login = actor.login
        self.stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        self.next_id = int(
            session.execute(text("SELECT COALESCE(MAX(id), 0) + 1 FROM fin_entry")).scalar_one()
        )
        self.numbers: dict[int, int] = {}
        self.entries: list[tuple[Any, ...]] = []
        self.lines: list[tuple[Any, ...]] = []
        self.posts: list[tuple[Any, ...]] = []
        self.first: tuple[int, int] | None = None
        self.last: tuple[int, int] | None = None
        self.sqlite = session.get_bind().dialect.name == "sqlite"

    def _number(self, year: int) -> int:
        from sqlalchemy import text

        current = self.numbers.get(year)
        if current is None:
            current = int(
                self.session.execute(
                    text("SELECT COALESCE(MAX(number), 0) FROM fin_entry WHERE year = :y"),
                    {"y": year},
                ).scalar_one()
            )
        current += 1
        self.numbers[year] = current
        return current

    def add(self, pending: _Pending, total: int) -> None:
        assert pending.date is not None
        entry_id = self.next_id
        self.next_id += 1
        day = pending.date.isoformat()
        # Run and row make the reference unique even if the file repeats an entry key.
        ref = (
            f"run {self.run_id} row {pending.first_row}: {pending.key}"[:120]
            if self.run_id is not None
            else None
        )
        self.entries.append(
            (entry_id, day, pending.description[:200], ref, total, self.stamp, self.login)
        )
        for line_no, row in enumerate(pending.rows, start=1):
            self.lines.append(
                (
                    entry_id,
                    line_no,
                    row.account_id,
                    day,
                    row.debit,
                    row.credit,
                    row.memo[:200],
                    row.tax_code,
                    row.cost_centre,
                )
            )
        year = pending.date.year
        number = self._number(year)
        self.posts.append((year, number, self.stamp, self.login, entry_id))
        self.last = (year, number)
        if self.first is None:
            self.first = (year, number)
        if len(self.entries) >= ENTRIES_PER_CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.entries:
            return
        if self.sqlite:
            # The session's own connection, inside its BEGIN IMMEDIATE transaction.
            raw = self.session.connection().connection.driver_connection
            assert raw is not None
            cursor = raw.cursor()
            cursor.executemany(_INSERT_ENTRY, self.entries)
            cursor.executemany(_INSERT_LINE, self.lines)
            cursor.executemany(_POST_ENTRY, self.posts)
            cursor.close()
        else:
            self._flush_core()
        self.entries, self.lines, self.posts = [], [], []

    def _flush_core(self) -> None:
        from sqlalchemy import text

        keys_e = ("id", "date", "memo", "source_ref", "total", "created_at", "created_by")
        keys_l = (
            "entry_id",
            "line_no",
            "account_id",
            "date",
            "debit",
            "credit",
            "memo",
            "tax_code",
            "cost_centre",
        )
        keys_p = ("year", "number", "posted_at", "posted_by", "id")
        for sql, keys, rows in (
            (_INSERT_ENTRY_NAMED, keys_e, self.entries),
            (_INSERT_LINE_NAMED, keys_l, self.lines),
            (_POST_ENTRY_NAMED, keys_p, self.posts),
        ):
            self.session.execute(text(sql), [dict(zip(keys, r, strict=True)) for r in rows])


_INSERT_ENTRY = (
    "INSERT INTO fin_entry (id, date, memo, source, source_ref, state, total, created_at, "
    "created_by) VALUES (?, ?, ?, 'import', ?, 'draft', ?, ?, ?)"
)
_INSERT_LINE = (
    "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo, tax_code, "
    "cost_centre) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_POST_ENTRY = (
    "UPDATE fin_entry SET state = 'posted', year = ?, number = ?, posted_at = ?, posted_by = ? "
    "WHERE id = ?"
)
_INSERT_ENTRY_NAMED = (
    "INSERT INTO fin_entry (id, date, memo, source, source_ref, state, total, created_at, "
    "created_by) VALUES (:id, :date, :memo, 'import', :source_ref, 'draft', :total, "
    ":created_at, :created_by)"
)
_INSERT_LINE_NAMED = (
    "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo, tax_code, "
    "cost_centre) VALUES (:entry_id, :line_no, :account_id, :date, :debit, :credit, :memo, "
    ":tax_code, :cost_centre)"
)
_POST_ENTRY_NAMED = (
    "UPDATE fin_entry SET state = 'posted', year = :year, number = :number, "
    "posted_at = :posted_at, posted_by = :posted_by WHERE id = :id"
)


# -- the import ---------------------------------------------------------------------------------


class _Importer:
    """Reads rows, validates them, groups them into entries, hands good entries to a writer."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        file_format: str,
        currency: Currency,
        writer: _Writer,
        report: ImportReport,
    ) -> None:
        from bo_console.finance.accounts import load_chart
        from bo_console.finance.ledger import closed_periods

        self.file_format = file_format
        self.currency = currency
        self.writer = writer
        self.report = report
        self.accounts = _Accounts(session, actor, load_chart(session), file_format == "hledger")
        self.closed = closed_periods(session)
        self.dates = _Dates()
        self.amounts = _Amounts(currency.exponent)
        self.pending: _Pending | None = None
        self.result = ImportResult(file_format=file_format)
        self.failed = False

    def error(self, row: int, column: str, reason: str) -> None:
        self.failed = True
        if len(self.report.errors) < MAX_ERRORS:
            self.report.add(row, column, reason)

    # One row of either format becomes (entry key, date text, description, account text,
    # signed amount or None, memo, cost centre, tax code).

    def feed(self, number: int, key: str, day_text: str, description: str) -> _Pending:
        pending = self.pending
        if pending is None or pending.key != key:
            if pending is not None:
                self.finish_entry(pending)
            day = self.dates(day_text)
            pending = _Pending(key, number, day, description)
            if day is None:
                self.error(number, "date", f"{day_text!r} is not a date (YYYY-MM-DD)")
                pending.bad = True
            self.pending = pending
        elif day_text and self.dates(day_text) != pending.date:
            self.error(number, "date", f"entry {key!r} has rows with different dates")
            pending.bad = True
        return pending

    def line(
        self,
        pending: _Pending,
        number: int,
        account_text: str,
        debit: int,
        credit: int,
        memo: str,
        cost_centre: str | None,
        tax_code: str | None,
    ) -> None:
        resolved = self.accounts.resolve(account_text)
        if isinstance(resolved, str):
            self.error(number, "account", resolved)
            pending.bad = True
            return
        if pending.bad:
            return
        assert pending.date is not None
        pending.rows.append(
            _Row(number, pending.date, resolved, debit, credit, memo, cost_centre, tax_code)
        )

    def finish_entry(self, pending: _Pending) -> None:
        if pending.bad or pending.date is None:
            return
        debit = credit = 0
        for row in pending.rows:
            debit += row.debit
            credit += row.credit
        fmt = self.currency.format
        if debit != credit:
            self.error(
                pending.first_row,
                "amount" if self.file_format == "hledger" else "debit",
                f"entry {pending.key!r}: debits {fmt(debit)} do not equal credits {fmt(credit)}",
            )
            return
        if debit == 0:
            self.error(pending.first_row, "amount", f"entry {pending.key!r} moves nothing")
            return
        period = f"{pending.date.year:04d}-{pending.date.month:02d}"
        if period in self.closed:
            self.error(pending.first_row, "date", f"period {period} is closed")
            return
        self.result.entries += 1
        self.result.lines += len(pending.rows)
        if not self.failed:
            self.writer.add(pending, debit)

    def close(self) -> None:
        if self.pending is not None:
            self.finish_entry(self.pending)
            self.pending = None
        if not self.failed:
            self.writer.flush()


def _read_rows(path: Path, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every non-empty row after the header; header first as row 1."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            for cells in reader:
                if not cells or not any(cells):
                    continue
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


def _run_bo(importer: _Importer, rows: Iterator[tuple[int, list[str]]], header: list[str]) -> None:
    from bo_console.core.io import unneutralise
    from bo_console.core.text import clean

    report = importer.report
    col = _columns(header, OUR_COLUMNS, report)
    for name in ("entry", "date", "account"):
        if name not in col:
            report.add(1, name, "required column is missing")
    if "debit" not in col and "credit" not in col:
        report.add(1, "debit", "give a debit column, a credit column, or both")
    if report.errors:
        importer.failed = True
        return
    width = len(header)
    i_entry, i_date, i_account = col["entry"], col["date"], col["account"]
    i_desc = col.get("description")
    i_debit, i_credit = col.get("debit"), col.get("credit")
    i_memo, i_cc, i_tax = col.get("memo"), col.get("cost_centre"), col.get("tax_code")
    signed = importer.amounts.signed
    for number, cells in rows:
        report.rows += 1
        if len(cells) > width:
            importer.error(number, "-", f"{len(cells)} cells but {width} columns")
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        key = cells[i_entry].strip()
        if not key:
            importer.error(number, "entry", "empty: rows of one entry share an entry value")
            continue
        description = unneutralise(clean(cells[i_desc])) if i_desc is not None else ""
        pending = importer.feed(number, key, cells[i_date], description)
        amounts = []
        ok = True
        for index, name in ((i_debit, "debit"), (i_credit, "credit")):
            text = cells[index].strip() if index is not None else ""
            if not text:
                amounts.append(0)
                continue
            try:
                value = signed(text)
            except ValueError as exc:
                importer.error(number, name, str(exc))
                ok = False
                amounts.append(0)
                continue
            if value < 0:
                importer.error(number, name, "negative: put it in the other column")
                ok = False
            amounts.append(value)
        debit, credit = amounts
        if ok and (debit > 0) == (credit > 0):
            importer.error(number, "debit", "give a debit or a credit (one of them, above zero)")
            ok = False
        if not ok:
            pending.bad = True
            continue
        memo = unneutralise(clean(cells[i_memo])) if i_memo is not None else ""
        cc = clean(cells[i_cc])[:16] or None if i_cc is not None else None
        tax = clean(cells[i_tax])[:16] or None if i_tax is not None else None
        importer.line(pending, number, cells[i_account], debit, credit, memo, cc, tax)


def _run_hledger(
    importer: _Importer, rows: Iterator[tuple[int, list[str]]], header: list[str]
) -> None:
    from bo_console.core.text import clean

    report = importer.report
    col = _columns(header, HLEDGER_COLUMNS, report)
    for name in ("txnidx", "date", "account", "amount"):
        if name not in col:
            report.add(1, name, "required column is missing")
    if report.errors:
        importer.failed = True
        return
    width = len(header)
    i_idx, i_date, i_account, i_amount = col["txnidx"], col["date"], col["account"], col["amount"]
    i_desc, i_commodity = col.get("description"), col.get("commodity")
    i_memo = col.get("posting-comment")
    base = importer.currency.code
    signed = importer.amounts.signed
    for number, cells in rows:
        report.rows += 1
        if len(cells) != width:
            importer.error(number, "-", f"{len(cells)} cells but {width} columns")
            continue
        key = cells[i_idx].strip()
        description = clean(cells[i_desc]) if i_desc is not None else ""
        pending = importer.feed(number, key, cells[i_date], description)
        commodity = cells[i_commodity].strip() if i_commodity is not None else ""
        if commodity and commodity.upper() != base:
            importer.error(number, "commodity", f"{commodity!r} is not the base currency {base}")
            pending.bad = True
            continue
        try:
            amount = signed(cells[i_amount])
        except ValueError as exc:
            importer.error(number, "amount", str(exc))
            pending.bad = True
            continue
        if amount == 0:
            importer.result.skipped_zero += 1
            continue
        memo = clean(cells[i_memo]) if i_memo is not None else ""
        debit, credit = (amount, 0) if amount > 0 else (0, -amount)
        importer.line(pending, number, cells[i_account], debit, credit, memo, None, None)


def _import_into(
    session: Session,
    actor: Actor,
    path: Path,
    file_format: str,
    run_id: int | None,
) -> ImportResult:
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
    writer = _Writer(session, actor, run_id)
    importer = _Importer(session, actor, file_format, base_currency(session), writer, report)
    (_run_hledger if file_format == "hledger" else _run_bo)(importer, rows, header)
    importer.close()
    if report.errors or importer.failed:
        raise ImportRejected(path, report)
    result = importer.result
    if result.entries == 0:
        raise ValidationFailed(f"{path.name} has no entries; nothing was imported")
    result.accounts_created = importer.accounts.created
    if writer.first is not None and writer.last is not None:
        result.first = f"{writer.first[0]}-{writer.first[1]:06d}"
        result.last = f"{writer.last[0]}-{writer.last[1]:06d}"
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
            result = _import_into(session, actor, path, fmt, None)
            session.rollback()
            forget_chart(session)
        result.dry_run = True
        return result
    try:
        with run_job(store, actor, JOB_NAME, key=key, force=force) as job:
            with store.write() as session:
                result = _import_into(session, actor, path, fmt, job.run_id)
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
            error = exc.errors()[0]
            report.add(number, str(error["loc"][0]) if error["loc"] else "debit", error["msg"])
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
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as fh:
            count = write(fh)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return count
