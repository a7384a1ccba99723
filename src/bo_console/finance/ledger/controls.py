"""Control accounts: accounts only their sub-ledger posts to.

Receivables take lines only from invoices, payments, credit and debit notes and write-offs,
payables from bills, payments and notes, payroll payable from payroll, goods in transit from
stock entries. A VAT account takes a line only with a tax code (the VAT return's sub-ledger),
from a document or payment, or in an entry that only moves VAT between the VAT accounts and the
settlement account. Reversals and year-end closing entries pass, as they undo or restate
entries that passed. ``bo db check`` proves each sub-ledger equals its control account
(:func:`control_checks`). Inventory takes lines only from stock entries and goods received not
invoiced from stock entries and bills (logistics matches a bill to its receipt through a bill),
from the day logistics takes the books' stock on (:func:`start_stock_controls`); before that
finance's own bills and cost-of-sales entries move 1310. Logistics' own checks prove the stock
ledger equals inventory and the receipts not billed equal GRNI.

The codes are the roles in force (``finance.account.<role>``) for receivables, payables and
VAT, and ``finance.control.<role>`` settings for the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

CONTROLS: dict[str, tuple[str, str, frozenset[str]]] = {
    "receivables": ("1210", "receivables", frozenset({"invoice", "payment", "note", "writeoff"})),
    "payables": ("2110", "payables", frozenset({"bill", "payment", "note"})),
    "payroll_payable": ("2300", "payroll payable", frozenset({"payroll"})),
    # Logistics' transfers between warehouses (its account role ``in_transit``).
    "goods_in_transit": ("1320", "goods in transit", frozenset({"stock"})),
    "inventory": ("1310", "inventory", frozenset({"stock"})),
    "grni": ("2130", "goods received not invoiced", frozenset({"stock", "bill"})),
}
"""role -> (default code, what it is, the sources that may post to it)."""

STOCK_ROLES = ("inventory", "grni")
"""Control accounts in force only from the date in ``finance.control.<role>.since``."""

PASS = frozenset({"reversal", "closing"})
"""Sources that pass every control account: they undo or restate entries that passed."""

VAT_SOURCES = frozenset({"invoice", "bill", "payment", "opening", "note", "writeoff"})


@dataclass(frozen=True)
class Control:
    account_id: int
    code: str
    label: str
    sources: frozenset[str]
    since: str | None = None
    """The day (ISO) from which it is enforced, for the stock roles."""


@dataclass(frozen=True)
class Controls:
    """The control accounts in force, by account id, and the VAT accounts."""

    accounts: dict[int, Control]
    vat: frozenset[int]
    settlement: int | None

    def problem(self, source: str, lines: Iterable[tuple[int, str, str | None]]) -> str | None:
        """Why an entry from ``source`` with these (account id, code, tax code) lines may not
        post, or None."""
        if source in PASS:
            return None
        lines = list(lines)
        for account_id, code, _ in lines:
            control = self.accounts.get(account_id)
            if control is not None and source not in control.sources:
                return (
                    f"{code} is the {control.label} control account; only "
                    f"{', '.join(sorted(control.sources))} entries post to it "
                    "(use the document or payment that belongs there)"
                )
        if source in VAT_SOURCES:
            return None
        transfer = all(a in self.vat or a == self.settlement for a, _, _ in lines)
        for account_id, code, tax in lines:
            if account_id in self.vat and not tax and not transfer:
                return (
                    f"{code} is a VAT account: give the line a tax code so the VAT return "
                    "includes it (or post it from a document)"
                )
        return None


def load_controls(session: Session) -> Controls:
    """The control accounts of this chart (codes that do not exist are skipped); read once
    per posting batch (:mod:`.batch`)."""
    from bo_console.finance.ledger.batch import current

    batch = current(session)
    if batch is None:
        return _read_controls(session)
    if batch.controls is None:
        batch.controls = _read_controls(session)
    return batch.controls


def _read_controls(db: Reads) -> Controls:
    from bo_console.core import settings
    from bo_console.core.reading import reader_of
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import ACCOUNT_ROLES, role_code

    # The unit of work's chart (read once, kept current by the accounts module).
    chart = load_chart(db)
    accounts: dict[int, Control] = {}
    for role, (default, label, sources) in CONTROLS.items():
        since = settings.get(db, f"finance.control.{role}.since") or None
        if role in STOCK_ROLES and since is None:
            continue
        if role in ACCOUNT_ROLES:
            code = role_code(db, role)
        else:
            code = settings.get(db, f"finance.control.{role}") or default
        account_id = chart.id_of(code)
        if account_id is not None:
            accounts[account_id] = Control(account_id, code, label, sources, since)
    vat = {
        int(r[0])
        for r in reader_of(db).rows(
            "SELECT output_account_id FROM fin_tax_code WHERE output_account_id IS NOT NULL "
            "UNION SELECT input_account_id FROM fin_tax_code "
            "WHERE input_account_id IS NOT NULL"
        )
    }
    settlement = chart.id_of(role_code(db, "vat_settlement"))
    return Controls(accounts, frozenset(vat), settlement)


def control_checks(db: Reads) -> list[CheckResult]:
    """``bo db check``: every control account holds only what its sub-ledger put there, and
    receivables and payables equal their open documents and debit notes less payments and
    credit notes on account (read through a Reader or a session)."""
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    controls = _read_controls(db)
    results = []
    strays = []
    for control in controls.accounts.values():
        allowed = sorted(control.sources | PASS)
        marks = ", ".join(f"'{s}'" for s in allowed)
        row = reader.first(
            "SELECT count(*), COALESCE(SUM(l.debit) - SUM(l.credit), 0) FROM fin_line l "
            "JOIN fin_entry e ON e.id = l.entry_id WHERE l.account_id = :a "
            f"AND e.state <> 'draft' AND e.source NOT IN ({marks})"
            + (" AND l.date >= :since" if control.since else ""),
            {
                "a": control.account_id,
                "since": date.fromisoformat(control.since) if control.since else None,
            },
        )
        if row is not None and int(row[0]):
            strays.append(f"{control.code}: {int(row[0])} line(s) from other sources")
    results.append(
        CheckResult(
            "control accounts: lines only from their sub-ledgers",
            not strays,
            "ok" if not strays else "; ".join(strays[:5]),
        )
    )
    by_label = {c.label: c for c in controls.accounts.values()}
    for side, kind, direction in (
        ("receivables", "invoice", "received"),
        ("payables", "bill", "made"),
    ):
        found = by_label.get(side)
        if found is None:
            continue
        control = found
        sign = 1 if side == "receivables" else -1
        open_docs = reader.scalar(
            "SELECT COALESCE(SUM(d.total - d.paid), 0) FROM fin_document d "
            "WHERE d.kind = :k AND d.status NOT IN ('draft', 'void')",
            {"k": kind},
        )
        on_account = reader.scalar(
            "SELECT COALESCE(SUM(p.amount - COALESCE((SELECT SUM(a.amount) "
            "FROM fin_allocation a JOIN fin_document d ON d.id = a.document_id "
            "WHERE a.payment_id = p.id AND d.status <> 'void'), 0)), 0) "
            "FROM fin_payment p WHERE p.direction = :d AND p.status = 'posted'",
            {"d": direction},
        )
        notes = reader.scalar(
            "SELECT COALESCE(SUM(CASE WHEN kind LIKE '%_debit' THEN total - applied "
            "ELSE applied - total END), 0) FROM fin_note WHERE kind LIKE :side",
            {"side": "sales_%" if side == "receivables" else "purchase_%"},
        )
        ledger = reader.scalar(
            "SELECT COALESCE(SUM(debit) - SUM(credit), 0) FROM fin_balance WHERE account_id = :a",
            {"a": control.account_id},
        )
        sub = sign * (int(open_docs) + int(notes) - int(on_account))
        ok = sub == int(ledger)
        results.append(
            CheckResult(
                f"{side}: open documents less payments on account equal {control.code}",
                ok,
                "ok" if ok else f"sub-ledger {sub} <> {control.code} {int(ledger)} (minor units)",
            )
        )
    return results


def start_stock_controls(session: Session, actor: Actor, on: date, *, permission: str) -> bool:
    """From ``on``, inventory and goods received not invoiced take lines only from stock
    entries (and GRNI from bills): what logistics calls when it takes the books' stock on.
    Returns False when they are in force already. Audited.

    Raises:
        PermissionDenied: the actor lacks ``permission``.
    """
    from bo_console.core import audit, settings

    actor.require(permission, "make inventory a control account")
    started = False
    for role in STOCK_ROLES:
        key = f"finance.control.{role}.since"
        if settings.get(session, key):
            continue
        settings.put(session, None, key, on.isoformat())
        audit.record(
            session, actor, action="set", entity="setting", entity_id=key,
            changes={"value": (None, on.isoformat())},
        )  # fmt: skip
        started = True
    return started
