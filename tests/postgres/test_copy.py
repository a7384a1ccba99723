"""`bo db copy --to postgresql://...`: a SQLite store moved to PostgreSQL whole and verified,
or not at all."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import inspect, text

from bo_console import departments
from bo_console.cli import run
from bo_console.core import security, store_copy
from bo_console.core.db import Store
from bo_console.core.security import Actor, Identity
from bo_console.finance import service as finance
from bo_console.finance.models import EntryCreate, LineCreate
from tests.conftest import ADMIN_LOGIN
from tests.unit.finance.documents_helpers import add_parties, doc
from tests.unit.hr.factories import add_employee, setup_org


def _entry(amount: int) -> EntryCreate:
    return EntryCreate(
        date=date(2026, 3, 2),
        memo="copied",
        lines=[
            LineCreate(account="1110", debit=amount, credit=0),
            LineCreate(account="4100", debit=0, credit=amount),
        ],
    )


@pytest.fixture
def books(store: Store, admin: Actor) -> Store:
    """A SQLite store with posted entries, an invoice, employees and their audit rows."""
    with store.write() as session:
        add_parties(session, admin)
        doc(session, admin)
        finance.post_entry(session, admin, _entry(12_345))
    setup_org(store, admin)
    add_employee(store, admin, "Sara Haddad")
    add_employee(store, admin, "Omar Saleh", n=2)
    return store


def _bo(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["--db", url, "-v", *args])
    return code, capsys.readouterr().err


def _rows(store: Store, sql: str) -> list[Any]:
    with store.read() as session:
        return [tuple(map(str, r)) for r in session.execute(text(sql))]


def test_copy_moves_everything_and_the_copy_works(
    books: Store, pg_empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _bo(books.url, "db", "copy", "--to", pg_empty_url, capsys=capsys)
    assert code == 0, err
    assert "verified" in err
    target = Store(pg_empty_url)
    target.ensure_usable()
    for sql in (
        "SELECT count(*) FROM audit_event",
        "SELECT number, date, state, total FROM fin_entry ORDER BY id",
        "SELECT number, manager_id, hire_date FROM hr_employee ORDER BY id",
        "SELECT employee_id, base_salary, iban FROM hr_employee_private ORDER BY 1",
    ):
        assert _rows(target, sql) == _rows(books, sql), sql
    with target.write() as session:
        admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
        entry = finance.post_entry(session, admin, _entry(1))
    assert entry.number == 3  # the numbering and the ids go on from the copied rows
    failed = [r for r in departments.check_store(target, admin) if not r.ok]
    assert not failed, failed
    code, err = _bo(books.url, "db", "copy", "--to", pg_empty_url, capsys=capsys)
    assert code == 1 and "already holds" in err


def test_a_copy_that_does_not_verify_leaves_the_target_empty(
    books: Store,
    pg_empty_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = store_copy._trial_balance

    def tampered(conn: Any) -> list[tuple[Any, ...]]:
        calls.append(1)
        rows = real(conn)
        return rows if len(calls) == 1 else rows[1:]  # the target's differs

    monkeypatch.setattr(store_copy, "_trial_balance", tampered)
    code, err = _bo(books.url, "db", "copy", "--to", pg_empty_url, capsys=capsys)
    assert code == 5, err
    assert "nothing was copied" in err and err.count("\n") == 1
    target = Store(pg_empty_url)
    with target.engine.connect() as conn:
        assert inspect(conn).get_table_names() == []


def test_copy_refuses_a_sqlite_target(
    books: Store, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _bo(books.url, "db", "copy", "--to", f"sqlite:///{tmp_path}/x.db", capsys=capsys)
    assert code == 1 and "postgresql://" in err
