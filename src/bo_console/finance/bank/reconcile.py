"""Reconciling statement lines with the ledger: suggestions, automatic matching, rules for
recurring lines, and matching by hand.

A statement line matches a posted ledger line on the bank's ledger account with the same
signed amount (money in: a debit) that no other statement line holds, dated within
``WINDOW_DAYS`` of it. Candidates are ranked by a shared reference first (the ledger entry's
source reference, such as a payment or invoice number, found in the line's reference or text),
then by the distance between the dates. Automatic matching takes a line's best candidate only
when no other candidate ranks the same, so a guess is never made for the clerk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import BoError, NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.bank_models import BankAccount, BankLine

WINDOW_DAYS = 7


@dataclass(frozen=True)
class _Open:
    """An open statement line as matching reads it (plain rows: 10,000 ORM objects cost
    a second)."""

    id: int
    date: date
    amount: int
    text: str
    reference: str


@dataclass(frozen=True)
class Candidate:
    """A ledger line a statement line may be reconciled with."""

    entry_id: int
    line_no: int
    entry: str
    date: date
    amount: int
    memo: str
    source_ref: str
    score: tuple[int, int]
    """(0 when a reference is shared else 1, days apart): lower is better."""


@dataclass(frozen=True)
class LineView:
    id: int
    bank: str
    date: date
    amount: Decimal
    text: str
    reference: str
    status: str
    entry: str


def line_actions(actor: Actor, line: LineView) -> frozenset[str]:
    """What ``actor`` may do next with a statement line: ``reconcile`` an open one with a
    ledger line (``finance.post``)."""
    may = line.status == "open" and actor.can("finance.post")
    return frozenset({"reconcile"}) if may else frozenset()


@dataclass(frozen=True)
class MatchResult:
    """What one matching run did: lines matched to existing ledger lines, lines posted and
    reconciled by rules, and lines left open."""

    matched: int
    by_rules: int
    still_open: int


_CANDIDATES = """
    SELECT l.entry_id, l.line_no, e.year, e.number, l.date, l.debit - l.credit, l.memo,
           COALESCE(e.source_ref, ''), e.memo
    FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
    WHERE l.account_id = :account AND e.state <> 'draft' AND l.date BETWEEN :a AND :b
      AND NOT EXISTS (SELECT 1 FROM fin_bank_line b
                      WHERE b.entry_id = l.entry_id AND b.line_no = l.line_no)
"""


def _candidates(
    db: Reads, account_id: int, first: date, last: date
) -> dict[int, list[tuple[int, int, str, date, str, str]]]:
    """Unreconciled ledger lines on the bank's ledger account by amount: (entry id, line no,
    entry ref, date, text to look for references in, source ref)."""
    from bo_console.core.reading import reader_of

    found: dict[int, list[tuple[int, int, str, date, str, str]]] = {}
    rows = reader_of(db).rows(
        _CANDIDATES,
        {
            "account": account_id,
            "a": first - timedelta(days=WINDOW_DAYS),
            "b": last + timedelta(days=WINDOW_DAYS),
        },
    )
    for entry_id, line_no, year, number, day, amount, memo, source_ref, entry_memo in rows:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        found.setdefault(int(amount), []).append(
            (
                int(entry_id),
                int(line_no),
                f"{year}-{int(number):06d}",
                day,
                f"{memo} {entry_memo}",
                str(source_ref),
            )
        )
    return found


def _shares_reference(line: BankLine | _Open, source_ref: str, memo: str) -> bool:
    haystack = f"{line.reference} {line.text}".casefold()
    if source_ref and source_ref.casefold() in haystack:
        return True
    reference = line.reference.strip().casefold()
    return len(reference) >= 4 and reference in memo.casefold()


def _ranked(
    line: BankLine | _Open, pool: dict[int, list[tuple[int, int, str, date, str, str]]]
) -> list[Candidate]:
    ranked = []
    for entry_id, line_no, ref, day, memo, source_ref in pool.get(line.amount, []):
        apart = abs((day - line.date).days)
        if apart > WINDOW_DAYS:
            continue
        shared = _shares_reference(line, source_ref, memo)
        ranked.append(
            Candidate(
                entry_id,
                line_no,
                ref,
                day,
                line.amount,
                memo.strip(),
                source_ref,
                (0 if shared else 1, apart),
            )  # fmt: skip
        )
    ranked.sort(key=lambda c: (c.score, c.entry_id, c.line_no))
    return ranked


def _bank_line(session: Session, line_id: int) -> BankLine:
    from bo_console.finance.bank_models import BankLine

    line = session.get(BankLine, line_id)
    if line is None:
        raise NotFound(f"no bank statement line {line_id}")
    return line


def suggestions(db: Reads, actor: Actor, line_id: int) -> list[Candidate]:
    """Ledger lines statement line ``line_id`` may be reconciled with, best first (through a
    Reader or a session)."""
    from bo_console.core.lookups import day_of
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "see reconciliation suggestions")
    reader = reader_of(db)
    found = reader.first(
        "SELECT l.id, l.date, l.amount, l.text, l.reference, b.account_id FROM fin_bank_line l"
        " JOIN fin_bank_account b ON b.id = l.bank_account_id WHERE l.id = :id",
        {"id": line_id},
    )
    if found is None:
        raise NotFound(f"no bank statement line {line_id}")
    day = day_of(found[1]) or date.min
    line = _Open(int(found[0]), day, int(found[2]), str(found[3]), str(found[4]))
    return _ranked(line, _candidates(reader, int(found[5]), day, day))


def _mark(line: BankLine | _Open, entry_id: int, line_no: int, login: str) -> dict[str, object]:
    from bo_console.core.clock import utcnow

    return {
        "id": line.id,
        "status": "reconciled",
        "entry_id": entry_id,
        "line_no": line_no,
        "reconciled_at": utcnow(),
        "reconciled_by": login,
    }


def reconcile(
    session: Session, actor: Actor, line_id: int, entry: str, line_no: int | None = None
) -> LineView:
    """Reconcile a statement line with a ledger line of ``entry`` on the bank's account
    (``finance.post``; audited). Without ``line_no``, the entry's one line on that account.

    Raises:
        RuleViolation: already reconciled, the amounts differ, or that ledger line is taken.
    """
    from sqlalchemy import text, update

    from bo_console.core import audit
    from bo_console.finance.bank_models import BankAccount, BankLine
    from bo_console.finance.ledger import find_entry

    actor.require("finance.post", "reconcile bank statements")
    line = _bank_line(session, line_id)
    if line.status == "reconciled":
        raise RuleViolation(f"statement line {line_id} is already reconciled")
    bank = session.get(BankAccount, line.bank_account_id)
    assert bank is not None
    target = find_entry(session, entry)
    if target.state == "draft":
        raise RuleViolation(f"{target.ref} is a draft; post it first")
    rows = session.execute(
        text(
            "SELECT line_no, debit - credit FROM fin_line WHERE entry_id = :e "
            "AND account_id = :a ORDER BY line_no"
        ),
        {"e": target.id, "a": bank.account_id},
    ).all()
    if line_no is not None:
        rows = [r for r in rows if int(r[0]) == line_no]
    if len(rows) != 1:
        raise ValidationFailed(
            f"{target.ref} has {len(rows)} lines on the bank's account; name the line"
        )
    number, amount = int(rows[0][0]), int(rows[0][1])
    if amount != line.amount:
        raise RuleViolation(
            f"the amounts differ: statement line {line.amount / 100:.2f}, ledger {amount / 100:.2f}"
        )
    taken = session.execute(
        text("SELECT id FROM fin_bank_line WHERE entry_id = :e AND line_no = :n"),
        {"e": target.id, "n": number},
    ).first()
    if taken is not None:
        raise RuleViolation(f"{target.ref} line {number} is reconciled with line {taken[0]}")
    assert target.id is not None
    session.execute(update(BankLine), [_mark(line, target.id, number, actor.login)])
    audit.record(
        session,
        actor,
        action="reconcile",
        entity="bank_line",
        entity_id=line_id,
        changes={"entry": (None, f"{target.ref}:{number}")},
    )
    session.refresh(line)
    return _line_view(session, line, bank.code)


def unreconcile(session: Session, actor: Actor, line_id: int) -> LineView:
    """Undo a statement line's reconciliation (``finance.post``; audited)."""
    from sqlalchemy import update

    from bo_console.core import audit
    from bo_console.finance.bank_models import BankAccount, BankLine

    actor.require("finance.post", "reconcile bank statements")
    line = _bank_line(session, line_id)
    if line.status != "reconciled":
        raise RuleViolation(f"statement line {line_id} is not reconciled")
    before = f"#{line.entry_id}:{line.line_no}"
    session.execute(
        update(BankLine),
        [
            {
                "id": line.id,
                "status": "open",
                "entry_id": None,
                "line_no": None,
                "reconciled_at": None,
                "reconciled_by": None,
            }
        ],
    )
    audit.record(
        session, actor, action="unreconcile", entity="bank_line", entity_id=line_id,
        changes={"entry": (before, None)},
    )  # fmt: skip
    session.refresh(line)
    bank = session.get(BankAccount, line.bank_account_id)
    return _line_view(session, line, bank.code if bank else "")


def _line_view(session: Session, line: BankLine, bank: str) -> LineView:
    from bo_console.core.money import base_currency
    from bo_console.finance.models import Entry

    entry = session.get(Entry, line.entry_id) if line.entry_id else None
    assert line.id is not None
    return LineView(
        id=line.id,
        bank=bank,
        date=line.date,
        amount=base_currency(session).from_minor(line.amount),
        text=line.text,
        reference=line.reference,
        status=line.status,
        entry=f"{entry.ref}:{line.line_no}" if entry else "",
    )


def list_lines(
    db: Reads, actor: Actor, bank_code: str, *, open_only: bool = False, limit: int = 5000
) -> list[LineView]:
    """A bank account's statement lines by date (the open ones only with ``open_only``),
    read through a Reader or a session."""
    from bo_console.core.lookups import base_currency_of, day_of
    from bo_console.core.reading import reader_of
    from bo_console.finance.fiscal import entry_ref

    actor.require("finance.read", "read bank statements")
    reader = reader_of(db)
    code = bank_code.strip().upper()
    bank_id = reader.scalar("SELECT id FROM fin_bank_account WHERE code = :code", {"code": code})
    if bank_id is None:
        raise NotFound(f"no bank account {bank_code!r} (bo finance bank accounts list)")
    rows = reader.rows(
        "SELECT b.id, b.date, b.amount, b.text, b.reference, b.status, b.entry_id, b.line_no,"
        " e.year, e.number FROM fin_bank_line AS b LEFT JOIN fin_entry AS e ON e.id = b.entry_id"
        " WHERE b.bank_account_id = :bank"
        + (" AND b.status = 'open'" if open_only else "")
        + " ORDER BY b.date, b.id LIMIT :limit",
        {"bank": bank_id, "limit": limit},
    )
    money = base_currency_of(reader).from_minor
    return [
        LineView(
            id=int(line_id),
            bank=code,
            date=day_of(day) or date.min,
            amount=money(int(amount)),
            text=text,
            reference=reference,
            status=status,
            entry=f"{entry_ref(year, number, entry_id)}:{line_no}" if entry_id else "",
        )
        for line_id, day, amount, text, reference, status, entry_id, line_no, year, number in rows
    ]


# -- rules and automatic matching ---------------------------------------------------------------


def add_rule(
    session: Session,
    actor: Actor,
    bank_code: str,
    *,
    match_text: str,
    account: str,
    tax_code: str | None = None,
    memo: str = "",
) -> int:
    """A rule for recurring lines (finance managers): open statement lines whose text or
    reference holds ``match_text`` are posted against ``account`` (VAT split out by
    ``tax_code``) and reconciled with that entry. Returns the rule's id."""
    from bo_console.core import audit
    from bo_console.core.text import clean
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.bank.statements import find_bank
    from bo_console.finance.bank_models import BankRule
    from bo_console.finance.tax import get_tax_code

    actor.require("finance.manage", "add bank rules")
    bank = find_bank(session, bank_code)
    match_text = clean(match_text)
    if len(match_text) < 3:
        raise ValidationFailed("a rule's text is at least 3 characters")
    target = load_chart(session).get(account)
    if not target.postable or not target.active:
        raise ValidationFailed(f"{target.code} is not an active postable account")
    code = get_tax_code(session, tax_code).code if tax_code else None
    assert bank.id is not None and target.id is not None
    rule = BankRule(
        bank_account_id=bank.id,
        match_text=match_text,
        account_id=target.id,
        tax_code=code,
        memo=clean(memo),
        created_by=actor.login,
    )
    session.add(rule)
    session.flush()
    assert rule.id is not None
    audit.record(
        session, actor, action="create", entity="bank_rule", entity_id=rule.id,
        changes={"bank": (None, bank.code), "text": (None, match_text),
                 "account": (None, target.code), "tax_code": (None, code)},
    )  # fmt: skip
    return rule.id


def _post_by_rule(
    session: Session, actor: Actor, bank: BankAccount, group: list[_Open], rule_account: str,
    tax_code: str | None, memo: str,
) -> int:  # fmt: skip
    """Post one entry for a rule's statement lines of one day; returns its id. The bank's
    line of the n-th statement line is line n, so each is reconciled with its own."""
    from bo_console.finance.chart import role_code
    from bo_console.finance.ledger import post_entry
    from bo_console.finance.models import Account, EntryCreate, LineCreate
    from bo_console.finance.tax import get_tax_code

    ledger = session.get(Account, bank.account_id)
    assert ledger is not None
    code = get_tax_code(session, tax_code) if tax_code else None
    lines = [LineCreate.signed(ledger.code, line.amount, line.text[:200] or memo) for line in group]
    for line in group:
        rest = -line.amount
        text = line.text[:200] or memo
        if code is None:
            lines.append(LineCreate.signed(rule_account, rest, text))
            continue
        # The statement shows the gross; the VAT in it is gross * rate / (1 + rate), rounded.
        gross, sign = abs(rest), 1 if rest > 0 else -1
        net = (gross * 10_000 * 2 + (10_000 + code.rate_bp)) // (2 * (10_000 + code.rate_bp))
        if gross - net:
            side = role_code(session, "vat_input" if sign > 0 else "vat_output")
            lines.append(LineCreate.signed(side, sign * (gross - net), text, tax_code=code.code))
        lines.append(LineCreate.signed(rule_account, sign * net, text, tax_code=code.code))
    entry = post_entry(
        session,
        actor,
        EntryCreate(
            date=group[0].date, memo=memo[:200], source="bank",
            source_ref=f"bank-line:{group[0].id}", lines=lines,
        ),
    )  # fmt: skip
    assert entry.id is not None
    return entry.id


_RECONCILE = """
    UPDATE fin_bank_line SET status = 'reconciled', entry_id = :entry_id, line_no = :line_no,
           reconciled_at = :reconciled_at, reconciled_by = :reconciled_by
    WHERE id = :id AND status = 'open'
"""


def auto_match(session: Session, actor: Actor, bank_code: str) -> MatchResult:
    """Reconcile what can be told for sure (``finance.post``; one audit row per run): first
    each open line with one best ledger candidate, then lines a rule fits, posted by it."""
    from sqlalchemy import DateTime, bindparam, text
    from sqlmodel import col, select

    from bo_console.core import audit
    from bo_console.finance.bank.statements import find_bank
    from bo_console.finance.bank_models import BankRule
    from bo_console.finance.models import Account

    actor.require("finance.post", "reconcile bank statements")
    bank = find_bank(session, bank_code)
    open_lines = [
        _Open(int(i), d if isinstance(d, date) else date.fromisoformat(str(d)), int(a), str(t),
              str(r))
        for i, d, a, t, r in session.execute(
            text(
                "SELECT id, date, amount, text, reference FROM fin_bank_line "
                "WHERE bank_account_id = :b AND status = 'open' ORDER BY date, id"
            ),
            {"b": bank.id},
        ).all()
    ]  # fmt: skip
    matched: list[dict[str, object]] = []
    left: list[_Open] = []
    if open_lines:
        pool = _candidates(session, bank.account_id, open_lines[0].date, open_lines[-1].date)
        taken: set[tuple[int, int]] = set()
        for line in open_lines:
            ranked = [c for c in _ranked(line, pool) if (c.entry_id, c.line_no) not in taken]
            if ranked and (len(ranked) == 1 or ranked[0].score != ranked[1].score):
                best = ranked[0]
                taken.add((best.entry_id, best.line_no))
                matched.append(_mark(line, best.entry_id, best.line_no, actor.login))
            else:
                left.append(line)
    update = text(_RECONCILE).bindparams(bindparam("reconciled_at", type_=DateTime(timezone=True)))
    if matched:
        session.execute(update, matched)
    rules = session.exec(
        select(BankRule, Account.code)
        .join(Account, col(Account.id) == col(BankRule.account_id))
        .where(BankRule.bank_account_id == bank.id, col(BankRule.active))
        .order_by(col(BankRule.id))
    ).all()
    groups: dict[tuple[int, date], list[_Open]] = {}
    still_open = 0
    for line in left:
        haystack = f"{line.text} {line.reference}".casefold()
        index = next(
            (i for i, (r, _) in enumerate(rules) if r.match_text.casefold() in haystack), None
        )
        if index is None:
            still_open += 1
        else:
            groups.setdefault((index, line.date), []).append(line)
    by_rules: list[dict[str, object]] = []
    for (index, _), group in groups.items():
        rule, account = rules[index]
        try:
            with session.begin_nested():
                entry_id = _post_by_rule(
                    session, actor, bank, group, account, rule.tax_code,
                    rule.memo or rule.match_text,
                )  # fmt: skip
        except BoError:
            still_open += len(group)  # a closed month, say: left for the clerk
            continue
        by_rules += [
            _mark(line, entry_id, number, actor.login) for number, line in enumerate(group, start=1)
        ]
    if by_rules:
        session.execute(update, by_rules)
    if matched or by_rules:
        audit.record(
            session, actor, action="auto_match", entity="bank_account", entity_id=bank.code,
            changes={"matched": (None, len(matched)), "by_rules": (None, len(by_rules))},
        )  # fmt: skip
    return MatchResult(len(matched), len(by_rules), still_open)
