"""Importing a journal CSV: every row read and validated by the ledger's posting rules, the
good entries numbered and handed to the bulk writer, all in one job and one transaction."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import AlreadyDone, ValidationFailed
from bo_console.core.io import ImportRejected, ImportReport
from bo_console.finance.interchange.bulk_writer import (
    ENTRY_WIDTH,
    Chunk,
    _widen,
    _Writer,
)
from bo_console.finance.interchange.formats import (
    ENTRIES_PER_CHUNK,
    HLEDGER_COLUMNS,
    JOB_NAME,
    MAX_ERRORS,
    OUR_COLUMNS,
    TEXT_LIMIT,
    ImportResult,
    _Accounts,
    _amount_parser,
    _Dates,
    _header_key,
    content_digest,
    detect_format,
    file_digest,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.money import Currency
    from bo_console.core.security import Actor

    Progress = Callable[[int, int], None]


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
        *,
        own_process: bool = False,
    ) -> None:
        from sqlalchemy import text

        from bo_console.core.clock import utcnow
        from bo_console.finance.accounts import load_chart
        from bo_console.finance.ledger import EntryNumbers, closed_periods

        self.file_format = file_format
        self.currency = currency
        self.report = report
        self.lock = threading.Lock()
        self.accounts = _Accounts(
            session, actor, load_chart(session), file_format == "hledger", self.lock
        )
        from bo_console.core.clock import today
        from bo_console.finance.ledger.controls import load_controls
        from bo_console.finance.ledger.locks import books_start, future_days

        self.controls = load_controls(session)
        self.closed = closed_periods(session)
        self.books_start = books_start(session)
        self.horizon = (
            None
            if actor.can("finance.manage")
            else (today().toordinal() + future_days(session), future_days(session))
        )
        self.dates = _Dates()
        self.amount = _amount_parser(currency.exponent)
        self.result = ImportResult(file_format=file_format)
        self.failed = False
        self.stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        self.login = actor.login
        self.next_id = int(
            session.execute(text("SELECT COALESCE(MAX(id), 0) + 1 FROM fin_entry")).scalar_one()
        )
        # The ledger's numbering, every year read now: the writer thread owns the connection
        # from here on.
        self.numbers = EntryNumbers(session)
        self.numbers.read_all()
        self.first: tuple[int, int] | None = None
        self.last: tuple[int, int] | None = None
        self.lines: list[Any] = []
        self.entries: list[Any] = []
        self.plain = True
        self.writer = _Writer(session, self.lock, self.stamp, self.login, own_process=own_process)

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
        from bo_console.finance.ledger import closed_problem, totals_problem

        problem = totals_problem(debit, credit, self.currency)
        if problem is not None:
            column = "amount"
            if problem.kind == "unbalanced" and self.file_format != "hledger":
                column = "debit"
            self.error(first_row, column, f"entry {key!r}: {problem.short}")
            return
        controlled = self.controls.accounts or self.controls.vat
        if controlled and any(line[0] in controlled for line in lines):
            chart = self.accounts.chart.accounts
            uncontrolled = self.controls.problem(
                "import", ((line[0], chart[line[0]].code, line[4]) for line in lines)
            )
            if uncontrolled is not None:
                self.error(first_row, "account", f"entry {key!r}: {uncontrolled}")
                return
        iso = day.isoformat()
        month = iso[:7]
        if month in self.closed:
            self.error(first_row, "date", closed_problem(day, "import"))
            return
        if self.books_start is not None and month < self.books_start:
            from bo_console.finance.ledger.locks import before_books_problem

            self.error(first_row, "date", before_books_problem(day, self.books_start, "import"))
            return
        if self.horizon is not None and day.toordinal() > self.horizon[0]:
            self.error(
                first_row,
                "date",
                f"{iso} is more than {self.horizon[1]} days ahead; "
                "only a finance manager may post that far ahead",
            )
            return
        self.result.entries += 1
        self.result.lines += len(lines)
        if self.failed:
            return
        entry_id = self.next_id
        self.next_id += 1
        year = day.year
        number = self.numbers.next(year)
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
        from bo_console.core.io import bad_bytes_line

        report.add(bad_bytes_line(path), "-", "not UTF-8 text (save the file as CSV UTF-8)")
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
            description = unneutralise(clean(text, "description")) if text else ""
            if len(description) > TEXT_LIMIT:
                error(number, "description", f"longer than {TEXT_LIMIT} characters")
                bad = True
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
        memo = unneutralise(clean(text, "memo")) if text else ""
        if len(memo) > TEXT_LIMIT:
            error(number, "memo", f"longer than {TEXT_LIMIT} characters")
            bad = True
        cc = (clean(cells[i_cc])[:16] or None) if i_cc is not None else None
        if cc is not None:
            imp.accounts.centre(cc)
        tax = (clean(cells[i_tax])[:16] or None) if i_tax is not None else None
        lines.append((account, debit, credit, memo, tax, cc))
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
        memo = clean(cells[i_memo], "memo") if i_memo is not None else ""
        if len(memo) > TEXT_LIMIT:
            error(number, "memo", f"longer than {TEXT_LIMIT} characters")
            bad = True
        if value > 0:
            lines.append((account, value, 0, memo, None, None))
            total_dr += value
        else:
            lines.append((account, 0, -value, memo, None, None))
            total_cr -= value
    if key is not None and not bad and day is not None:
        imp.entry(key, first, day, description, lines, total_dr, total_cr)
    report.rows += count


def _counted(
    rows: Iterator[tuple[int, list[str]]], path: Path, progress: Progress | None
) -> Iterator[tuple[int, list[str]]]:
    """``rows`` as they are, reporting ``progress(lines read, lines in the file)`` every
    10,000 lines (counting the file's lines first costs a fraction of reading it)."""
    if progress is None:
        yield from rows
        return
    total = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            total += chunk.count(b"\n")
    progress(0, total)
    for row in rows:
        if row[0] % 10_000 == 0:
            progress(min(row[0], total), total)
        yield row
    progress(total, total)


def _import_into(
    session: Session,
    actor: Actor,
    path: Path,
    file_format: str,
    *,
    own_process: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    from bo_console.core.money import base_currency

    report = ImportReport()
    rows = _counted(_read_rows(path, report), path, progress)
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
    imp = _Importer(
        session, actor, file_format, base_currency(session), report, own_process=own_process
    )
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
    own_process: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a journal CSV (ours or hledger's) as one job and one transaction.

    ``progress(lines read, lines in the file)`` follows the reading and checking.

    Entries obey the ledger's posting rules (:mod:`bo_console.finance.ledger.rules`: balance,
    open period, accounts, numbering); only the writing is bulk. ``own_process`` says the
    caller is a process of its own (the ``bo`` command): the writer may then shorten Python's
    process-wide thread switch interval while it runs, which makes the import about a fifth
    faster. The console leaves it False, so an import never changes its interpreter.

    Raises:
        ImportRejected: any row is wrong; nothing was written; the report lists every problem.
        AlreadyDone: the same entries were imported before (unless ``force``); the file's
            rows are compared, not its bytes, so line endings or quoting do not matter.
        Busy: another import is running.
    """
    from bo_console.core.sealed import person_file

    actor.require("finance.post", "import journal entries")
    if fmt not in ("auto", "bo", "hledger"):
        raise ValidationFailed(f"unknown import format {fmt!r} (auto, bo or hledger)")
    with person_file(path) as readable:
        if not readable.is_file():
            raise ValidationFailed(f"{path} is not a file")
        return _import_file(
            store,
            actor,
            readable,
            fmt,
            force=force,
            dry_run=dry_run,
            own_process=own_process,
            progress=progress,
        )


def _import_file(
    store: Store,
    actor: Actor,
    path: Path,
    fmt: str,
    *,
    force: bool,
    dry_run: bool,
    own_process: bool,
    progress: Progress | None,
) -> ImportResult:
    from bo_console.core import audit
    from bo_console.core.jobs import run_job
    from bo_console.finance.accounts import forget_chart

    digest = content_digest(path)
    key = f"rows:{digest}"
    if not force:
        _refuse_reimport(store, path, (key, f"sha256:{file_digest(path)}"))
    if dry_run:
        with store.write() as session:
            result = _import_into(
                session, actor, path, fmt, own_process=own_process, progress=progress
            )
            session.rollback()
            forget_chart(session)
        result.dry_run = True
        return result
    try:
        with run_job(store, actor, JOB_NAME, key=key, force=force) as job:
            with store.write() as session:
                result = _import_into(
                    session, actor, path, fmt, own_process=own_process, progress=progress
                )
                audit.record(
                    session,
                    actor,
                    action="import",
                    entity="journal",
                    entity_id=f"run {job.run_id}",
                    changes={
                        "file": (None, path.name),
                        "rows_sha256": (None, digest),
                        "format": (None, result.file_format),
                        "entries": (None, result.entries),
                        "lines": (None, result.lines),
                        "numbers": (None, f"{result.first}..{result.last}"),
                        "accounts_created": (None, len(result.accounts_created)),
                    },
                )
                job.complete(session, result.message)
    except AlreadyDone:  # imported by another process since the check above
        _refuse_reimport(store, path, (key,))
        raise
    return result


def _refuse_reimport(store: Store, path: Path, keys: tuple[str, ...]) -> None:
    from sqlmodel import col, select

    from bo_console.core.models import JobRun

    with store.read() as session:
        done = session.exec(
            select(JobRun)
            .where(JobRun.name == JOB_NAME, col(JobRun.key).in_(keys), JobRun.outcome == "ok")
            .order_by(col(JobRun.id))
        ).first()
    if done is not None:
        raise AlreadyDone(
            f"{path.name} holds the same entries as an earlier import (run {done.id}, "
            f"{done.started_at:%Y-%m-%d %H:%M} UTC, by {done.user_login}: {done.summary}); "
            "nothing changed. Use --force to import it again"
        )
