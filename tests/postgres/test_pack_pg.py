"""The month-end pack on PostgreSQL, with every department's sheet filled in."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bo_console.core import security
from bo_console.core.db import Store
from bo_console.core.security import Identity
from bo_console.data import service
from bo_console.finance import service as finance
from bo_console.it import service as it
from tests.conftest import ADMIN_LOGIN
from tests.unit.finance.conftest import entry, sale


def test_the_pack_counts_tickets_past_their_target_on_postgresql(
    pg_store: Store, tmp_path: Path
) -> None:
    with pg_store.write() as session:
        admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
        finance.post_entry(session, admin, entry(date(2026, 10, 5), *sale(100_000)))
        for subject in ("Printer jams", "No VPN", "Screen flickers"):
            it.raise_ticket(session, admin, it.TicketCreate(subject=subject))
    with pg_store.write() as session:
        # Two October tickets, one resolved late, one on time; one in November.
        opened = datetime(2026, 10, 6, 9, 0)
        for subject, at, due, resolved in (
            ("Printer jams", opened, opened + timedelta(hours=8), opened + timedelta(days=3)),
            ("No VPN", opened, opened + timedelta(hours=8), opened + timedelta(hours=2)),
            ("Screen flickers", datetime(2026, 11, 2, 9), datetime(2026, 11, 2, 17), None),
        ):
            session.execute(
                text(
                    "UPDATE it_ticket SET opened_at = :at, resolution_due = :due,"
                    " response_due = :at, resolved_at = :resolved WHERE subject = :subject"
                ),
                {"at": at, "due": due, "resolved": resolved, "subject": subject},
            )
    with pg_store.write() as session:
        assert finance.close_period(session, admin, "2026-10")
    with pg_store.read() as session:
        pack = service.management_pack(session, admin, "2026-10")
    tickets = next(sheet for name, sheet in pack if name == "tickets")
    assert [tuple(row[1:]) for row in tickets.rows] == [(2, 2, 1)]
    service.write_pack(pack, tmp_path / "pack.xlsx")
    assert (tmp_path / "pack.xlsx").stat().st_size > 0
