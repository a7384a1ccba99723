"""HR's and IT's record commands (``show``, the employee export, the pay rules, licences due
for renewal) read through a plain ``sqlite3`` Reader: neither SQLAlchemy, SQLModel nor
pydantic is loaded, unless what they show is audited (a revealed employee, licence keys for
it.manage), which keeps its unit of work. The read services answer the same through a Reader
and a session, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.reading import Reads
from bo_console.core.security import Actor
from tests.cli.conftest import Bo
from tests.cli.guard import Guarded, guarded_runs
from tests.conftest import SeedOnce
from tests.unit.it import conftest as it_fixtures
from tests.unit.it.conftest import IT

SwitchUser = Callable[[str], None]
it = it_fixtures.it  # IT staff, a requester and two employees, as the IT tests set them up


@dataclass(frozen=True)
class Shows:
    """A store with one of each record the commands show, and an HR clerk (``noura``)."""

    it: IT
    hr_clerk: Actor


@pytest.fixture
def shows(
    bo: Bo,
    it: IT,
    make_user: Callable[..., Actor],
    as_os_user: SwitchUser,
    seed_once: SeedOnce,
) -> Shows:
    return Shows(
        it, seed_once("cli/read_path_hr_it:shows", lambda: _seed(bo, it, make_user, as_os_user))
    )


def _seed(bo: Bo, it: IT, make_user: Callable[..., Actor], as_os_user: SwitchUser) -> Actor:
    """The records, and the HR clerk."""
    hr_clerk = make_user("noura", "hr-clerk")
    steps = [
        ("boadmin", "hr", "openings", "add", "--position", "ACC", "--unit", "FIN"),
        ("boadmin", "hr", "candidates", "add", "1", "--name", "Mona Farouk"),
        ("boadmin", "hr", "candidates", "move", "1", "screening"),
        ("boadmin", "hr", "candidates", "note", "1", "strong on IFRS"),
        ("khalid", "it", "assets", "add", "LT-0001", "--serial", "S-1", "--model", "X1")
        + ("--category", "LAPTOP", "--location", "HQ", "--cost", "4200"),
        ("khalid", "it", "assets", "add", "LT-0002", "--serial", "S-2", "--model", "X1")
        + ("--category", "LAPTOP", "--location", "Annex"),
        ("khalid", "it", "assets", "check-out", "LT-0001", "--to", it.ali),
        ("omar", "it", "tickets", "new", "-s", "Mouse", "--asset", "LT-0001"),
        ("khalid", "it", "tickets", "comment", "1", "-t", "On my way"),
        ("khalid", "it", "tickets", "comment", "1", "-t", "Spare in B2", "--internal"),
        ("james", "it", "licences", "add", "Office", "--seats", "5", "--key", "K-1")
        + ("--renewal", "+10", "--cost", "900"),
        ("james", "it", "licences", "assign", "L1", "--employee", it.badr),
        ("james", "it", "licences", "assign", "L1", "--asset", "LT-0002"),
        ("khalid", "it", "stocktake", "start", "--location", "HQ"),
        ("khalid", "it", "stocktake", "scan", "ST00001", "LT-0002"),
    ]
    for login, *args in steps:
        as_os_user(login)
        code, _, err = bo(*args)
        assert code == 0, (args, err)
    as_os_user("boadmin")
    return hr_clerk


COMMANDS = [
    ("boadmin", "hr", "candidates", "show", "1"),
    ("noura", "hr", "candidates", "show", "1", "-f", "json"),
    ("boadmin", "hr", "employees", "show", "E00001", "--masked"),
    ("noura", "hr", "employees", "show", "e00002", "-f", "json"),
    ("noura", "hr", "employees", "export", "-o", "OUT.csv", "--unit", "FIN"),
    ("boadmin", "hr", "employees", "export", "-o", "OUT.xlsx"),
    ("boadmin", "hr", "payroll", "config"),
    ("noura", "hr", "payroll", "config", "-f", "json"),
    ("boadmin", "it", "tickets", "show", "1"),
    ("omar", "it", "tickets", "show", "T000001", "-f", "json"),
    ("khalid", "it", "assets", "show", "LT-0001"),
    ("aisha", "it", "assets", "show", "lt-0002", "-f", "json"),
    ("khalid", "it", "licences", "show", "L1"),
    ("khalid", "it", "licences", "show", "Office", "-f", "json"),
    ("khalid", "it", "licences", "expiring"),
    ("khalid", "it", "licences", "expiring", "--within", "2m", "-f", "csv"),
    ("khalid", "it", "stocktake", "show", "ST00001"),
    ("aisha", "it", "stocktake", "show", "1", "-f", "json"),
]
REFUSED = [
    # A refusal is read the same way: the record is looked up through the Reader.
    ("boadmin", "hr", "candidates", "show", "99"),
    ("noura", "hr", "employees", "show", "E99999"),
    ("boadmin", "it", "tickets", "show", "T000099"),
    ("khalid", "it", "assets", "show", "NOPE-1"),
    ("khalid", "it", "licences", "show", "L99"),
    ("khalid", "it", "stocktake", "show", "ST00099"),
]
AUDITED = [
    # What these show is audited, so they keep the unit of work (and load SQLAlchemy).
    ("boadmin", "hr", "employees", "show", "E00001"),
    ("james", "it", "licences", "show", "L1"),
    ("james", "it", "licences", "expiring"),
]


def _with_output(args: tuple[str, ...], tmp_path: Path) -> tuple[str, ...]:
    return tuple(a.replace("OUT", str(tmp_path / "out")) for a in args)


def _label(value: object) -> str:
    return " ".join(value) if isinstance(value, tuple) else f"exit {value}"


# One worker runs them all: spread over four, each worker ran every batch.
pytestmark = pytest.mark.xdist_group("read-path-hr-it")

_SHOWS_READ: dict[tuple[str, ...], Guarded] = {}
"""Each show below (login first) as the guard found it (the seeded store is the same for every
test, so one batch for each login serves them all; the module's tests run on one worker, so
each batch runs once)."""


@pytest.fixture
def shows_read(shows: Shows, store: Store, tmp_path: Path) -> dict[tuple[str, ...], Guarded]:
    if not _SHOWS_READ:
        commands = COMMANDS + REFUSED
        for login in dict.fromkeys(login for login, *_ in commands):
            mine = [c for c in commands if c[0] == login]
            runs = guarded_runs(store.url, [_with_output(c, tmp_path)[1:] for c in mine], login)
            _SHOWS_READ.update(zip(mine, runs, strict=True))
    return _SHOWS_READ


@pytest.mark.parametrize(
    ("args", "code"),
    [(a, "0") for a in COMMANDS] + [(a, "1") for a in REFUSED],
    ids=_label,
)
def test_a_show_reads_without_sqlalchemy_or_pydantic(
    shows_read: dict[tuple[str, ...], Guarded], args: tuple[str, ...], code: str
) -> None:
    result = shows_read[args]
    assert result.code == code, result
    assert result.found == "[]", result.found


@pytest.mark.parametrize("args", AUDITED, ids=_label)
def test_an_audited_show_keeps_its_unit_of_work(
    shows: Shows, store: Store, args: tuple[str, ...]
) -> None:
    """The guard above can fail: a show that writes its audit row loads SQLAlchemy."""
    login, *rest = args
    before = _audit_views(store)
    (result,) = guarded_runs(store.url, [tuple(rest)], login)
    assert result.code == "0", result
    assert "sqlalchemy" in result.found
    assert _audit_views(store) == before + 1


def _audit_views(store: Store) -> int:
    with store.reading() as reader:
        return int(reader.scalar("SELECT count(*) FROM audit_event WHERE action = 'view'"))


@pytest.mark.both_stores
def test_the_same_shows_run_on_both_stores(
    bo: Bo, shows: Shows, as_os_user: SwitchUser, tmp_path: Path
) -> None:
    """The SQL text of each show is the same on PostgreSQL, where the Reader wraps a session."""
    for login, *args in [_with_output(a, tmp_path) for a in COMMANDS + AUDITED]:
        as_os_user(login)
        code, _, err = bo(*args)
        assert code == 0, (args, err)
    for login, *args in REFUSED:
        as_os_user(login)
        code, _, err = bo(*args)
        assert code == 1 and err.startswith("bo: not found"), (args, err)


@pytest.mark.both_stores
def test_the_read_services_answer_alike_through_a_reader_and_a_session(
    shows: Shows, store: Store
) -> None:
    from bo_console.core.clock import today
    from bo_console.hr.service import employee_list, pay_rules, recruiting_lists
    from bo_console.it import asset_view, licence_view, ticket_view, work_lists

    it = shows.it

    def answers(db: Reads) -> list[object]:
        return [
            recruiting_lists.candidate_history(db, it.admin, 1),
            employee_list.get_employee(db, shows.hr_clerk, it.ali),
            pay_rules.rules_rows(db, shows.hr_clerk),
            ticket_view.get_ticket(db, it.clerk, "T000001"),
            ticket_view.get_ticket(db, it.requester, 1),
            asset_view.get_asset(db, it.clerk, "LT-0001"),
            licence_view.get_licence(db, it.clerk, "L1"),
            licence_view.renewals(db, it.clerk, within_days=30, on=today()),
            work_lists.get_stocktake(db, it.clerk, "ST00001"),
        ]

    with store.reading() as reader:
        through_reader = answers(reader)
        for_it = ticket_view.get_ticket(reader, it.clerk, 1)
        for_requester = ticket_view.get_ticket(reader, it.requester, 1)
        take = work_lists.get_stocktake(reader, it.clerk, 1)
        licence = licence_view.get_licence(reader, it.clerk, "Office")
    with store.read() as session:
        through_session = answers(session)
    assert through_reader == through_session
    assert [c.internal for c in for_it.comments] == [False, True]
    assert [c.internal for c in for_requester.comments] == [False]
    assert [(line.tag, line.result) for line in take.lines] == [
        ("LT-0001", "missing"),
        ("LT-0002", "elsewhere"),
    ]
    assert [(s.holder, s.name) for s in licence.holders] == [
        (it.badr, "Badr Saleh"),
        ("LT-0002", "(asset)"),
    ]
    assert licence.row.key == "********"
