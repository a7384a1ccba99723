"""Cost centres: the list journal lines pick their cost centre from.

Finance managers add, rename and deactivate cost centres; everyone who reads the books lists
them. A line names a cost centre by its code. The ledger takes a line only with a code the
list holds and, for a new posting, an active one (:func:`check_line_centres`); the database
refuses an unknown code whatever writes the line. A department posting its own documents
(payroll by organisation unit, stock, assets) brings its codes with it: a code the list lacks
is added on its first posting (audited), so a new unit does not stop a pay run. A journal
import adds the codes of its file the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from datetime import date

    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.cost_centre_models import CostCentre, CostCentreCreate

DEPARTMENT_SOURCES = frozenset({"payroll", "stock", "shipment", "asset"})
"""Sources whose postings register a cost centre the list lacks (another department's own
structure)."""

PASS = frozenset({"reversal", "closing"})
"""Sources that may carry an inactive cost centre: they undo or restate earlier lines."""


@dataclass(frozen=True)
class CostCentreView:
    code: str
    name: str
    department: str
    active: bool


def _view(row: CostCentre) -> CostCentreView:
    return CostCentreView(row.code, row.name, row.department, row.active)


def _find(session: Session, code: str) -> CostCentre | None:
    from sqlmodel import select

    from bo_console.finance.cost_centre_models import CostCentre

    return session.exec(select(CostCentre).where(CostCentre.code == code.strip())).first()


def get_cost_centre(session: Session, actor: Actor, code: str) -> CostCentreView:
    """One cost centre by code.

    Raises:
        NotFound: no such cost centre.
    """
    actor.require("finance.read", "read cost centres")
    found = _find(session, code)
    if found is None:
        raise NotFound(f"no cost centre {code!r} (see `bo finance cost-centres list`)")
    return _view(found)


def list_cost_centres(
    db: Reads, actor: Actor, *, include_inactive: bool = True
) -> list[CostCentreView]:
    """Every cost centre by code (the inactive ones too, unless ``include_inactive`` is
    False), read through a Reader or a session."""
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "read cost centres")
    where = "" if include_inactive else " WHERE active"
    return [
        CostCentreView(str(code), str(name), str(department), bool(active))
        for code, name, department, active in reader_of(db).rows(
            f"SELECT code, name, department, active FROM fin_cost_centre{where} ORDER BY code"
        )
    ]


def add_cost_centre(session: Session, actor: Actor, data: CostCentreCreate) -> CostCentreView:
    """Add a cost centre (finance managers; audited).

    Raises:
        ValidationFailed: bad fields.
        RuleViolation: the code is taken.
    """
    from bo_console.finance.cost_centre_models import CostCentreCreate

    actor.require("finance.manage", "add cost centres")
    data = CostCentreCreate.model_validate(data.model_dump())
    if _find(session, data.code) is not None:
        raise RuleViolation(f"cost centre {data.code} exists already")
    return _view(_insert(session, actor, data.code, data.name, data.department))


def _insert(session: Session, actor: Actor, code: str, name: str, department: str) -> CostCentre:
    from bo_console.core import audit
    from bo_console.finance.cost_centre_models import CostCentre

    row = CostCentre(code=code, name=name, department=department, created_by=actor.login)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="cost_centre",
        entity_id=code,
        changes={"name": (None, name), "department": (None, department)},
    )
    return row


def update_cost_centre(
    session: Session,
    actor: Actor,
    code: str,
    *,
    name: str | None = None,
    department: str | None = None,
    active: bool | None = None,
) -> CostCentreView:
    """Rename, move or (de)activate a cost centre; its code never changes (finance managers;
    audited). An inactive cost centre takes no new postings; its lines stay as they are.

    Raises:
        NotFound: no such cost centre.
        ValidationFailed: an empty name.
    """
    from bo_console.core import audit
    from bo_console.core.text import clean

    actor.require("finance.manage", "change cost centres")
    row = _find(session, code)
    if row is None:
        raise NotFound(f"no cost centre {code!r} (see `bo finance cost-centres list`)")
    changes: dict[str, tuple[object, object]] = {}
    if name is not None:
        name = clean(name)
        if not name or len(name) > 120:
            raise ValidationFailed("a cost centre's name is 1 to 120 characters")
        if name != row.name:
            changes["name"] = (row.name, name)
            row.name = name
    if department is not None and clean(department)[:40] != row.department:
        changes["department"] = (row.department, clean(department)[:40])
        row.department = clean(department)[:40]
    if active is not None and active != row.active:
        changes["active"] = (row.active, active)
        row.active = active
    if changes:
        from bo_console.finance.ledger.batch import current

        session.add(row)
        session.flush()
        batch = current(session)
        if batch is not None:
            batch.centres.clear()
        audit.record(
            session, actor, action="update", entity="cost_centre", entity_id=row.code,
            changes=changes,
        )  # fmt: skip
    return _view(row)


def register_found(session: Session, actor: Actor, code: str, source: str) -> None:
    """Add ``code`` to the list if it lacks it (a department's posting or a journal import
    brings it; audited as created by that actor)."""
    if _find(session, code) is None:
        _insert(session, actor, code.strip(), code.strip(), source)


def check_line_centres(
    session: Session, actor: Actor, source: str, codes: Iterable[str | None]
) -> None:
    """Refuse cost centres an entry from ``source`` may not carry: unknown ones (a
    department's own postings register them instead), and inactive ones on a new posting.

    Raises:
        ValidationFailed: a cost centre is not in the list.
        RuleViolation: a cost centre is inactive.
    """
    from bo_console.finance.ledger.batch import current

    wanted = sorted({c for c in codes if c})
    batch = current(session)
    if not wanted or (batch is not None and batch.centres.issuperset(wanted)):
        return
    from sqlalchemy import bindparam, text

    known = {
        str(code): bool(active)
        for code, active in session.execute(
            text("SELECT code, active FROM fin_cost_centre WHERE code IN :codes").bindparams(
                bindparam("codes", expanding=True)
            ),
            {"codes": wanted},
        ).all()
    }
    for code in wanted:
        if code not in known:
            if source in DEPARTMENT_SOURCES:
                register_found(session, actor, code, source)
                continue
            raise ValidationFailed(
                f"no cost centre {code!r}: pick one from `bo finance cost-centres list` "
                "(a finance manager adds new ones)"
            )
        if not known[code] and source not in PASS:
            raise RuleViolation(f"cost centre {code} is inactive; it takes no new postings")
    if batch is not None:
        batch.centres.update(code for code in wanted if known.get(code))


def centre_sums(db: Reads, code: str, start: date, end: date) -> dict[int, list[int]]:
    """Debits and credits per account of the posted lines carrying cost centre ``code``
    dated ``start``..``end`` (closing entries carry none and are left out).

    Raises:
        NotFound: no such cost centre.
    """
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    if reader.first("SELECT 1 FROM fin_cost_centre WHERE code = :c", {"c": code.strip()}) is None:
        raise NotFound(f"no cost centre {code!r} (see `bo finance cost-centres list`)")
    rows = reader.rows(
        "SELECT l.account_id, SUM(l.debit), SUM(l.credit) FROM fin_line l "
        "JOIN fin_entry e ON e.id = l.entry_id WHERE l.cost_centre = :c "
        "AND l.date >= :a AND l.date <= :b AND e.state <> 'draft' AND e.source <> 'closing' "
        "GROUP BY l.account_id",
        {"c": code.strip(), "a": start, "b": end},
    )
    return {int(a): [int(d or 0), int(c or 0)] for a, d, c in rows}
