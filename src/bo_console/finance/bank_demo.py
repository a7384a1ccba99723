"""The demo's bank statements: one CSV statement a month for each of the two current
accounts, imported and reconciled as a clerk would (``bank import``, ``bank match``).

The bank shows what the books recorded on the account, on the same day, with the document or
entry number as its reference; the first statement opens with the balance brought forward
(the books' opening entry). Automatic matching reconciles every line it can tell apart; the
few it cannot (two movements of the same amount on the same day without a shared reference)
are reconciled by hand, with the ledger line the bank line came from.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections import defaultdict, deque
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

BANKS = (("RAJHI", "Al Rajhi Bank current account", "1110"), ("SNB", "SNB current account", "1120"))
MAPPING = {"date": "date", "amount": "amount", "text": "text", "reference": "reference"}

Target = tuple[str, int]
"""A ledger line as ``reconcile`` names it: (entry number, line number)."""


def _month_lines(
    session: Session, code: str, first: date, last: date
) -> list[tuple[date, int, str, str, Target]]:
    """(date, amount, text, reference, ledger line) of the account's posted lines in the
    month."""
    from sqlalchemy import text

    rows = session.execute(
        text(
            "SELECT l.date, l.debit - l.credit, COALESCE(NULLIF(l.memo, ''), e.memo), "
            "e.source_ref, e.year, e.number, l.line_no FROM fin_line l "
            "JOIN fin_entry e ON e.id = l.entry_id JOIN fin_account a ON a.id = l.account_id "
            "WHERE a.code = :c AND l.date BETWEEN :a AND :b AND e.state <> 'draft' "
            "ORDER BY l.date, l.entry_id, l.line_no"
        ),
        {"c": code, "a": first, "b": last},
    ).all()
    out = []
    for day, amount, memo, source_ref, year, number, line_no in rows:
        ref = f"{year}-{int(number):06d}"
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        out.append((day, int(amount), str(memo)[:200], str(source_ref or ref)[:60], (ref, line_no)))
    return out


def _statement(lines: list[tuple[date, int, str, str, Target]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "amount", "text", "reference"])
    for day, amount, memo, reference, _ in lines:
        writer.writerow([day.isoformat(), str(Decimal(amount).scaleb(-2)), memo, reference])
    return buffer.getvalue().encode("utf-8")


def build(session: Session, manager: Actor, first_month: date, today: date) -> int:
    """Add the two bank accounts and import and reconcile a statement for every month from
    ``first_month`` that ended before ``today``; returns the number of statement lines."""
    from bo_console.finance import bank

    count = 0
    for code, name, account in BANKS:
        bank.add_bank_account(session, manager, code=code, name=name, account=account)
        first = first_month
        while True:
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            if last >= today:
                break
            lines = _month_lines(session, account, first, last)
            bank.import_statement(
                session, manager, code, _statement(lines), fmt="csv",
                mapping=MAPPING if first == first_month else None, to=last,
            )  # fmt: skip
            count += len(lines)
            result = bank.auto_match(session, manager, code)
            if result.still_open:
                _by_hand(session, manager, code, lines)
            first = date.fromordinal(last.toordinal() + 1)
    return count


def _by_hand(
    session: Session, manager: Actor, code: str, lines: list[tuple[date, int, str, str, Target]]
) -> None:
    """Reconcile the lines matching left open with the ledger lines they came from."""
    from sqlalchemy import text

    from bo_console.finance import bank

    taken = {
        (f"{year}-{int(number):06d}", int(line_no))
        for year, number, line_no in session.execute(
            text(
                "SELECT e.year, e.number, b.line_no FROM fin_bank_line b "
                "JOIN fin_entry e ON e.id = b.entry_id "
                "JOIN fin_bank_account a ON a.id = b.bank_account_id WHERE a.code = :c"
            ),
            {"c": code},
        ).all()
    }
    sources: dict[tuple[date, int, str], deque[Target]] = defaultdict(deque)
    for day, amount, _, reference, target in lines:
        if target not in taken:
            sources[(day, amount, reference)].append(target)
    for line_id, day, amount, reference in session.execute(
        text(
            "SELECT b.id, b.date, b.amount, b.reference FROM fin_bank_line b "
            "JOIN fin_bank_account a ON a.id = b.bank_account_id "
            "WHERE a.code = :c AND b.status = 'open' ORDER BY b.date, b.id"
        ),
        {"c": code},
    ).all():
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        queue = sources.get((day, int(amount), str(reference)))
        if queue:
            ref, line_no = queue.popleft()
            bank.reconcile(session, manager, int(line_id), ref, line_no)
