"""Bank accounts and statement import: CSV with a column mapping saved per bank, and
ISO 20022 CAMT.053 (read with the standard library's XML parser, which refuses entity
expansion attacks since expat 2.4).

Importing is all or nothing: the whole file is parsed and checked first, every problem named
by row. The same file twice changes nothing (its digest is kept per bank account), and a line
already imported from another file (same date, amount, reference, text and occurrence) is
skipped, so overlapping statements do not double lines.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.bank_models import BankAccount

MAPPING_FIELDS = ("date", "amount", "debit", "credit", "text", "reference", "date_format")
"""What a CSV mapping names: the column of each field (``amount``, or ``debit`` and
``credit`` for banks that split money out and in), and the date format (``%Y-%m-%d`` by
default; ``%d/%m/%Y`` for most Saudi banks' exports)."""

FORMATS = ("csv", "camt053")


@dataclass(frozen=True)
class ParsedLine:
    """One statement line as read from the file (amount in minor units, in: positive)."""

    date: date
    amount: int
    text: str
    reference: str


@dataclass(frozen=True)
class ParsedStatement:
    reference: str
    lines: tuple[ParsedLine, ...]
    opening_balance: int | None = None
    closing_balance: int | None = None


@dataclass(frozen=True)
class BankAccountView:
    code: str
    name: str
    account: str
    iban: str
    csv_mapping: dict[str, str]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``added`` lines, ``skipped`` lines already imported, and whether
    the very file was imported before (then nothing changed)."""

    bank: str
    statement_id: int | None
    added: int
    skipped: int
    already_imported: bool


# -- bank accounts --------------------------------------------------------------------------


def find_bank(session: Session, code: str) -> BankAccount:
    """A bank account by its code (case folded)."""
    from sqlmodel import select

    from bo_console.finance.bank_models import BankAccount

    found = session.exec(select(BankAccount).where(BankAccount.code == code.strip().upper()))
    bank = found.first()
    if bank is None:
        raise NotFound(f"no bank account {code!r} (bo finance bank accounts list)")
    return bank


def _view(session: Session, bank: BankAccount) -> BankAccountView:
    from bo_console.finance.models import Account

    account = session.get(Account, bank.account_id)
    return BankAccountView(
        code=bank.code,
        name=bank.name,
        account=account.code if account else "",
        iban=bank.iban,
        csv_mapping=json.loads(bank.csv_mapping) if bank.csv_mapping else {},
    )


def add_bank_account(
    session: Session, actor: Actor, *, code: str, name: str, account: str, iban: str = ""
) -> BankAccountView:
    """Add a bank account kept in ledger ``account`` (finance managers)."""
    from bo_console.core import audit
    from bo_console.core.text import clean
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.bank_models import BankAccount

    actor.require("finance.manage", "add bank accounts")
    code = clean(code).upper()
    if not code or len(code) > 20:
        raise ValidationFailed("a bank account code is 1 to 20 characters")
    ledger = load_chart(session).get(account)
    if not ledger.postable or ledger.type != "asset":
        raise ValidationFailed(f"{ledger.code} is not a postable asset account")
    from sqlmodel import select

    if session.exec(select(BankAccount).where(BankAccount.code == code)).first() is not None:
        raise RuleViolation(f"bank account {code} already exists")
    if session.exec(select(BankAccount).where(BankAccount.account_id == ledger.id)).first():
        raise RuleViolation(f"account {ledger.code} already has a bank account")
    assert ledger.id is not None
    bank = BankAccount(
        code=code, name=clean(name), account_id=ledger.id, iban=clean(iban), created_by=actor.login
    )
    session.add(bank)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="bank_account",
        entity_id=code,
        changes={"name": (None, bank.name), "account": (None, ledger.code)},
    )
    return _view(session, bank)


def list_bank_accounts(db: Reads, actor: Actor) -> list[BankAccountView]:
    """Every bank account, by code (through a Reader or a session)."""
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "list bank accounts")
    rows = reader_of(db).rows(
        "SELECT b.code, b.name, COALESCE(a.code, ''), b.iban, b.csv_mapping"
        " FROM fin_bank_account AS b LEFT JOIN fin_account AS a ON a.id = b.account_id"
        " ORDER BY b.code"
    )
    return [
        BankAccountView(
            code=code,
            name=name,
            account=account,
            iban=iban,
            csv_mapping=json.loads(mapping) if mapping else {},
        )
        for code, name, account, iban, mapping in rows
    ]


def _check_mapping(mapping: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(mapping) - set(MAPPING_FIELDS))
    if unknown:
        raise ValidationFailed(
            f"unknown mapping field {unknown[0]!r} (one of {', '.join(MAPPING_FIELDS)})"
        )
    if "date" not in mapping or not ("amount" in mapping or "debit" in mapping):
        raise ValidationFailed("a CSV mapping names the date column and amount (or debit/credit)")
    return mapping


# -- parsing ------------------------------------------------------------------------------------


def _amount(text: str, currency: Currency) -> int:
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        return 0
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    try:
        value = Decimal(cleaned.strip("()"))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    minor = currency.to_minor(value)
    return -minor if negative else minor


_DIRECTIVES = {
    "%Y": "YYYY", "%y": "YY", "%m": "MM", "%d": "DD", "%b": "Mon", "%B": "Month",
    "%H": "hh", "%M": "mm", "%S": "ss", "%%": "%",
}  # fmt: skip
"""How a strptime directive of a mapping's ``date_format`` reads to a person."""


def _readable(fmt: str) -> str:
    """``%d/%m/%Y`` as a person writes it: ``DD/MM/YYYY``."""
    return re.sub(r"%.", lambda m: _DIRECTIVES.get(m.group(0), m.group(0)), fmt)


def _day(text: str, fmt: str) -> date:
    """A statement's date in the mapping's ``date_format``.

    Raises:
        ValueError: no date, or not one in that format (the message says which format).
    """
    if not text:
        raise ValueError(f"no date (give {_readable(fmt)})")
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the format {_readable(fmt)}") from None


def _check_date_format(fmt: str) -> None:
    """Raise when ``fmt`` is no strptime format that writes and reads back a date."""
    sample = date(2026, 3, 16)
    try:
        if datetime.strptime(sample.strftime(fmt), fmt).date() != sample:
            raise ValueError(fmt)
    except ValueError:
        raise ValidationFailed(
            f"date_format {fmt!r} is not a date format (for example %Y-%m-%d or %d/%m/%Y)"
        ) from None


def parse_csv(content: bytes, mapping: dict[str, str], currency: Currency) -> ParsedStatement:
    """Read a CSV statement by ``mapping`` (UTF-8, with or without BOM).

    Raises:
        ValidationFailed: a missing column or a bad row, named by row and column.
    """
    text = content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for field, column in mapping.items():
        if field != "date_format" and column not in header:
            raise ValidationFailed(f"the file has no column {column!r} (for {field})")
    fmt = mapping.get("date_format", "%Y-%m-%d")
    _check_date_format(fmt)
    lines: list[ParsedLine] = []
    problems: list[FieldError] = []
    for row_no, row in enumerate(reader, start=2):
        try:
            column = mapping["date"]
            day = _day((row.get(column) or "").strip(), fmt)
            if "amount" in mapping:
                column = mapping["amount"]
                amount = _amount(row.get(column) or "", currency)
            else:
                column = mapping["debit"]
                out = _amount(row.get(column) or "", currency)
                column = mapping.get("credit", "")
                amount = _amount(row.get(column) or "", currency) - abs(out)
        except ValueError as exc:
            problems.append(FieldError(f"row {row_no}, column {column}", str(exc).split(";")[0]))
            continue
        if amount == 0:
            continue  # a balance line or a note, not money moved
        lines.append(
            ParsedLine(
                date=day,
                amount=amount,
                text=(row.get(mapping.get("text", ""), "") or "").strip()[:200],
                reference=(row.get(mapping.get("reference", ""), "") or "").strip()[:60],
            )
        )
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ValidationFailed(f"{first.field}: {first.message}{more}", problems)
    return ParsedStatement(reference="", lines=tuple(lines))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_camt053(content: bytes, currency: Currency) -> ParsedStatement:
    """Read an ISO 20022 CAMT.053 statement: its entries (booking date, amount with its
    credit/debit indicator, remittance text, end-to-end or account-servicer reference) and
    the opening and closing booked balances.

    Raises:
        ValidationFailed: not CAMT.053 XML, or an entry without a date or amount.
    """
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise ValidationFailed(f"not an XML file: {exc}") from None

    def child(node: ElementTree.Element, *path: str) -> ElementTree.Element | None:
        for name in path:
            found = next((c for c in node if _local(c.tag) == name), None)
            if found is None:
                return None
            node = found
        return node

    def text_of(node: ElementTree.Element, *path: str) -> str:
        found = child(node, *path)
        return (found.text or "").strip() if found is not None else ""

    statement = next((n for n in root.iter() if _local(n.tag) == "Stmt"), None)
    if statement is None:
        raise ValidationFailed("not a CAMT.053 statement (no Stmt element)")
    balances: dict[str, int] = {}
    for node in statement:
        if _local(node.tag) != "Bal":
            continue
        kind = text_of(node, "Tp", "CdOrPrtry", "Cd")
        value = currency.to_minor(Decimal(text_of(node, "Amt") or "0"))
        balances[kind] = -value if text_of(node, "CdtDbtInd") == "DBIT" else value
    lines: list[ParsedLine] = []
    for number, node in enumerate((n for n in statement if _local(n.tag) == "Ntry"), start=1):
        day_text = text_of(node, "BookgDt", "Dt") or text_of(node, "BookgDt", "DtTm")[:10]
        amount_text = text_of(node, "Amt")
        try:
            day = date.fromisoformat(day_text)
            value = currency.to_minor(Decimal(amount_text))
        except (ValueError, InvalidOperation):
            raise ValidationFailed(
                f"entry {number}: no booking date or amount ({day_text!r}, {amount_text!r})"
            ) from None
        details = child(node, "NtryDtls", "TxDtls")
        remittance = text_of(details, "RmtInf", "Ustrd") if details is not None else ""
        reference = (
            text_of(details, "Refs", "EndToEndId") if details is not None else ""
        ) or text_of(node, "AcctSvcrRef")
        if reference == "NOTPROVIDED":
            reference = text_of(node, "AcctSvcrRef")
        lines.append(
            ParsedLine(
                date=day,
                amount=-value if text_of(node, "CdtDbtInd") == "DBIT" else value,
                text=(remittance or text_of(node, "AddtlNtryInf"))[:200],
                reference=reference[:60],
            )
        )
    return ParsedStatement(
        reference=text_of(statement, "Id")[:60],
        lines=tuple(lines),
        opening_balance=balances.get("OPBD"),
        closing_balance=balances.get("CLBD"),
    )


# -- importing ----------------------------------------------------------------------------------


def fingerprint(line: ParsedLine, occurrence: int) -> str:
    """What makes a statement line the same line in another file."""
    key = f"{line.date}|{line.amount}|{line.reference}|{line.text}|{occurrence}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def import_statement(
    session: Session,
    actor: Actor,
    bank_code: str,
    content: bytes,
    *,
    fmt: str,
    mapping: dict[str, str] | None = None,
    to: date | None = None,
) -> ImportResult:
    """Import a statement into a bank account (``finance.post``). A CSV mapping given is
    checked and saved on the bank account; without one, the saved mapping is used. ``to`` is
    the last day the statement covers when that is after its last line.

    Raises:
        ValidationFailed: a bad format, mapping or file (nothing is written).
    """
    from sqlalchemy import insert
    from sqlmodel import select

    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.bank_models import BankLine, BankStatement

    actor.require("finance.post", "import bank statements")
    bank = find_bank(session, bank_code)
    assert bank.id is not None
    if fmt not in FORMATS:
        raise ValidationFailed(f"statement format is one of {', '.join(FORMATS)}")
    currency = base_currency(session)
    digest = hashlib.sha256(content).hexdigest()
    seen = session.exec(
        select(BankStatement.id).where(
            BankStatement.bank_account_id == bank.id, BankStatement.digest == digest
        )
    ).first()
    if seen is not None:
        return ImportResult(bank.code, seen, 0, 0, already_imported=True)
    if fmt == "csv":
        if mapping:
            mapping = _check_mapping(mapping)
        elif bank.csv_mapping:
            mapping = json.loads(bank.csv_mapping)
        else:
            raise ValidationFailed(
                f"{bank.code} has no saved CSV mapping; give one (--map date=COLUMN ...)"
            )
        assert mapping is not None
        parsed = parse_csv(content, mapping, currency)
        saved = json.dumps(mapping, sort_keys=True)
        if saved != bank.csv_mapping:
            audit.record(
                session,
                actor,
                action="update",
                entity="bank_account",
                entity_id=bank.code,
                changes={"csv_mapping": (bank.csv_mapping or None, saved)},
            )
            bank.csv_mapping = saved
            session.add(bank)
    else:
        parsed = parse_camt053(content, currency)
    if not parsed.lines:
        raise ValidationFailed("the statement has no lines")
    counts: dict[tuple[date, int, str, str], int] = {}
    prints: list[tuple[ParsedLine, str]] = []
    for line in parsed.lines:
        key = (line.date, line.amount, line.reference, line.text)
        counts[key] = counts.get(key, 0) + 1
        prints.append((line, fingerprint(line, counts[key])))
    known = set(
        session.exec(select(BankLine.fingerprint).where(BankLine.bank_account_id == bank.id)).all()
    )
    fresh = [(line, fp) for line, fp in prints if fp not in known]
    statement = BankStatement(
        bank_account_id=bank.id,
        digest=digest,
        format=fmt,
        reference=parsed.reference,
        first_date=min(line.date for line in parsed.lines),
        last_date=max(max(line.date for line in parsed.lines), to or date.min),
        opening_balance=parsed.opening_balance,
        closing_balance=parsed.closing_balance,
        lines=len(fresh),
        imported_by=actor.login,
    )
    session.add(statement)
    session.flush()
    if fresh:
        session.execute(
            insert(BankLine),
            [
                {
                    "bank_account_id": bank.id,
                    "statement_id": statement.id,
                    "seq": seq,
                    "date": line.date,
                    "amount": line.amount,
                    "text": line.text,
                    "reference": line.reference,
                    "fingerprint": fp,
                    "status": "open",
                }
                for seq, (line, fp) in enumerate(fresh, start=1)
            ],
        )
    audit.record(
        session,
        actor,
        action="import",
        entity="bank_statement",
        entity_id=statement.id or 0,
        changes={"bank": (None, bank.code), "lines": (None, len(fresh))},
    )
    return ImportResult(
        bank.code, statement.id, len(fresh), len(prints) - len(fresh), already_imported=False
    )
