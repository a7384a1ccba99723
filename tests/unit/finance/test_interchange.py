"""Journal import (our CSV, hledger's CSV) and export (hledger journal, our CSV).

The hledger tests run the real ``hledger`` binary when it is installed (Debian package
``hledger``) and are skipped, saying so, when it is not.
"""

from __future__ import annotations

import csv
import shutil
import stat
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import AlreadyDone, ValidationFailed
from bo_console.core.io import ImportRejected
from bo_console.core.security import Actor, Identity
from bo_console.departments import init_database
from bo_console.finance import interchange, service
from bo_console.finance.interchange import HLEDGER_COLUMNS, OUR_COLUMNS
from tests.unit.finance.conftest import Poster, Team, sale

TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "finance-journal-template.csv"
HLEDGER = shutil.which("hledger")
needs_hledger = pytest.mark.skipif(
    HLEDGER is None, reason="hledger is not installed (apt-get install hledger)"
)
END = date(2026, 12, 31)


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]], bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _balances(store: Store, actor: Actor, as_of: date = END) -> dict[str, Decimal]:
    with store.read() as session:
        return {r.account: r.balance for r in service.trial_balance(session, actor, as_of).rows}


def _count(store: Store, table: str) -> int:
    with store.read() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_import_our_template(store: Store, team: Team) -> None:
    result = interchange.import_journal(store, team.clerk, TEMPLATE)
    assert (result.entries, result.lines) == (3, 7)
    assert (result.first, result.last) == ("2026-000001", "2026-000003")
    balances = _balances(store, team.clerk)
    assert balances["Assets:Cash and banks:Al Rajhi Bank current account"] == Decimal("488000.00")
    assert balances["Liabilities:Current liabilities:Taxes payable:VAT output"] == -150
    with store.read() as session:
        sale_entry = service.get_entry(session, team.clerk, "2026-000002")
        runs = session.execute(
            text("SELECT outcome, summary FROM job_run WHERE name = :n"),
            {"n": interchange.JOB_NAME},
        ).all()
        events = session.execute(
            text("SELECT action, entity FROM audit_event WHERE action = 'import'")
        ).all()
    assert sale_entry.source == "import" and sale_entry.lines[1].tax_code == "S15"
    assert sale_entry.lines[0].cost_centre == "SALES" and sale_entry.lines[0].memo == "Receipt 0001"
    assert [r[0] for r in runs] == ["ok"] and "imported 3 entries" in runs[0][1]
    assert [tuple(e) for e in events] == [("import", "journal")]


def test_the_same_file_twice_is_refused_unless_forced(store: Store, team: Team) -> None:
    interchange.import_journal(store, team.clerk, TEMPLATE)
    with pytest.raises(AlreadyDone, match="same entries.*--force"):
        interchange.import_journal(store, team.clerk, TEMPLATE)
    interchange.import_journal(store, team.clerk, TEMPLATE, force=True)
    assert _count(store, "fin_entry") == 6


def test_the_same_entries_saved_differently_are_one_import(
    store: Store, team: Team, tmp_path: Path
) -> None:
    """CRLF line endings, a byte order mark, quoting and padding do not make a new journal."""
    interchange.import_journal(store, team.clerk, TEMPLATE)
    rows = list(csv.reader(TEMPLATE.read_text(encoding="utf-8").splitlines()))
    again = tmp_path / "again.csv"
    with again.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerows([[f" {cell} " if cell else cell for cell in row] for row in rows])
        fh.write("\r\n")
    assert again.read_bytes() != TEMPLATE.read_bytes()
    with pytest.raises(AlreadyDone, match="same entries"):
        interchange.import_journal(store, team.clerk, again)
    assert _count(store, "fin_entry") == 3
    changed = tmp_path / "changed.csv"
    changed.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace("Receipt 0001", "Receipt 0002"),
        encoding="utf-8",
    )
    interchange.import_journal(store, team.clerk, changed)
    assert _count(store, "fin_entry") == 6


def test_dry_run_writes_nothing(store: Store, team: Team) -> None:
    result = interchange.import_journal(store, team.clerk, TEMPLATE, dry_run=True)
    assert result.dry_run and result.entries == 3 and "nothing written" in result.message
    assert _count(store, "fin_entry") == 0
    interchange.import_journal(store, team.clerk, TEMPLATE)  # not taken for a done import
    assert _count(store, "fin_entry") == 3


def test_every_bad_row_is_reported_and_nothing_is_written(
    store: Store, team: Team, tmp_path: Path
) -> None:
    with store.write() as session:
        service.close_period(session, team.manager, "2026-02")
    rows = [
        ["1", "2026-03-05", "ok", "1110", "100.00", "", "", "", ""],
        ["1", "2026-03-05", "ok", "4100", "", "100.00", "", "", ""],
        ["2", "2026-13-01", "bad date", "1110", "1", "", "", "", ""],
        ["3", "2026-03-06", "unknown", "9999", "5", "", "", "", ""],
        ["3", "2026-03-06", "unknown", "4100", "", "5", "", "", ""],
        ["4", "2026-03-07", "unbalanced", "1110", "5", "", "", "", ""],
        ["4", "2026-03-07", "unbalanced", "4100", "", "4", "", "", ""],
        ["5", "2026-03-08", "both", "1110", "5", "5", "", "", ""],
        ["6", "2026-03-08", "decimals", "1110", "5.001", "", "", "", ""],
        ["7", "2026-02-10", "closed", "1110", "5", "", "", "", ""],
        ["7", "2026-02-10", "closed", "4100", "", "5", "", "", ""],
        ["8", "2026-03-09", "group", "1100", "5", "", "", "", ""],
        ["9", "2026-03-09", "negative", "1110", "-5", "", "", "", ""],
    ]
    path = _write(tmp_path / "bad.csv", OUR_COLUMNS, rows)
    with pytest.raises(ImportRejected) as caught:
        interchange.import_journal(store, team.clerk, path)
    found = {(e.row, e.field) for e in caught.value.report.errors}
    assert found == {
        (4, "date"),
        (5, "account"),
        (7, "debit"),
        (9, "debit"),
        (10, "debit"),
        (11, "date"),
        (13, "account"),
        (14, "debit"),
    }
    reasons = " | ".join(e.message for e in caught.value.report.errors)
    for words in ("not a date", "no account", "do not equal", "more than 2 decimals", "closed"):
        assert words in reasons
    assert "nothing was imported" in caught.value.message
    assert _count(store, "fin_entry") == 0
    with store.read() as session:
        outcome = session.execute(text("SELECT outcome FROM job_run")).scalar_one()
    assert outcome == "failed"


def test_amounts_too_large_to_book_are_reported_by_row_and_nothing_is_written(
    store: Store, team: Team, tmp_path: Path
) -> None:
    huge = "99999999999999999999999"  # would land as a REAL in SQLite and break every sum
    many = "6000000000000.00"  # each line fits; the entry's total does not
    rows = [
        ["1", "2026-01-05", "ok", "1110", "100.00", "", "", "", ""],
        ["1", "2026-01-05", "ok", "4100", "", "100.00", "", "", ""],
        ["2", "2026-01-06", "huge", "1110", huge, "", "", "", ""],
        ["2", "2026-01-06", "huge", "3100", "", huge, "", "", ""],
        ["3", "2026-01-07", "total", "1110", many, "", "", "", ""],
        ["3", "2026-01-07", "total", "1120", many, "", "", "", ""],
        ["3", "2026-01-07", "total", "3100", "", many, "", "", ""],
        ["3", "2026-01-07", "total", "3100", "", many, "", "", ""],
    ]
    path = _write(tmp_path / "big.csv", OUR_COLUMNS, rows)
    with pytest.raises(ImportRejected) as caught:
        interchange.import_journal(store, team.clerk, path)
    errors = caught.value.report.errors
    assert {(e.row, e.field) for e in errors} == {(4, "debit"), (5, "credit"), (6, "amount")}
    assert all("amount too large" in e.message for e in errors)
    assert _count(store, "fin_entry") == 0
    assert _count(store, "fin_line") == 0


def test_header_problems(store: Store, team: Team, tmp_path: Path) -> None:
    path = _write(tmp_path / "h.csv", ("entry", "date", "acount", "debit"), [["1", "x", "y", "1"]])
    with pytest.raises(ImportRejected) as caught:
        interchange.import_journal(store, team.clerk, path)
    assert {(e.row, e.field) for e in caught.value.report.errors} == {(1, "acount"), (1, "account")}
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ImportRejected, match="empty|problem"):
        interchange.import_journal(store, team.clerk, empty)


def test_bom_and_non_utf8(store: Store, team: Team, tmp_path: Path) -> None:
    rows = [
        ["1", "2026-01-05", "بيع نقدي", "1110", "100", "", "فاتورة ١", "", ""],
        ["1", "2026-01-05", "بيع نقدي", "4100", "", "100", "", "", ""],
    ]
    interchange.import_journal(
        store, team.clerk, _write(tmp_path / "bom.csv", OUR_COLUMNS, rows, True)
    )
    with store.read() as session:
        view = service.get_entry(session, team.clerk, "2026-000001")
    assert view.memo == "بيع نقدي" and view.lines[0].memo == "فاتورة ١"
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"entry,date,account,debit,credit\n1,2026-01-05,Caf\xe9,1,\n")
    with pytest.raises(ImportRejected) as caught:
        interchange.import_journal(store, team.clerk, latin1)
    assert caught.value.report.errors[0].row == 2
    assert "UTF-8" in caught.value.report.errors[0].message


def _hledger_rows(rows: list[tuple[str, str, str, str, str]]) -> list[list[str]]:
    """(txnidx, date, description, account, amount) -> full hledger CSV rows."""
    out = []
    for idx, day, description, account, amount in rows:
        signed = Decimal(amount)
        credit = str(-signed) if signed < 0 else ""
        debit = str(signed) if signed >= 0 else ""
        out.append(
            [idx, day, "", "*", "", description, "", account, amount, "SAR", credit, debit, "", ""]
        )
    return out


def test_hledger_csv_creates_missing_accounts_by_top_level_type(
    store: Store, team: Team, tmp_path: Path
) -> None:
    rows = _hledger_rows(
        [
            ("1", "2026-01-05", "opening", "assets:bank:checking", "1000.00"),
            ("1", "2026-01-05", "opening", "equity:opening balances", "-1000.00"),
            ("2", "2026-01-06", "groceries", "expenses:food:groceries", "25.50"),
            ("2", "2026-01-06", "groceries", "expenses:food:tax", "0"),
            ("2", "2026-01-06", "groceries", "assets:bank:checking", "-25.50"),
            ("3", "2026-01-07", "salary", "assets:bank:checking", "500"),
            ("3", "2026-01-07", "salary", "revenues:salary", "-500"),
        ]
    )
    path = _write(tmp_path / "hl.csv", HLEDGER_COLUMNS, rows)
    result = interchange.import_journal(store, team.clerk, path)
    assert result.file_format == "hledger" and result.entries == 3 and result.skipped_zero == 1
    with store.read() as session:
        chart = service.load_chart(session)
    kinds = {
        name: chart.get(name).type
        for name in (
            "Assets:bank:checking",
            "Equity:opening balances",
            "Expenses:food:groceries",
            "revenues",
            "revenues:salary",
        )
    }
    assert kinds == {
        "Assets:bank:checking": "asset",
        "Equity:opening balances": "equity",
        "Expenses:food:groceries": "expense",
        "revenues": "income",
        "revenues:salary": "income",
    }
    assert chart.get("revenues:salary").code.startswith("49")
    assert "revenues:salary" in result.accounts_created
    assert _balances(store, team.clerk)["Assets:bank:checking"] == Decimal("1474.50")


def test_hledger_csv_refusals(store: Store, team: Team, tmp_path: Path) -> None:
    rows = _hledger_rows(
        [
            ("1", "2026-01-05", "x", "stuff:thing", "10"),
            ("1", "2026-01-05", "x", "assets:cash", "-10"),
            ("2", "2026-01-05", "y", "assets:cash", "10"),
            ("2", "2026-01-05", "y", "equity:capital", "-10"),
        ]
    )
    rows[2][9] = "USD"
    path = _write(tmp_path / "hl.csv", HLEDGER_COLUMNS, rows)
    with pytest.raises(ImportRejected) as caught:
        interchange.import_journal(store, team.clerk, path)
    assert {(e.row, e.field) for e in caught.value.report.errors} == {
        (2, "account"),
        (4, "commodity"),
    }
    with store.read() as session:
        assert service.load_chart(session).find("Assets:cash") is None  # rolled back


def test_our_csv_export_imports_back_into_a_new_book(
    store: Store, team: Team, post: Poster, tmp_path: Path
) -> None:
    post(date(2026, 1, 5), *sale(123456), memo="=cmd|' /C calc'!A0")
    first = post(date(2026, 2, 5), ("6200", 700000, 0), ("1110", 0, 700000))
    with store.write() as session:
        service.reverse_entry(session, team.clerk, first.ref, on=date(2026, 2, 6))
    out = tmp_path / "journal.csv"
    heard: list[tuple[int, int]] = []
    with store.read() as session:
        assert (
            interchange.export_journal(
                session, team.clerk, out, fmt="csv", progress=lambda d, t: heard.append((d, t))
            )
            == 3
        )
    lines = len(out.read_text().splitlines()) - 1
    assert heard[-1] == (lines, lines) and lines >= 6  # every line written, of all there are
    assert "'=cmd" in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # the books: owner only
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    init_database(other, Identity("boadmin", "test"))
    interchange.import_journal(other, team.admin, out)
    assert _balances(other, team.admin) == _balances(store, team.clerk)
    with other.read() as session:
        assert service.get_entry(session, team.admin, "2026-000001").memo.startswith("=cmd")


def _hledger_balances(journal: Path, end: date = END) -> dict[str, Decimal]:
    """hledger's own balances at the end of ``end`` (its -e date is exclusive)."""
    assert HLEDGER is not None
    until = end + timedelta(days=1)
    out = subprocess.run(
        [HLEDGER, "-f", str(journal), "bal", "--flat", "-N", "-O", "csv", "-e", str(until)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = list(csv.reader(out.splitlines()))[1:]
    return {name: Decimal(amount.split()[0]) for name, amount in rows if amount.split()[0] != "0"}


@needs_hledger
def test_hledger_reads_our_export_and_its_balances_equal_ours(
    store: Store, team: Team, post: Poster, tmp_path: Path
) -> None:
    post(date(2026, 1, 5), ("1110", 5_000_000, 0), ("3100", 0, 5_000_000), memo="capital; paid in")
    post(date(2026, 1, 6), *sale(1_000_001), memo="sale | Al Safa")
    posted = post(date(2026, 2, 7), ("6200", 33_333, 0), ("1140", 0, 33_333), memo="rent\nFeb")
    with store.write() as session:
        service.reverse_entry(session, team.clerk, posted.ref)
        service.create_draft(session, team.clerk, _entry_draft())
    journal = tmp_path / "books.journal"
    with store.read() as session:
        interchange.export_journal(session, team.clerk, journal)
    assert HLEDGER is not None
    check = subprocess.run(
        [HLEDGER, "-f", str(journal), "check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    for day in (date(2026, 1, 5), date(2026, 2, 6), END):
        assert _hledger_balances(journal, day) == _balances(store, team.clerk, day)


def _entry_draft() -> service.EntryCreate:
    from tests.unit.finance.conftest import entry

    return entry(date(2026, 3, 1), *sale(99))


@needs_hledger
def test_hledger_print_csv_of_our_export_round_trips(
    store: Store, team: Team, post: Poster, tmp_path: Path
) -> None:
    post(date(2026, 1, 5), ("1110", 5_000_000, 0), ("3100", 0, 5_000_000))
    post(date(2026, 3, 6), *sale(77_777))
    journal = tmp_path / "books.journal"
    with store.read() as session:
        interchange.export_journal(session, team.clerk, journal)
    assert HLEDGER is not None
    exported = subprocess.run(
        [HLEDGER, "-f", str(journal), "print", "-O", "csv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    csv_file = tmp_path / "print.csv"
    csv_file.write_text(exported)
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    init_database(other, Identity("boadmin", "test"))
    result = interchange.import_journal(other, team.admin, csv_file)
    assert result.file_format == "hledger" and result.accounts_created == []
    assert _balances(other, team.admin) == _balances(store, team.clerk)


def test_entry_lines_from_csv(store: Store, team: Team) -> None:
    from bo_console.core.money import Currency

    lines = interchange.read_entry_lines(
        TEMPLATE.with_name("finance-entry-lines-template.csv"), Currency.of("SAR")
    )
    assert [(x.account, x.debit, x.credit) for x in lines] == [
        ("6230", 45000, 0),
        ("1430", 6750, 0),
        ("1150", 0, 51750),
    ]
    with pytest.raises(ValidationFailed):
        interchange.import_journal(store, team.clerk, TEMPLATE, fmt="ledger")


def _many_entries(count: int, memo_every: int = 0) -> list[list[str]]:
    """``count`` entries of two to four lines over two years' turn (2025-12 to 2026-01)."""
    rows = []
    day = date(2025, 12, 28)
    accounts = ["1110", "4100", "6200", "1140"]
    for index in range(count):
        if index and index % 7 == 0:
            day += timedelta(days=1)
        width = 2 + index % 3
        amount = 1000 + index
        memo = f"m{index}" if memo_every and index % memo_every == 0 else ""
        key, iso = str(index + 1), day.isoformat()
        rows.append([key, iso, f"e{index}", accounts[0], f"{amount * width}.00", "", memo, "", ""])
        parts = [amount] * (width - 2) + [amount * 2]
        for account, credit in zip(accounts[1:width], parts, strict=True):
            rows.append([key, iso, "", account, "", f"{credit}.00", "", "", ""])
    return rows


@pytest.mark.parametrize("memo_every", [0, 5])
def test_a_file_of_many_chunks_and_statements_lands_whole(
    store: Store, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo_every: int
) -> None:
    """Chunks and statements far smaller than the file: every line lands once, numbers run
    on without gaps across the new year, and the monthly balances equal the lines."""
    from bo_console.finance.checks import ledger_checks

    monkeypatch.setattr(interchange.importer, "ENTRIES_PER_CHUNK", 23)
    monkeypatch.setattr(interchange.bulk_writer, "ROWS_PER_STATEMENT", 8)
    before = _write(
        tmp_path / "first.csv",
        OUR_COLUMNS,
        [
            ["a", "2026-01-02", "", "1110", "1.00", "", "", "", ""],
            ["a", "2026-01-02", "", "4100", "", "1.00", "", "", ""],
        ],
    )
    interchange.import_journal(store, team.clerk, before)
    rows = _many_entries(200, memo_every)
    path = _write(tmp_path / "many.csv", OUR_COLUMNS, rows)
    result = interchange.import_journal(store, team.clerk, path)
    assert (result.entries, result.lines) == (200, len(rows))
    assert (result.first, result.last) == ("2025-000001", "2026-000173")
    with store.read() as session:
        assert all(r.ok for r in ledger_checks(session)), ledger_checks(session)
        numbers = session.execute(
            text("SELECT year, COUNT(*), MAX(number) FROM fin_entry GROUP BY year ORDER BY year")
        ).all()
        lines = session.execute(
            text(
                "SELECT e.memo, l.line_no, l.memo, l.debit, l.credit FROM fin_entry e "
                "JOIN fin_line l ON l.entry_id = e.id WHERE e.memo = 'e10' ORDER BY l.line_no"
            )
        ).all()
    assert [tuple(r) for r in numbers] == [(2025, 28, 28), (2026, 173, 173)]
    memo = "m10" if memo_every else ""
    assert [tuple(r) for r in lines] == [
        ("e10", 1, memo, 3030_00, 0),
        ("e10", 2, "", 0, 1010_00),
        ("e10", 3, "", 0, 2020_00),
    ]
    assert _count(store, "fin_line") == len(rows) + 2


def test_a_bad_row_late_in_a_large_file_writes_nothing(
    store: Store, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interchange.importer, "ENTRIES_PER_CHUNK", 23)
    monkeypatch.setattr(interchange.bulk_writer, "ROWS_PER_STATEMENT", 8)
    rows = _many_entries(200)
    rows[-1][3] = "9999"
    path = _write(tmp_path / "late.csv", OUR_COLUMNS, rows)
    with pytest.raises(ImportRejected) as caught:
        interchange.import_journal(store, team.clerk, path)
    assert [(e.row, e.field) for e in caught.value.report.errors] == [(len(rows) + 1, "account")]
    assert (
        _count(store, "fin_entry"),
        _count(store, "fin_line"),
        _count(store, "fin_balance"),
    ) == (
        0,
        0,
        0,
    )


@pytest.mark.parametrize(
    ("text_amount", "minor"),
    [("12.34", 1234), ("0.05", 5), ("7", 700), ("7.5", 750), ("1,234.50", 123450)],
)
def test_amounts_are_exact_minor_units(
    store: Store, team: Team, tmp_path: Path, text_amount: str, minor: int
) -> None:
    rows = [
        ["1", "2026-01-05", "", "1110", text_amount, "", "", "", ""],
        ["1", "2026-01-05", "", "4100", "", text_amount, "", "", ""],
    ]
    interchange.import_journal(store, team.clerk, _write(tmp_path / "a.csv", OUR_COLUMNS, rows))
    with store.read() as session:
        debit = session.execute(text("SELECT debit FROM fin_line WHERE line_no = 1")).scalar_one()
    assert debit == minor


@pytest.mark.parametrize("rows", [0, 1, 7, 8, 9, 23, 64])
def test_batches_cover_every_row_once_in_a_few_sizes(rows: int) -> None:
    flat = list(range(rows * 3))
    batches = list(interchange._batches(flat, 3, 8))
    assert [value for _, values in batches for value in values] == flat
    assert all(len(values) == size * 3 for size, values in batches)
    assert {size for size, _ in batches} <= {8, 4, 2, 1}


def test_plain_lines_widen_and_regroup() -> None:
    plain = [1, 1, 17, "2026-01-05", 100, 0, 1, 2, 18, "2026-01-05", 0, 100]
    wide = interchange._widen(plain)
    assert interchange._rows(wide, interchange.LINE_WIDTH) == [
        (1, 1, 17, "2026-01-05", 100, 0, "", None, None),
        (1, 2, 18, "2026-01-05", 0, 100, "", None, None),
    ]


def test_other_databases_get_whole_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without SQLite's writer thread, a chunk goes to the draft -> posted path as rows."""
    writer = object.__new__(interchange._Writer)
    writer.thread, writer.error, writer.stamp, writer.login = None, None, "now", "omar"
    written: list[tuple[list[tuple[object, ...]], list[tuple[object, ...]]]] = []
    monkeypatch.setattr(
        writer, "_write_core", lambda lines, entries: written.append((lines, entries))
    )
    entries = [5, 2026, 1, "2026-01-05", "sale", 100]
    writer.put(interchange.Chunk([5, 1, 17, "2026-01-05", 100, 0], entries, plain=True))
    full = [5, 2, 18, "2026-01-05", 0, 100, "memo", "S15", "CC"]
    writer.put(interchange.Chunk(full, entries, plain=False))
    assert written[0] == (
        [(5, 1, 17, "2026-01-05", 100, 0, "", None, None)],
        [(5, 2026, 1, "2026-01-05", "sale", 100, "now", "omar", "now", "omar")],
    )
    assert written[1][0] == [tuple(full)]


def test_the_switch_interval_is_short_only_while_the_writer_runs(
    store: Store, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    seen: list[float] = []
    write = interchange._Writer._write_sqlite

    def spy(self: interchange._Writer, chunk: interchange.Chunk) -> None:
        seen.append(sys.getswitchinterval())
        write(self, chunk)

    monkeypatch.setattr(interchange._Writer, "_write_sqlite", spy)
    before = sys.getswitchinterval()
    interchange.import_journal(store, team.clerk, TEMPLATE, own_process=True)
    assert seen == [pytest.approx(interchange.SWITCH_INTERVAL_S)]
    assert sys.getswitchinterval() == before


def test_an_import_inside_the_console_leaves_the_switch_interval_alone(
    store: Store, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console calls the importer without ``own_process``: its interpreter-wide thread
    switch interval is the same before, during and after the import."""
    import sys

    seen: list[float] = []
    write = interchange._Writer._write_sqlite

    def spy(self: interchange._Writer, chunk: interchange.Chunk) -> None:
        seen.append(sys.getswitchinterval())
        write(self, chunk)

    monkeypatch.setattr(interchange._Writer, "_write_sqlite", spy)
    before = sys.getswitchinterval()
    assert before > interchange.SWITCH_INTERVAL_S
    interchange.import_journal(store, team.clerk, TEMPLATE)
    assert seen == [before]
    assert sys.getswitchinterval() == before


def test_import_reports_its_progress_by_lines(store: Store, team: Team) -> None:
    seen: list[tuple[int, int]] = []
    interchange.import_journal(
        store, team.clerk, TEMPLATE, progress=lambda done, total: seen.append((done, total))
    )
    lines = TEMPLATE.read_bytes().count(b"\n")
    assert seen[0] == (0, lines) and seen[-1] == (lines, lines)


def test_an_hledger_journal_posting_to_group_accounts_imports_with_its_balances(
    store: Store, team: Team, tmp_path: Path
) -> None:
    """Item 5: `assets:receivables` is a group in the seeded chart; hledger posts to it."""
    journal = [
        ("1", "2026-01-05", "capital", "assets:bank", "10000.00"),
        ("1", "2026-01-05", "capital", "equity:capital", "-10000.00"),
        ("2", "2026-01-06", "sale on credit", "assets:receivables", "1150.00"),
        ("2", "2026-01-06", "sale on credit", "income:sales", "-1000.00"),
        ("2", "2026-01-06", "sale on credit", "liabilities:vat", "-150.00"),
        ("3", "2026-01-20", "collected", "assets:bank", "700.33"),
        ("3", "2026-01-20", "collected", "assets:receivables", "-700.33"),
        ("4", "2026-02-01", "rent", "expenses:rent", "333.34"),
        ("4", "2026-02-01", "rent", "assets:bank", "-333.34"),
    ]
    path = _write(tmp_path / "hl.csv", HLEDGER_COLUMNS, _hledger_rows(journal))
    result = interchange.import_journal(store, team.clerk, path)
    assert result.entries == 4
    # hledger's balance of an account includes its sub-accounts; computed here from the
    # journal itself (hledger need not be installed)
    expected: dict[str, Decimal] = {}
    for _, _, _, account, amount in journal:
        parts = account.split(":")
        for depth in range(1, len(parts) + 1):
            name = ":".join(parts[:depth])
            expected[name] = expected.get(name, Decimal(0)) + Decimal(amount)
    with store.read() as session:
        for name, total in expected.items():
            shown = service.account_balance(session, team.clerk, name, as_of=date(2026, 12, 31))
            assert (name, shown) == (name, total)
