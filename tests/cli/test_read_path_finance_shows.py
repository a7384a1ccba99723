"""Finance's show and report commands read through a plain ``sqlite3`` Reader: one document,
payment, note or party, the parties export, the month-end checklist, the bank reconciliation,
the month's bank status, the suggestions for a statement line and a customer's statement load
neither SQLAlchemy nor SQLModel, and no module of the program imports pydantic."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance.document_view import DocumentView
from tests.cli.conftest import Bo
from tests.cli.guard import Guarded, guarded_runs
from tests.conftest import SeedOnce

TEMPLATE = Path(__file__).resolve().parents[2] / "data" / "finance-parties-template.csv"

COMMANDS = [
    ("finance", "invoices", "show", "INV-2026-00001"),
    ("finance", "invoices", "show", "#1", "-f", "json"),
    ("finance", "invoices", "show", "CN-2026-00001", "-f", "csv"),
    ("finance", "bills", "show", "BILL-2026-00001", "-f", "json"),
    ("finance", "payments", "show", "RCPT-2026-00001"),
    ("finance", "payments", "show", "#1", "-f", "csv"),
    ("finance", "note", "show", "CRN-2026-00001"),
    ("finance", "note", "show", "#1", "-f", "json"),
    ("finance", "parties", "show", "C0101"),
    ("finance", "parties", "show", "#1", "-f", "json"),
    ("finance", "parties", "export"),
    ("finance", "parties", "export", "-f", "json"),
    ("finance", "period", "checklist", "2026-03"),
    ("finance", "period", "checklist", "2026-02", "-f", "json"),
    ("finance", "bank", "report", "SNB", "--as-of", "2026-03-31"),
    ("finance", "bank", "report", "snb", "--as-of", "2026-03-25", "-f", "json"),
    ("finance", "bank", "month", "2026-03"),
    ("finance", "bank", "month", "2026-04", "-f", "json"),
    ("finance", "bank", "suggest", "1"),
    ("finance", "bank", "suggest", "2", "-f", "csv"),
    ("finance", "documents", "statement", "C0101", "-o", "{tmp}/c0101.pdf", "--from", "2026-03-01"),
]
REFUSED = [
    # A refusal is read the same way: the record is looked up through the Reader.
    ("finance", "invoices", "show", "BILL-2026-00001"),
    ("finance", "invoices", "show", "INV-2099-00001"),
    ("finance", "bills", "show", "#99999", "-f", "json"),
    ("finance", "payments", "show", "PAY-2099-00001"),
    ("finance", "note", "show", "CRN-2099-00001"),
    ("finance", "parties", "show", "NOPE"),
    ("finance", "bank", "report", "NOPE"),
    ("finance", "bank", "suggest", "99"),
    ("finance", "documents", "statement", "NOPE", "-o", "{tmp}/nope.pdf"),
]


def ok(bo: Bo, *args: str) -> str:
    code, out, err = bo(*args)
    assert code == 0, err
    return out


@pytest.fixture
def books(
    bo: Bo,
    store: Store,
    make_user: Callable[..., Actor],
    as_os_user: Callable[[str], None],
    tmp_path: Path,
    seed_once: SeedOnce,
) -> Store:
    seed_once(
        "cli/read_path_finance_shows:books",
        lambda: _seed_books(bo, make_user, as_os_user, tmp_path),
    )
    return store


def _seed_books(
    bo: Bo, make_user: Callable[..., Actor], as_os_user: Callable[[str], None], tmp_path: Path
) -> None:
    """INV-2026-00001 (C0101) paid by RCPT-2026-00001 and credited by CRN-2026-00001,
    INV-2026-00002 voided by CN-2026-00001, BILL-2026-00001 (S0201) open; entered by omar
    (clerk) and layla (manager); SNB's statement of March with the receipt (line 1) and a fee
    (line 2), neither reconciled."""
    make_user("omar", "finance-clerk")
    make_user("layla", "finance-manager")
    as_os_user("omar")
    ok(bo, "finance", "parties", "import", str(TEMPLATE))
    for day in ("2026-03-10", "2026-03-11"):
        ok(
            bo, "finance", "invoices", "add", "-p", "C0101", "-d", day,
            "-l", "Nitrile gloves|10|45.50|S15", "-l", "Boxes|2.5|3|S15", "--post", "--yes",
        )  # fmt: skip
    ok(
        bo, "finance", "bills", "add", "-p", "S0201", "-d", "2026-03-12", "--ref", "GP-1",
        "-l", "Boxes|100|10|S15|1310", "--post", "--yes",
    )  # fmt: skip
    ok(
        bo, "finance", "payments", "receive", "-p", "C0101", "-d", "2026-03-20",
        "--amount", "531.88", "--apply", "INV-2026-00001", "--yes",
    )  # fmt: skip
    ok(
        bo, "finance", "note", "credit", "INV-2026-00001", "-l", "1|2", "-d", "2026-03-25",
        "--reason", "2 boxes returned", "--yes",
    )  # fmt: skip
    as_os_user("layla")
    ok(bo, "finance", "invoices", "void", "INV-2026-00002", "-d", "2026-03-21", "--yes")
    as_os_user("boadmin")
    ok(bo, "finance", "bank", "accounts", "add", "SNB", "Saudi National Bank", "--account", "1110")
    statement = tmp_path / "snb.csv"
    statement.write_text(
        "Date,Text,Amount\n2026-03-21,RCPT-2026-00001 deposit,531.88\n"
        "2026-03-31,SERVICE FEE,-15.00\n",
        encoding="utf-8",
    )
    mapping = ["--map", "date=Date", "--map", "text=Text", "--map", "amount=Amount"]
    ok(bo, "finance", "bank", "import", "SNB", str(statement), *mapping)


# One worker runs them all: spread over four, each worker ran every batch.
pytestmark = pytest.mark.xdist_group("read-path-finance-shows")

_SHOWS_READ: dict[tuple[str, ...], Guarded] = {}
"""Each show below as the guard found it (the seeded books are the same for every test, so one
batch serves them all; the module's tests run on one worker, so the batch runs once)."""


@pytest.fixture
def shows_read(books: Store) -> dict[tuple[str, ...], Guarded]:
    if not _SHOWS_READ:
        assert books.path is not None
        commands = COMMANDS + REFUSED
        out = [tuple(a.replace("{tmp}", str(books.path.parent)) for a in c) for c in commands]
        _SHOWS_READ.update(zip(commands, guarded_runs(books.url, out), strict=True))
    return _SHOWS_READ


@pytest.mark.parametrize(
    ("args", "code"),
    [(a, "0") for a in COMMANDS] + [(a, "1") for a in REFUSED],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else f"exit {v}",
)
def test_a_show_reads_without_sqlalchemy_or_pydantic(
    shows_read: dict[tuple[str, ...], Guarded], args: tuple[str, ...], code: str
) -> None:
    result = shows_read[args]
    assert result.code == code, result
    if code == "1":
        assert "bo: not found" in result.stderr, result
    assert result.found == "[]", result.found


@pytest.mark.both_stores
def test_the_same_shows_run_on_both_stores(bo: Bo, books: Store, tmp_path: Path) -> None:
    """The SQL text of each read is the same on PostgreSQL, where the Reader wraps a session."""
    for args in COMMANDS:
        code, _, err = bo(*(a.replace("{tmp}", str(tmp_path)) for a in args))
        assert code == 0, (args, err)
    assert (tmp_path / "c0101.pdf").read_bytes().startswith(b"%PDF")
    for args in REFUSED:
        code, _, err = bo(*(a.replace("{tmp}", str(tmp_path)) for a in args))
        assert code == 1 and err.startswith("bo: not found"), (args, err)
    invoice = json.loads(ok(bo, "finance", "invoices", "show", "INV-2026-00001", "-f", "json"))
    assert (invoice["status"], invoice["total"], invoice["entry"]) == (
        "paid",
        "531.88",
        "2026-000001",
    )
    assert [(x["quantity"], x["net"]) for x in invoice["lines"]] == [
        ("10", "455.00"),
        ("2.5", "7.50"),
    ]
    assert invoice["allocations"] == [
        {"payment": "RCPT-2026-00001", "date": "2026-03-20", "amount": "531.88", "status": "posted"}
    ]
    voided = json.loads(ok(bo, "finance", "invoices", "show", "INV-2026-00002", "-f", "json"))
    assert (voided["status"], voided["voided_by"]) == ("void", "CN-2026-00001")
    note = json.loads(ok(bo, "finance", "invoices", "show", "CN-2026-00001", "-f", "json"))
    assert (note["kind"], note["voids"], note["open"]) == ("credit_note", "INV-2026-00002", "0.00")
    payment = json.loads(ok(bo, "finance", "payments", "show", "RCPT-2026-00001", "-f", "json"))
    assert (payment["allocated"], payment["unallocated"]) == ("531.88", "0.00")
    assert payment["allocations"] == [
        {"document": "INV-2026-00001", "document_date": "2026-03-10", "date": "2026-03-20",
         "amount": "531.88"}
    ]  # fmt: skip
    note = json.loads(ok(bo, "finance", "note", "show", "CRN-2026-00001", "-f", "json"))
    assert (note["original"], note["total"], note["left"], note["entry"]) == (
        "INV-2026-00001", "104.65", "104.65", "2026-000005",
    )  # fmt: skip
    assert [(x["original_line"], x["quantity"]) for x in note["lines"]] == [(1, "2")]
    party = json.loads(ok(bo, "finance", "parties", "show", "S0201", "-f", "json"))
    assert (party["role"], party["payable"], party["receivable"]) == ("supplier", "1150.00", "0.00")
    exported = json.loads(ok(bo, "finance", "parties", "export", "-f", "json"))
    assert {"C0101", "S0201"} <= {row["code"] for row in exported}
    checklist = json.loads(ok(bo, "finance", "period", "checklist", "2026-03", "-f", "json"))
    problems = {row["item"]: row["problems"] for row in checklist}
    assert problems["order"] == "" and problems["drafts"] == ""
    assert (
        problems["bank"]
        == "bank account SNB: 2 statement lines open (bo finance bank month 2026-03)"
    )
    month = json.loads(ok(bo, "finance", "bank", "month", "2026-03", "-f", "json"))
    assert month == [{"bank": "SNB", "reconciled": False, "reason": "2 statement lines open"}]
    report = json.loads(
        ok(bo, "finance", "bank", "report", "SNB", "--as-of", "2026-03-31", "-f", "json")
    )
    balances = {r["text"]: r["amount"] for r in report if r["section"] == "balance"}
    assert balances["Difference"] == "0.00"
    suggested = json.loads(ok(bo, "finance", "bank", "suggest", "1", "-f", "json"))
    assert [(s["reference"], s["same_reference"], s["days_apart"]) for s in suggested] == [
        ("RCPT-2026-00001", True, 1)
    ]


@pytest.mark.both_stores
def test_a_reader_and_a_session_give_the_same_answers(books: Store) -> None:
    """Each read service answers the same through a Reader (the commands) and through a
    unit of work's session (the screens)."""
    from datetime import date

    from bo_console.core import security
    from bo_console.finance import bank, parties, printing
    from bo_console.finance.close_checklist import checklist
    from bo_console.finance.document_view import read_document
    from bo_console.finance.notes import get_note
    from bo_console.finance.payment_view import read_payment

    def answers(db: Any) -> list[object]:
        actor = security.sign_in(db)
        return [
            read_document(db, actor, "INV-2026-00001"),
            read_document(db, actor, "#2", ("invoice", "credit_note")),
            read_document(db, actor, "CN-2026-00001"),
            read_document(db, actor, "BILL-2026-00001"),
            read_payment(db, actor, "RCPT-2026-00001"),
            get_note(db, actor, "CRN-2026-00001"),
            parties.get_party(db, actor, "C0101"),
            parties.export_rows(db, actor),
            checklist(db, actor, "2026-03"),
            bank.reconciliation(db, actor, "SNB", date(2026, 3, 31)),
            bank.bank_accounts_reconciled(db, actor, "2026-03"),
            bank.suggestions(db, actor, 1),
            printing.statement_lines(db, actor, "C0101", date(2026, 3, 1), date(2026, 3, 31)),
        ]

    with books.reading() as reader:
        through_reader = answers(reader)
    with books.read() as session:
        through_session = answers(session)
    assert through_reader == through_session
    invoice = through_reader[0]
    assert isinstance(invoice, DocumentView) and invoice.created_at.tzinfo is not None
