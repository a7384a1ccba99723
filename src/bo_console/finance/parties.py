"""Parties: the customers and suppliers that invoices, bills and payments name.

One party can be both. A party is found by its code (``C0042``), by ``#id``, or by its name
(case, Arabic letter forms and diacritics folded) when only one party has it. Parties with
documents are deactivated, never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.io import Column, ImportReport
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.document_models import Party, PartyCreate, PartyUpdate

ROLES = ("customer", "supplier", "both")

IMPORT_COLUMNS: list[tuple[str, bool, str]] = [
    ("code", False, "party code; empty for the next free P00001"),
    ("name", True, "name as it appears on documents"),
    ("name_ar", False, "Arabic name"),
    ("role", True, "customer, supplier or both"),
    ("tax_number", False, "VAT registration number"),
    ("contact_name", False, "person to contact"),
    ("email", False, "email address"),
    ("phone", False, "phone number"),
    ("address", False, "postal address"),
    ("payment_terms", False, "days from document date to due date (default 30)"),
    ("active", False, "yes or no (default yes)"),
]
"""The parties CSV: (column, required, what it holds); exports write the same columns."""

EXPORT_COLUMNS = [c for c, _, _ in IMPORT_COLUMNS]
_YES = {"": True, "yes": True, "y": True, "true": True, "1": True}
_NO = {"no": False, "n": False, "false": False, "0": False}


def role_of(party: Party) -> str:
    """``customer``, ``supplier`` or ``both``."""
    if party.is_customer and party.is_supplier:
        return "both"
    return "customer" if party.is_customer else "supplier"


def role_flags(role: str) -> tuple[bool, bool]:
    """(is customer, is supplier) for ``customer``, ``supplier`` or ``both``."""
    value = role.strip().lower()
    if value not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    return value in ("customer", "both"), value in ("supplier", "both")


def _search_key(party: Party) -> str:
    from bo_console.core.text import fold

    return " ".join(fold(p) for p in (party.code, party.name, party.name_ar, party.tax_number) if p)


def pydantic_message(exc: Any) -> tuple[str, str]:
    """The column (as the import file names it) and the plain message of a pydantic error's
    first problem."""
    from bo_console.finance.messages import plain_message

    error = exc.errors()[0]
    return ".".join(str(p) for p in error["loc"]) or "party", plain_message(error)


def validate_party(data: dict[str, Any]) -> PartyCreate:
    """A :class:`PartyCreate` from plain values, or a one-line ``ValidationFailed``."""
    from pydantic import ValidationError

    from bo_console.finance.document_models import PartyCreate

    try:
        return PartyCreate.model_validate(data)
    except ValidationError as exc:
        from bo_console.finance.messages import invalid

        raise invalid(exc, fallback="party", every=False) from None


def _next_code(session: Session, taken: set[str] | None = None) -> str:
    """``P00001`` above every ``P`` code in the database and in ``taken`` (read under the
    series' lock, so two writers do not take the same code)."""
    from sqlalchemy import text

    from bo_console.core.db import lock_numbering

    lock_numbering(session, "fin_party:code")
    highest = 0
    for (code,) in session.execute(text("SELECT code FROM fin_party WHERE code LIKE 'P%'")).all():
        digits = str(code)[1:]
        if digits.isdigit():
            highest = max(highest, int(digits))
    for code in taken or ():
        if code.startswith("P") and code[1:].isdigit():
            highest = max(highest, int(code[1:]))
    return f"P{highest + 1:05d}"


def _code_taken(session: Session, code: str) -> bool:
    from sqlmodel import select

    from bo_console.finance.document_models import Party

    return session.exec(select(Party.id).where(Party.code == code)).first() is not None


def add_party(session: Session, actor: Actor, data: PartyCreate) -> Party:
    """Add a customer or supplier (finance clerks).

    Raises:
        RuleViolation: the code is taken.
    """
    actor.require("finance.post", "add parties")
    return insert_party(session, actor, data)


def insert_party(session: Session, actor: Actor, data: PartyCreate) -> Party:
    """Add a party; the caller has checked the actor's permission (:func:`add_party`, or the
    front office registering a customer)."""
    from bo_console.core import audit
    from bo_console.finance.document_models import Party

    data = validate_party(data.model_dump())
    code = data.code or _next_code(session)
    if _code_taken(session, code):
        raise RuleViolation(f"party code {code} is taken (see `bo finance parties show {code}`)")
    party = Party.model_validate({**data.model_dump(), "code": code, "created_by": actor.login})
    party.search_key = _search_key(party)
    session.add(party)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="party",
        entity_id=code,
        changes={
            k: (None, v)
            for k, v in data.model_dump().items()
            if v not in ("", None) and k != "code"
        },
    )
    return party


def party_codes(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The code of each party in ``ids`` that exists, in one query (a list of items names
    each one's supplier)."""
    from sqlmodel import col, select

    from bo_console.finance.document_models import Party

    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.exec(select(Party.id, Party.code).where(col(Party.id).in_(wanted))).all()
    return {party_id: code for party_id, code in rows if party_id is not None}


def find_party(session: Session, ref: str | int) -> Party:
    """A party by code, ``#id`` or a name only one party has.

    Raises:
        NotFound: nothing matches.
        ValidationFailed: the name matches more than one party.
    """
    from bo_console.finance.ledger.batch import current

    text = str(ref).strip()
    batch = current(session)
    if batch is None:
        return _find_party(session, text)
    # Kept by code and by id, as the lookups below find them (a code first, so a name that
    # is also a code is that party's, here as there); names are always looked up.
    found = batch.parties.get(text if text.startswith("#") else text.upper())
    if found is None:
        found = _find_party(session, text)
        batch.parties[found.code] = batch.parties[f"#{found.id}"] = found
    return found


def _find_party(session: Session, text: str) -> Party:
    from sqlmodel import col, select

    from bo_console.core.text import fold
    from bo_console.finance.document_models import Party

    if text.startswith("#") and text[1:].isdigit():
        found = session.get(Party, int(text[1:]))
        if found is None:
            raise NotFound(f"no party {text}")
        return found
    found = session.exec(select(Party).where(Party.code == text.upper())).first()
    if found is not None:
        return found
    key = fold(text)
    if not key:
        raise ValidationFailed("give a party code or name")
    candidates = session.exec(
        select(Party).where(col(Party.search_key).contains(key)).limit(50)
    ).all()
    exact = [p for p in candidates if key in (fold(p.name), fold(p.name_ar))]
    matches = exact or list(candidates)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no party {text!r} (see `bo finance parties list`)")
    shown = ", ".join(f"{p.code} {p.name}" for p in matches[:5])
    raise ValidationFailed(f"{text!r} matches {len(matches)} parties ({shown}); give the code")


def party_id_of(db: Reads, ref: str | int) -> int:
    """The id of the party :func:`find_party` finds (a code, ``#id`` or a name only one party
    has), read through a Reader or a session.

    Raises:
        NotFound: nothing matches.
        ValidationFailed: the name matches more than one party.
    """
    from bo_console.core.reading import reader_of
    from bo_console.core.text import fold

    reader = reader_of(db)
    text = str(ref).strip()
    if text.startswith("#") and text[1:].isdigit():
        found = reader.scalar("SELECT id FROM fin_party WHERE id = :id", {"id": int(text[1:])})
        if found is None:
            raise NotFound(f"no party {text}")
        return int(found)
    found = reader.scalar("SELECT id FROM fin_party WHERE code = :code", {"code": text.upper()})
    if found is not None:
        return int(found)
    key = fold(text)
    if not key:
        raise ValidationFailed("give a party code or name")
    candidates = reader.rows(
        "SELECT id, code, name, name_ar FROM fin_party"
        " WHERE search_key LIKE '%' || :key || '%' ORDER BY id LIMIT 50",
        {"key": key},
    )
    exact = [c for c in candidates if key in (fold(c[2]), fold(c[3]))]
    matches = exact or candidates
    if len(matches) == 1:
        return int(matches[0][0])
    if not matches:
        raise NotFound(f"no party {text!r} (see `bo finance parties list`)")
    shown = ", ".join(f"{c[1]} {c[2]}" for c in matches[:5])
    raise ValidationFailed(f"{text!r} matches {len(matches)} parties ({shown}); give the code")


def update_party(session: Session, actor: Actor, ref: str, data: PartyUpdate) -> Party:
    """Change a party's details (finance clerks); its code never changes."""
    from bo_console.core import audit
    from bo_console.core.text import clean
    from bo_console.finance.document_models import PartyCreate

    actor.require("finance.post", "change parties")
    party = find_party(session, ref)
    before = {k: getattr(party, k) for k in PartyCreate.model_fields}
    after = dict(before)
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            after[name] = clean(value) if isinstance(value, str) else value
    checked = validate_party(after).model_dump()  # before anything changes
    changes: dict[str, tuple[object, object]] = {
        k: (before[k], checked[k]) for k in before if k != "code" and before[k] != checked[k]
    }
    if not changes:
        return party
    for name, (_, value) in changes.items():
        setattr(party, name, value)
    party.search_key = _search_key(party)
    session.add(party)
    session.flush()
    audit.record(
        session, actor, action="update", entity="party", entity_id=party.code, changes=changes
    )
    return party


def set_active(session: Session, actor: Actor, ref: str, *, active: bool) -> bool:
    """Deactivate or reactivate a party. Returns False if nothing changed."""
    from bo_console.core import audit

    actor.require("finance.post", "deactivate parties")
    party = find_party(session, ref)
    if party.active == active:
        return False
    party.active = active
    session.add(party)
    session.flush()
    audit.record(
        session,
        actor,
        action="activate" if active else "deactivate",
        entity="party",
        entity_id=party.code,
        changes={"active": (not active, active)},
    )
    return True


def require_role(party: Party, role: str) -> None:
    """Refuse an inactive party or one that is not a customer (or supplier) as needed."""
    if party.status != "approved":
        raise RuleViolation(
            f"customer {party.code} {party.name} is {party.status}"
            + (" approval by finance" if party.status == "pending" else "")
        )
    if not party.active:
        raise RuleViolation(f"party {party.code} {party.name} is inactive")
    if role == "customer" and not party.is_customer:
        raise RuleViolation(f"{party.code} {party.name} is not a customer")
    if role == "supplier" and not party.is_supplier:
        raise RuleViolation(f"{party.code} {party.name} is not a supplier")


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyRow:
    """A party as lists and exports show it, with what is open on its documents."""

    id: int
    code: str
    name: str
    name_ar: str
    role: str
    tax_number: str
    contact_name: str
    email: str
    phone: str
    address: str
    payment_terms: int
    active: bool
    receivable: Decimal
    payable: Decimal
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _open_sums(db: Reads, party_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    from bo_console.core.reading import reader_of

    if not party_ids:
        return {}
    out: dict[int, tuple[int, int]] = {}
    rows = reader_of(db).rows(
        """SELECT party_id,
                  COALESCE(SUM(CASE WHEN kind = 'invoice' THEN total - paid END), 0),
                  COALESCE(SUM(CASE WHEN kind = 'bill' THEN total - paid END), 0)
           FROM fin_document
           WHERE status IN ('posted', 'partly_paid') AND party_id IN :ids
           GROUP BY party_id""",
        {"ids": list(party_ids)},
    )
    for party_id, receivable, payable in rows:
        out[int(party_id)] = (int(receivable), int(payable))
    return out


_PARTY_COLUMNS = (
    "id, code, name, name_ar, is_customer, is_supplier, tax_number, contact_name, email, "
    "phone, address, payment_terms, active, created_at"
)


def list_parties(
    db: Reads,
    actor: Actor,
    *,
    search: str | None = None,
    role: str | None = None,
    include_inactive: bool = True,
    limit: int | None = None,
) -> list[PartyRow]:
    """Parties by code, with the amounts open on their invoices and bills (read through a
    Reader or a session)."""
    from bo_console.core.money import base_currency
    from bo_console.core.reading import reader_of
    from bo_console.core.text import fold

    actor.require("finance.read", "read parties")
    where: list[str] = []
    params: dict[str, Any] = {}
    if search:
        where.append("search_key LIKE '%' || :key || '%'")
        params["key"] = fold(search)
    if role == "customer":
        where.append("is_customer")
    elif role == "supplier":
        where.append("is_supplier")
    elif role is not None:
        raise ValidationFailed("--role is customer or supplier")
    if not include_inactive:
        where.append("active")
    sql = f"SELECT {_PARTY_COLUMNS} FROM fin_party"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY code"
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = limit
    reader = reader_of(db)
    found = reader.rows(sql, params)
    sums = _open_sums(reader, [int(row[0]) for row in found])
    money = base_currency(reader).from_minor
    return [_listed(row, sums.get(int(row[0]), (0, 0)), money) for row in found]


def _listed(row: tuple[Any, ...], sums: tuple[int, int], money: Any) -> PartyRow:
    """A row of :data:`_PARTY_COLUMNS` as the list shows it."""
    from bo_console.core.lookups import moment_of

    (
        party_id, code, name, name_ar, is_customer, is_supplier, tax_number, contact_name,
        email, phone, address, payment_terms, active, created_at,
    ) = row  # fmt: skip
    if is_customer and is_supplier:
        role = "both"
    else:
        role = "customer" if is_customer else "supplier"
    return PartyRow(
        id=int(party_id),
        code=str(code),
        name=str(name),
        name_ar=str(name_ar),
        role=role,
        tax_number=str(tax_number),
        contact_name=str(contact_name),
        email=str(email),
        phone=str(phone),
        address=str(address),
        payment_terms=int(payment_terms),
        active=bool(active),
        receivable=money(sums[0]),
        payable=money(sums[1]),
        created_at=cast("datetime", moment_of(created_at)),  # aware UTC, as the ORM gives it
    )


def get_party(db: Reads, actor: Actor, ref: str) -> PartyRow:
    """One party with what is open on its invoices and bills (through a Reader or a
    session)."""
    from bo_console.core.money import base_currency
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "read parties")
    reader = reader_of(db)
    party_id = party_id_of(reader, ref)
    found = reader.first(f"SELECT {_PARTY_COLUMNS} FROM fin_party WHERE id = :id", {"id": party_id})
    assert found is not None
    sums = _open_sums(reader, [party_id]).get(party_id, (0, 0))
    return _listed(found, sums, base_currency(reader).from_minor)


# -- import -------------------------------------------------------------------------------------


def import_columns() -> list[Column]:
    from bo_console.core.io import Column

    return [Column(name, required, text) for name, required, text in IMPORT_COLUMNS]


def _parse_row(
    session: Session, row: int, record: dict[str, str], report: ImportReport, seen: dict[str, int]
) -> tuple[PartyCreate, bool] | None:
    from pydantic import ValidationError

    from bo_console.finance.document_models import PartyCreate

    try:
        is_customer, is_supplier = role_flags(record.get("role", ""))
    except ValueError as exc:
        report.add(row, "role", str(exc))
        return None
    active = {**_YES, **_NO}.get(record.get("active", "").strip().lower())
    if active is None:
        report.add(row, "active", "yes or no")
        return None
    terms = record.get("payment_terms", "").strip()
    if terms and not terms.isdigit():
        report.add(row, "payment_terms", f"{terms!r} is not a whole number of days")
        return None
    data = {
        k: record.get(k, "")
        for k in ("code", "name", "name_ar", "tax_number", "contact_name", "email", "phone")
    }
    data["address"] = record.get("address", "")
    try:
        party = PartyCreate.model_validate(
            {
                **data,
                "is_customer": is_customer,
                "is_supplier": is_supplier,
                "payment_terms": int(terms) if terms else 30,
            }
        )
    except ValidationError as exc:
        field, message = pydantic_message(exc)
        report.add(row, field, message)
        return None
    if party.code:
        if party.code in seen:
            report.add(row, "code", f"{party.code} also on row {seen[party.code]}")
            return None
        if _code_taken(session, party.code):
            report.add(row, "code", f"party {party.code} already exists")
            return None
        seen[party.code] = row
    return party, active


def import_parties(session: Session, actor: Actor, path: Path, *, dry_run: bool = False) -> int:
    """Add every party of a CSV or XLSX file, or none: the whole file is checked first.

    Returns how many parties were (or, with ``dry_run``, would be) added.

    Raises:
        ImportRejected: with every problem by row and column.
    """
    from bo_console.core.io import read_validated

    actor.require("finance.post", "import parties")
    seen: dict[str, int] = {}
    parsed: list[tuple[PartyCreate, bool]] = read_validated(
        path,
        import_columns(),
        lambda row, record, report: _parse_row(session, row, record, report, seen),
    )
    if dry_run:
        return len(parsed)
    number = int(_next_code(session, set(seen))[1:])  # once: above every code in play
    for party, active in parsed:
        if not party.code:
            party = party.model_copy(update={"code": f"P{number:05d}"})
            number += 1
        added = add_party(session, actor, party)
        if not active:
            set_active(session, actor, added.code, active=False)
    return len(parsed)


def export_rows(db: Reads, actor: Actor) -> list[dict[str, Any]]:
    """Every party in the import file's columns (so an export imports back), through a Reader
    or a session."""
    return [{**p.as_dict(), "active": "yes" if p.active else "no"} for p in list_parties(db, actor)]
