"""Month-end snapshots on PostgreSQL: a close writes one, the pack and the dashboard read it,
and a re-close after a reopen writes the next version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bo_console.core import security
from bo_console.core.db import Store
from bo_console.core.security import Identity
from bo_console.data import service
from bo_console.finance import service as finance
from tests.conftest import ADMIN_LOGIN
from tests.unit.finance.conftest import entry, sale


def test_close_reopen_and_close_again_on_postgresql(pg_store: Store, tmp_path: Path) -> None:
    with pg_store.read() as session:
        admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
    with pg_store.write() as session:
        finance.post_entry(session, admin, entry(date(2026, 10, 5), *sale(100_000)))
    with pg_store.write() as session:
        assert finance.close_period(session, admin, "2026-10")
    with pg_store.read() as session:
        first = service.management_pack(session, admin, "2026-10")
    with pg_store.write() as session:
        assert finance.reopen_period(session, admin, "2026-10", reason="late sale")
    with pg_store.write() as session:
        finance.post_entry(session, admin, entry(date(2026, 10, 9), *sale(50_000)))
    with pg_store.read() as session:
        assert service.management_pack(session, admin, "2026-10") == first
    with pg_store.write() as session:
        assert finance.close_period(session, admin, "2026-10")
    with pg_store.read() as session:
        listed = service.list_snapshots(session, admin)
        board = service.dashboard(session, admin, date(2026, 11, 10))
        again = service.management_pack(session, admin, "2026-10")
    assert [(s.version, s.current) for s in listed] == [(2, True), (1, False)]
    october = next(m for m in board.months if m.month == "2026-10")
    assert (october.snapshot, october.revenue, october.cash) == (2, 150_000, 172_500)
    assert again != first
    service.write_pack(again, tmp_path / "pack.xlsx")
