"""The rules the database itself enforces, tried with raw SQL (as a sqlite3 session would)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bo_console.core import inbox
from bo_console.hr.service import people
from bo_console.it import service
from tests.unit.it.conftest import IT
from tests.unit.it.factories import asset, licence

NOW = "2026-12-01 09:00:00.000000"


def _raw(it: IT) -> sqlite3.Connection:
    assert it.store.path is not None
    conn = sqlite3.connect(it.store.path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _ids(conn: sqlite3.Connection, tag: str, number: str) -> tuple[int, int]:
    asset_id = conn.execute("SELECT id FROM it_asset WHERE tag = ?", (tag,)).fetchone()[0]
    employee_id = conn.execute("SELECT id FROM hr_employee WHERE number = ?", (number,)).fetchone()[
        0
    ]
    return asset_id, employee_id


def _check_out(conn: sqlite3.Connection, asset_id: int, employee_id: int) -> None:
    conn.execute(
        "INSERT INTO it_assignment (asset_id, employee_id, out_at, out_by, note)"
        " VALUES (?, ?, ?, 'raw', '')",
        (asset_id, employee_id, NOW),
    )


def test_a_second_open_assignment_is_refused(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        service.check_out(session, it.clerk, tag, it.ali)
    conn = _raw(it)
    asset_id, badr = _ids(conn, tag, it.badr)
    with pytest.raises(sqlite3.IntegrityError, match="already checked out"):
        _check_out(conn, asset_id, badr)
    # without the trigger the partial unique index still refuses it
    conn.execute("DROP TRIGGER it_assignment_insert")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        _check_out(conn, asset_id, badr)


def test_check_out_to_a_terminated_employee_is_refused(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        people.terminate_employee(session, it.admin, it.badr, on=date(2026, 11, 30))
    conn = _raw(it)
    asset_id, badr = _ids(conn, tag, it.badr)
    with pytest.raises(sqlite3.IntegrityError, match="terminated"):
        _check_out(conn, asset_id, badr)


@pytest.mark.parametrize("status", ["retired", "disposed"])
def test_check_out_of_a_retired_or_disposed_asset_is_refused(it: IT, status: str) -> None:
    tag = asset(it)
    conn = _raw(it)
    asset_id, ali = _ids(conn, tag, it.ali)
    conn.execute(
        "UPDATE it_asset SET status = ?, disposed_on = '2026-11-30' WHERE id = ?",
        (status, asset_id),
    )
    with pytest.raises(sqlite3.IntegrityError, match="retired or disposed"):
        _check_out(conn, asset_id, ali)


def test_a_closed_assignment_is_never_changed_or_deleted(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        service.check_out(session, it.clerk, tag, it.ali)
        service.check_in(session, it.clerk, tag)
    conn = _raw(it)
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("UPDATE it_assignment SET returned_at = NULL")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("UPDATE it_assignment SET employee_id = employee_id + 1")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("DELETE FROM it_assignment")


def test_more_seats_than_bought_are_refused(it: IT) -> None:
    ref = licence(it, seats=1)
    with it.store.write() as session:
        service.assign_seat(session, it.clerk, ref, employee_number=it.ali)
    conn = _raw(it)
    licence_id = int(ref[1:])
    _, badr = _ids(conn, asset(it), it.badr)
    with pytest.raises(sqlite3.IntegrityError, match="every seat"):
        conn.execute(
            "INSERT INTO it_seat (licence_id, employee_id, assigned_at, assigned_by)"
            " VALUES (?, ?, ?, 'raw')",
            (licence_id, badr, NOW),
        )
    with pytest.raises(sqlite3.IntegrityError, match="fewer seats"):
        conn.execute("UPDATE it_licence SET seats = 0 WHERE id = ?", (licence_id,))


def test_offboarding_cannot_close_while_the_leaver_holds_an_asset(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        service.check_out(session, it.clerk, tag, it.badr)
        people.terminate_employee(session, it.admin, it.badr, on=date(2026, 11, 30))
    with it.store.read() as session:
        item = next(i for i in service.list_boarding(session, it.clerk) if i.kind == "offboarding")
    conn = _raw(it)
    with pytest.raises(sqlite3.IntegrityError, match="still holds"):
        conn.execute("UPDATE work_item SET status = 'done' WHERE id = ?", (item.item_id,))
    # nor through the shared inbox service
    with pytest.raises(Exception, match="still holds"), it.store.write() as session:
        inbox.set_status(session, it.clerk, item.item_id, "done")


def test_a_resolved_ticket_needs_a_resolution_note(it: IT) -> None:
    from tests.unit.it.factories import ticket

    ref = ticket(it)
    conn = _raw(it)
    with pytest.raises(sqlite3.IntegrityError, match="resolution_note"):
        conn.execute("UPDATE it_ticket SET status = 'resolved' WHERE id = ?", (int(ref[1:]),))
