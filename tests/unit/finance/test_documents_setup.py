"""Tax codes seeded at init and by the migration for older databases; the migration goes down
and up again; the receivables and payables demo is consistent and the same every time."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from bo_console.core import migrate
from bo_console.core.db import Store, create_sqlite_file
from bo_console.core.security import Actor
from bo_console.demo import DEMO_DATE
from bo_console.finance import aging, chart, tax
from bo_console.finance.checks import ledger_checks
from bo_console.finance.document_checks import document_checks

SEEDED = [
    ("E", "exempt", 0, None, None),
    ("IMP15", "standard", 1500, "2210", "1430"),
    ("RC15", "standard", 1500, "2210", "1430"),
    ("S15", "standard", 1500, "2210", "1430"),
    ("Z", "zero", 0, None, None),
    ("ZX", "zero", 0, None, None),
]


def _codes(store: Store) -> list[tuple[object, ...]]:
    with store.read() as session:
        rows = session.execute(
            text(
                "SELECT t.code, t.category, t.rate_bp, o.code, i.code FROM fin_tax_code t "
                "LEFT JOIN fin_account o ON o.id = t.output_account_id "
                "LEFT JOIN fin_account i ON i.id = t.input_account_id ORDER BY t.code"
            )
        ).all()
    return [tuple(r) for r in rows]


def test_init_seeds_the_tax_codes(store: Store, admin: Actor) -> None:
    assert _codes(store) == SEEDED
    with store.read() as session:
        views = tax.list_tax_codes(session, admin)
    assert [(v.code, str(v.rate), v.treatment) for v in views] == [
        ("E", "0.00", "domestic"),
        ("IMP15", "15.00", "import"),
        ("RC15", "15.00", "reverse_charge"),
        ("S15", "15.00", "domestic"),
        ("Z", "0.00", "domestic"),
        ("ZX", "0.00", "export"),
    ]


def test_the_migration_seeds_an_older_database_and_goes_down_and_up(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    assert store.path is not None
    create_sqlite_file(store.path, 0o600)
    cfg = migrate.alembic_config(store.url)
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    with store.write() as session:
        chart.seed(session)
    migrate.upgrade(store)
    assert _codes(store) == SEEDED
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
        left = conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE name LIKE 'fin_document%' "
                "OR name LIKE 'fin_payment%' OR name LIKE 'fin_allocation%' "
                "OR name IN ('fin_party', 'fin_tax_code')"
            )
        ).all()
    assert left == []
    migrate.upgrade(store)
    assert _codes(store) == SEEDED


def test_the_demo_books_agree_everywhere_and_do_not_change(demo: Store, demo_admin: Actor) -> None:
    with demo.read() as session:
        assert all(r.ok for r in document_checks(session))
        assert all(r.ok for r in ledger_checks(session))
        counts = {
            (str(k), str(s)): int(n)
            for k, s, n in session.execute(
                text("SELECT kind, status, count(*) FROM fin_document GROUP BY kind, status")
            ).all()
        }
        voided = session.execute(
            text("SELECT count(*) FROM fin_payment WHERE status = 'void'")
        ).scalar_one()
        names = [str(n) for (n,) in session.execute(text("SELECT name FROM fin_party")).all()]
        receivables = aging.aged(session, demo_admin, "receivables", DEMO_DATE)
        payables = aging.aged(session, demo_admin, "payables", DEMO_DATE)
        returns = [tax.vat_return(session, demo_admin, f"2026-{m:02d}") for m in range(1, 12)]
        controls = dict(
            session.execute(
                text(
                    "SELECT a.code, SUM(l.debit) - SUM(l.credit) FROM fin_line l "
                    "JOIN fin_account a ON a.id = l.account_id "
                    "WHERE a.code IN ('1210', '2110') GROUP BY a.code"
                )
            ).all()
        )
        invoiced = session.execute(
            text("SELECT SUM(total) FROM fin_document WHERE kind = 'invoice'")
        ).scalar_one()
    assert counts[("invoice", "draft")] == counts[("bill", "draft")] == 1
    assert counts[("invoice", "void")] == counts[("credit_note", "posted")] == 1
    assert counts[("invoice", "paid")] > 40 and counts[("invoice", "partly_paid")] > 3
    assert counts[("invoice", "posted")] > 10 and counts[("bill", "paid")] > 20
    assert voided == 1
    assert any(n.isascii() for n in names) and any(not n.isascii() for n in names)
    totals = receivables.totals()
    assert all(totals.amounts[b] > 0 for b in aging.BUCKETS), totals.amounts
    assert totals.on_account > 0 and payables.totals().total > 0
    assert (totals.balance, payables.totals().balance) == (controls["1210"], -controls["2110"])
    assert all(r.ties for r in returns) and all(r.output_tax > 0 for r in returns)
    # Deterministic: the same documents every time. Logistics invoices its year of deliveries
    # (118,347,824.45 with VAT, the wholesale trade the documents builder used to invoice by
    # hand); the rest are the documents builder's smaller invoices.
    assert int(invoiced) == 12_218_736_270
