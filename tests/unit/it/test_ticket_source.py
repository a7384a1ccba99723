"""The Tickets tab's source: its views, the SLA state worked out only for rows read, the
``/`` filter, and the open-ticket queries answered by the partial indexes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bo_console.it import moment as moment_module
from bo_console.it import service
from bo_console.it.sources import TicketSource
from tests.unit.it.conftest import IT
from tests.unit.it.factories import ticket

THURSDAY_2PM_RIYADH = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(moment_module, "utcnow", lambda: moment)


def _refs(source: TicketSource) -> list[int]:
    return [int(r["id"]) for r in source.rows(0, source.count())]


def test_views_newest_first_and_breached_most_overdue_first(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    first = ticket(it, priority="P2")
    second = ticket(it, priority="P1")
    mine = ticket(it, priority="P4", subject="Keyboard sticks")
    done = ticket(it, subject="Old request")
    with it.store.write() as session:
        service.assign(session, it.clerk, mine)
        service.resolve(session, it.clerk, done, "Fixed")
    _at(monkeypatch, datetime(2026, 12, 8, 12, 0, tzinfo=UTC))  # days later: P1, P2 breached
    ids = {ref: int(ref[1:]) for ref in (first, second, mine, done)}
    source = TicketSource(it.store, it.clerk)
    assert _refs(source) == [ids[mine], ids[second], ids[first]]  # open, newest first
    source.show("mine")
    assert _refs(source) == [ids[mine]]
    source.show("breached")
    # The P1 is due before the P2 though raised after it: the most overdue comes first.
    assert _refs(source) == [ids[second], ids[first]]
    source.show("all")
    assert _refs(source) == [ids[done], ids[mine], ids[second], ids[first]]
    assert source.sortable == []  # no order over every ticket without an index for it
    source.set_filter("keyboard")
    assert _refs(source) == [ids[mine]]
    source.set_filter(first)  # a ticket number
    assert _refs(source) == [ids[first]]


def test_the_sla_state_is_worked_out_only_for_rows_that_are_read(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    late = ticket(it, priority="P1")
    calm = ticket(it, priority="P4")
    _at(monkeypatch, datetime(2026, 12, 6, 6, 30, tzinfo=UTC))
    source = TicketSource(it.store, it.clerk)
    sla = next(c for c in source.columns if c.key == "sla")
    rows = source.rows(0, 2)
    assert all("sla" not in row for row in rows)  # fetched, not yet drawn
    states = {f"T{row['id']:06d}": sla.value(row) for row in rows}
    assert states == {late: "breached", calm: "ok"}  # as list_tickets says
    assert all("sla" in row for row in rows)  # kept with the row


def test_without_it_read_only_ones_own_tickets(it: IT) -> None:
    ticket(it)
    ticket(it, it.auditor, subject="Screen flickers")
    source = TicketSource(it.store, it.requester)
    assert [r["subject"] for r in source.rows(0, 10)] == ["Printer jams"]


def test_the_open_list_can_be_read_through_the_partial_index_of_open_tickets(it: IT) -> None:
    """SQLite takes a partial index only where it can match the query's condition to the
    index's; with the statuses as bound values it cannot (and read every closed ticket)."""
    from sqlalchemy.exc import OperationalError

    ticket(it)
    source = TicketSource(it.store, it.clerk)
    sql = str(source._filtered().compile(compile_kwargs={"literal_binds": True}))
    forced = sql.replace("FROM it_ticket", "FROM it_ticket INDEXED BY ix_it_ticket_open")
    assert forced != sql
    bound = "SELECT id FROM it_ticket INDEXED BY ix_it_ticket_open WHERE status IN (:a, :b)"
    with it.store.read() as session:
        for order in ("DESC", "ASC"):
            rows = session.execute(text(f"{forced} ORDER BY it_ticket.id {order}")).all()
            assert len(rows) == 1
        with pytest.raises(OperationalError, match="no query solution"):
            session.execute(text(bound), {"a": "new", "b": "assigned"}).all()
