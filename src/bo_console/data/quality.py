"""Data-quality rules: each finds records that break it, names the department that owns them,
and (with ``notify``) raises one inbox item per finding, closed again once the data is fixed.

The rules read the published views only (migration 0008), so they see what the catalogue
describes and nothing else. A finding's key is stable (a VAT number, a document number, an
employee number), so the same problem found twice is one finding; it is recorded in
``dq_finding`` with its work item until a check no longer finds it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bo_console.core.security import DEPARTMENT_WRITE, Actor

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.jobs import Progress
    from bo_console.core.reading import Reads

STALE_DRAFT_DAYS = 30
"""A draft untouched for longer than this is stale."""
ITEM_DUE_DAYS = 7
"""Days a department has to put a finding right (the work item's due date)."""
KIND = "data-quality"


@dataclass(frozen=True)
class Finding:
    rule: str
    key: str
    dept: str
    subject: str


@dataclass(frozen=True)
class Rule:
    name: str
    dept: str
    description: str
    find: Callable[[Reads, date], Iterable[Finding]]


@dataclass(frozen=True)
class QualityReport:
    """What a check found, and (with notify) the inbox items it opened and closed."""

    findings: list[Finding]
    opened: int = 0
    closed: int = 0
    left_open: int = 0
    """Fixed findings whose work item the actor may not close (the department closes it)."""

    @property
    def summary(self) -> str:
        """A notifying check's one line (its job record, and what the faces say)."""
        line = (
            f"{len(RULES)} rules checked, {len(self.findings)} findings; {self.opened} inbox "
            f"items opened, {self.closed} closed"
        )
        if self.left_open:
            line += f", {self.left_open} fixed but left for their department to close"
        return line


def _rows(db: Reads, sql: str, **params: Any) -> list[Any]:
    # SQL text over a Reader or a session: a plain check loads no SQLAlchemy.
    from bo_console.core.reading import reader_of

    return list(reader_of(db).rows(sql, params))


def _groups(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Value -> sorted owners, for values more than one owner holds."""
    owners: dict[str, set[str]] = defaultdict(set)
    for value, owner in pairs:
        if value:
            owners[value].add(owner)
    return {v: sorted(o) for v, o in sorted(owners.items()) if len(o) > 1}


def _short(items: list[str], limit: int = 6) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# -- finance --------------------------------------------------------------------------------


def vat_problem(value: str) -> str | None:
    """Why ``value`` is not a valid VAT number, or None. Saudi numbers (15 digits) start and
    end with 3; other numbers are 5 to 20 letters and digits."""
    if not (value.isascii() and value.isalnum() and 5 <= len(value) <= 20):
        return "is not 5 to 20 letters and digits"
    if value.isdigit() and len(value) == 15 and not (value[0] == "3" and value[-1] == "3"):
        return "is 15 digits but does not start and end with 3"
    return None


def _duplicate_vat(session: Reads, today: date) -> Iterator[Finding]:
    rows = _rows(session, "SELECT tax_number, code FROM v_fin_party WHERE active")
    for vat, codes in _groups((r[0].strip().upper(), r[1]) for r in rows).items():
        yield Finding(
            "party-duplicate-vat",
            vat,
            "finance",
            f"Parties {_short(codes)} share VAT number {vat}",
        )


_NOT_WORD = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """A name as compared for near-duplicates: folded (case, Arabic letter forms and
    diacritics), without punctuation and spaces."""
    from bo_console.core.text import fold

    return _NOT_WORD.sub("", fold(name))


def _duplicate_name(session: Reads, today: date) -> Iterator[Finding]:
    rows = _rows(session, "SELECT name, name_ar, code FROM v_fin_party WHERE active")
    pairs: list[tuple[str, str]] = []
    for name, name_ar, code in rows:
        keys = {name_key(name), name_key(name_ar or "")} - {""}
        pairs.extend((k, code) for k in keys)
    seen: set[tuple[str, ...]] = set()
    for key, codes in _groups(pairs).items():
        if tuple(codes) in seen:  # the same parties match on both names
            continue
        seen.add(tuple(codes))
        yield Finding(
            "party-duplicate-name",
            "+".join(codes)[:200],
            "finance",
            f"Parties {_short(codes)} have near-identical names ({key[:40]})",
        )


def _invalid_vat(session: Reads, today: date) -> Iterator[Finding]:
    rows = _rows(session, "SELECT code, tax_number FROM v_fin_party WHERE tax_number <> ''")
    for code, vat in rows:
        problem = vat_problem(vat)
        if problem is not None:
            yield Finding(
                "party-invalid-vat", code, "finance", f"Party {code}: VAT number {vat} {problem}"
            )


def _stale_drafts(session: Reads, today: date) -> Iterator[Finding]:
    cutoff = (today - timedelta(days=STALE_DRAFT_DAYS)).isoformat()
    for doc, kind, party, day in _rows(
        session,
        "SELECT document_id, kind, party_code, date FROM v_fin_document "
        "WHERE status = 'draft' AND date < :c",
        c=cutoff,
    ):
        noun = kind.replace("_", " ")
        yield Finding(
            "stale-draft",
            f"document:{doc}",
            "finance",
            f"Draft {noun} #{doc} for {party} dated {day} is still a draft",
        )
    for entry, day in _rows(
        session,
        "SELECT entry_id, min(date) FROM v_fin_journal_line WHERE state = 'draft' "
        "GROUP BY entry_id HAVING min(date) < :c",
        c=cutoff,
    ):
        yield Finding(
            "stale-draft",
            f"entry:{entry}",
            "finance",
            f"Draft journal entry #{entry} dated {day} is still a draft",
        )


# -- HR -------------------------------------------------------------------------------------

_STAFF = (
    "SELECT p.number, p.iban, p.national_id FROM v_hr_employee_pay p "
    "JOIN v_hr_employee e ON e.number = p.number WHERE e.status <> 'terminated'"
)


def iban_problem(value: str) -> str | None:
    """Why ``value`` is not a valid IBAN (ISO 13616 shape and mod-97 check), or None."""
    iban = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return "is not shaped like an IBAN"
    if iban.startswith("SA") and len(iban) != 24:
        return f"has {len(iban)} characters; a Saudi IBAN has 24"
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        return "fails the IBAN check digits"
    return None


def _duplicate_national_id(session: Reads, today: date) -> Iterator[Finding]:
    rows = _rows(session, _STAFF)
    # The value is confidential: the subject names the employees only.
    for _nid, numbers in _groups(((r[2] or "").strip(), r[0]) for r in rows).items():
        yield Finding(
            "employee-duplicate-national-id",
            "+".join(numbers)[:200],
            "hr",
            f"Employees {_short(numbers)} share one national ID",
        )


def _duplicate_iban(session: Reads, today: date) -> Iterator[Finding]:
    rows = _rows(session, _STAFF)
    for _iban, numbers in _groups(
        ((r[1] or "").replace(" ", "").upper(), r[0]) for r in rows
    ).items():
        yield Finding(
            "employee-duplicate-iban",
            "+".join(numbers)[:200],
            "hr",
            f"Employees {_short(numbers)} share one IBAN",
        )


def _invalid_iban(session: Reads, today: date) -> Iterator[Finding]:
    for number, iban, _nid in _rows(session, _STAFF):
        problem = iban_problem(iban) if iban else None
        if problem is not None:
            yield Finding(
                "employee-invalid-iban", number, "hr", f"Employee {number}: IBAN {problem}"
            )


def _missing_iban(session: Reads, today: date) -> Iterator[Finding]:
    for number, iban, _nid in _rows(session, _STAFF):
        if not (iban or "").strip():
            yield Finding(
                "employee-missing-iban",
                number,
                "hr",
                f"Employee {number} has no IBAN: payroll cannot pay them",
            )


def _orphan_unit(session: Reads, today: date) -> Iterator[Finding]:
    for number, unit in _rows(
        session,
        "SELECT number, org_unit FROM v_hr_employee WHERE status <> 'terminated' "
        "AND (org_unit IS NULL OR NOT unit_active)",
    ):
        where = f"inactive org unit {unit}" if unit else "no org unit"
        yield Finding("employee-orphan-unit", number, "hr", f"Employee {number} is in {where}")


# -- logistics ------------------------------------------------------------------------------


def barcode_key(barcode: str) -> str:
    """A barcode as compared: digits without leading zeros (a UPC-A read as EAN-13 gains
    one); other codes upper case."""
    code = barcode.strip().upper()
    return code.lstrip("0") or "0" if code.isdigit() else code


def _duplicate_barcode(session: Reads, today: date) -> Iterator[Finding]:
    rows = _rows(session, "SELECT barcode, sku FROM v_lg_item_barcode WHERE active")
    for code, skus in _groups((barcode_key(r[0]), r[1]) for r in rows).items():
        yield Finding(
            "item-duplicate-barcode",
            code[:200],
            "logistics",
            f"Items {_short(skus)} share barcode {code}",
        )


RULES: tuple[Rule, ...] = (
    Rule("party-duplicate-vat", "finance", "parties sharing a VAT number", _duplicate_vat),
    Rule(
        "party-duplicate-name",
        "finance",
        "parties with near-identical names (case, Arabic letter forms and punctuation ignored)",
        _duplicate_name,
    ),
    Rule("party-invalid-vat", "finance", "VAT numbers of the wrong form", _invalid_vat),
    Rule(
        "stale-draft",
        "finance",
        f"documents and journal entries in draft for more than {STALE_DRAFT_DAYS} days",
        _stale_drafts,
    ),
    Rule(
        "employee-duplicate-national-id",
        "hr",
        "employees sharing a national ID",
        _duplicate_national_id,
    ),
    Rule("employee-duplicate-iban", "hr", "employees sharing an IBAN", _duplicate_iban),
    Rule("employee-invalid-iban", "hr", "IBANs failing the ISO 13616 check", _invalid_iban),
    Rule("employee-missing-iban", "hr", "employees payroll cannot pay", _missing_iban),
    Rule(
        "employee-orphan-unit",
        "hr",
        "employees in no org unit or an inactive one",
        _orphan_unit,
    ),
    Rule(
        "item-duplicate-barcode",
        "logistics",
        "items sharing a barcode (leading zeros ignored)",
        _duplicate_barcode,
    ),
)


def find_all(
    session: Reads, today: date, *, progress: Progress | None = None, steps: int = 0
) -> list[Finding]:
    """Every finding of every rule, in rule order; ``progress`` hears ``(rules run, steps)``
    (``steps`` defaults to the number of rules)."""
    from bo_console.core.jobs import tell

    found: list[Finding] = []
    for done, rule in enumerate(RULES, 1):
        found.extend(rule.find(session, today))
        tell(progress, done, steps or len(RULES))
    return found


def check(
    session: Session, actor: Actor, *, notify: bool = False, progress: Progress | None = None
) -> QualityReport:
    """Run every rule. With ``notify`` (``data.manage``), record new findings and raise one
    inbox item each to the owning department, and resolve the findings no longer found,
    closing their items (when the actor may work that department's inbox; else the
    department closes it). ``progress`` hears ``(rules run, rules)``, and with ``notify``
    one step more for the inbox."""
    from bo_console.core.clock import today
    from bo_console.core.jobs import tell

    if not notify:
        return check_only(session, actor, progress=progress)
    actor.require("data.manage", "run data-quality checks")
    steps = len(RULES) + 1
    findings = find_all(session, today(), progress=progress, steps=steps)
    report = _sync(session, actor, findings, today())
    tell(progress, steps, steps)
    return report


def check_only(db: Reads, actor: Actor, *, progress: Progress | None = None) -> QualityReport:
    """Run every rule and record nothing (``data.read``), over a Reader or a session;
    ``progress`` hears ``(rules run, rules)``."""
    from bo_console.core.clock import today

    actor.require("data.read", "run data-quality checks")
    return QualityReport(find_all(db, today(), progress=progress))


def _sync(session: Session, actor: Actor, findings: list[Finding], day: date) -> QualityReport:
    from sqlmodel import col, select

    from bo_console.core import inbox
    from bo_console.core.clock import utcnow
    from bo_console.data.models import DqFinding

    current = {(f.rule, f.key): f for f in findings}
    stored = {
        (r.rule, r.key): r
        for r in session.exec(select(DqFinding).where(col(DqFinding.resolved_at).is_(None)))
    }
    opened = closed = left = 0
    for ident, finding in current.items():
        if ident in stored:
            continue
        row = DqFinding(
            rule=finding.rule, key=finding.key, dept=finding.dept, subject=finding.subject
        )
        session.add(row)
        session.flush()
        item = inbox.create_item(
            session,
            actor,
            from_dept="data",
            item=inbox.NewWorkItem(
                to_dept=finding.dept,
                kind=KIND,
                subject=finding.subject[:200],
                body=f"Data-quality rule {finding.rule}. This item closes by itself once the "
                "next check no longer finds it.",
                ref_entity="dq_finding",
                ref_id=str(row.id),
                due_date=day + timedelta(days=ITEM_DUE_DAYS),
            ),
        )
        row.work_item_id = item.id
        session.add(row)
        opened += 1
    for ident, row in stored.items():
        if ident in current:
            continue
        row.resolved_at = utcnow()
        session.add(row)
        if row.work_item_id is None:
            continue
        if not _may_work(actor, row):
            left += 1
        elif inbox.get_item(session, actor, row.work_item_id).status in inbox.OPEN_STATUSES:
            inbox.set_status(
                session,
                actor,
                row.work_item_id,
                "done",
                "fixed: the data-quality check no longer finds it",
            )
            closed += 1
    session.flush()
    return QualityReport(findings, opened=opened, closed=closed, left_open=left)


def _may_work(actor: Actor, row: Any) -> bool:
    return actor.can(DEPARTMENT_WRITE[row.dept])


def open_findings(db: Reads, actor: Actor) -> dict[str, int]:
    """Open findings (as of the last ``--notify`` check) per owning department."""
    actor.require("data.read", "read data-quality results")
    rows = _rows(
        db,
        "SELECT dept, count(*) FROM dq_finding WHERE resolved_at IS NULL GROUP BY dept",
    )
    return {dept: int(n) for dept, n in rows}
