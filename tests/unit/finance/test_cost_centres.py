"""Cost centres as a list (F9): lines pick from it, the database refuses an unknown code,
departments' postings register their own, and the income statement by cost centre."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance import cost_centres, reports, service
from bo_console.finance.cost_centre_models import CostCentreCreate
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.finance.report_tables import income_statement_table
from tests.unit.finance.conftest import Team

D = date(2026, 3, 10)


def _entry(*lines: tuple[str, int, int, str | None], source: str = "manual") -> EntryCreate:
    return EntryCreate(
        date=D,
        memo="test",
        source=source,
        source_ref="run:1" if source != "manual" else None,
        lines=[LineCreate(account=a, debit=d, credit=c, cost_centre=cc) for a, d, c, cc in lines],
    )


@pytest.fixture
def centres(store: Store, team: Team) -> Store:
    with store.write() as session:
        for code, name in (("OPS", "Operations"), ("SALES", "Sales team")):
            cost_centres.add_cost_centre(
                session, team.manager, CostCentreCreate(code=code, name=name, department="HQ")
            )
    return store


def test_the_list_is_kept_by_finance_managers(centres: Store, team: Team) -> None:
    with centres.write() as session:
        with pytest.raises(PermissionDenied):
            cost_centres.add_cost_centre(session, team.clerk, CostCentreCreate(code="X", name="X"))
        with pytest.raises(RuleViolation, match="exists"):
            cost_centres.add_cost_centre(
                session, team.manager, CostCentreCreate(code="OPS", name="Again")
            )
        with pytest.raises(ValueError):
            CostCentreCreate(code="A B", name="spaced")
        found = cost_centres.update_cost_centre(session, team.manager, "OPS", active=False)
        assert not found.active
    with centres.read() as session:
        listed = cost_centres.list_cost_centres(session, team.auditor)
        active = cost_centres.list_cost_centres(session, team.auditor, include_inactive=False)
        with pytest.raises(NotFound):
            cost_centres.get_cost_centre(session, team.auditor, "NOPE")
        audited = session.execute(
            text("SELECT count(*) FROM audit_event WHERE entity = 'cost_centre'")
        ).scalar_one()
    assert [c.code for c in listed] == ["OPS", "SALES"]
    assert [c.code for c in active] == ["SALES"]
    assert audited == 3


def test_lines_pick_from_the_list(centres: Store, team: Team) -> None:
    with centres.write() as session:
        with pytest.raises(ValidationFailed, match="no cost centre 'NOPE'"):
            service.post_entry(
                session, team.clerk, _entry(("6200", 100, 0, "NOPE"), ("1110", 0, 100, None))
            )
        entry = service.post_entry(
            session, team.clerk, _entry(("6200", 100, 0, "OPS"), ("1110", 0, 100, None))
        )
        cost_centres.update_cost_centre(session, team.manager, "OPS", active=False)
        with pytest.raises(RuleViolation, match="inactive"):
            service.post_entry(
                session, team.clerk, _entry(("6200", 100, 0, "OPS"), ("1110", 0, 100, None))
            )
        # A reversal of a line on a centre since deactivated still posts.
        service.reverse_entry(session, team.manager, entry.ref, on=D, memo="undo")


def test_a_department_posting_registers_its_own_unit(centres: Store, team: Team) -> None:
    with centres.write() as session:
        service.post_entry(
            session,
            team.admin,
            _entry(("6100", 500, 0, "WAREHOUSE"), ("2300", 0, 500, None), source="payroll"),
            permission="finance.post",
        )
        found = cost_centres.get_cost_centre(session, team.auditor, "WAREHOUSE")
    assert (found.name, found.department, found.active) == ("WAREHOUSE", "payroll", True)


def test_the_database_refuses_an_unknown_code(centres: Store, team: Team) -> None:
    with centres.write() as session:
        service.post_entry(
            session, team.clerk, _entry(("6200", 100, 0, "OPS"), ("1110", 0, 100, None))
        )
    assert centres.path is not None
    conn = sqlite3.connect(centres.path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="no such cost centre"):
            conn.execute(
                "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo, "
                "cost_centre) VALUES (1, 9, 1, '2026-03-10', 1, 0, '', 'GHOST')"
            )
        with pytest.raises(sqlite3.IntegrityError, match="lines use this cost centre"):
            conn.execute("DELETE FROM fin_cost_centre WHERE code = 'OPS'")
        with pytest.raises(sqlite3.IntegrityError, match="lines use this cost centre"):
            conn.execute("UPDATE fin_cost_centre SET code = 'OPS2' WHERE code = 'OPS'")
        conn.execute("DELETE FROM fin_cost_centre WHERE code = 'SALES'")  # unused: may go
    finally:
        conn.close()


def test_income_statement_by_cost_centre(centres: Store, team: Team) -> None:
    with centres.write() as session:
        for lines in (
            (("1110", 1_000, 0, None), ("4100", 0, 1_000, "SALES")),
            (("6200", 300, 0, "OPS"), ("1110", 0, 300, None)),
            (("6300", 200, 0, "SALES"), ("1110", 0, 200, None)),
        ):
            service.post_entry(session, team.clerk, _entry(*lines))
    with centres.read() as session:
        whole = reports.income_statement(session, team.auditor, D, D)
        sales = reports.income_statement(session, team.auditor, D, D, cost_centre="SALES")
        ops = reports.income_statement(session, team.auditor, D, D, cost_centre="OPS")
        with pytest.raises(NotFound):
            reports.income_statement(session, team.auditor, D, D, cost_centre="NOPE")
    assert whole.net_income == Decimal("5.00")
    assert (sales.total_income, sales.total_expense, sales.net_income) == (
        Decimal("10.00"), Decimal("2.00"), Decimal("8.00"))  # fmt: skip
    assert [r.code for r in ops.rows] == ["6200"] and ops.net_income == Decimal("-3.00")
    assert "cost centre SALES" in income_statement_table(sales).title
