"""The journal CSV formats (ours and hledger's), their dates and amounts, and the accounts
hledger names (created when the chart lacks them)."""

from __future__ import annotations

import csv
import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart, ChartAccount


JOB_NAME = "finance.import-journal"
OUR_COLUMNS = (
    "entry",
    "date",
    "description",
    "account",
    "debit",
    "credit",
    "memo",
    "cost_centre",
    "tax_code",
)
HLEDGER_COLUMNS = (
    "txnidx",
    "date",
    "date2",
    "status",
    "code",
    "description",
    "comment",
    "account",
    "amount",
    "commodity",
    "credit",
    "debit",
    "posting-status",
    "posting-comment",
)
TOP_LEVEL_TYPES = {
    "assets": "asset",
    "asset": "asset",
    "liabilities": "liability",
    "liability": "liability",
    "equity": "equity",
    "income": "income",
    "revenue": "income",
    "revenues": "income",
    "expenses": "expense",
    "expense": "expense",
}
"""hledger's top-level account names and the type each gives the accounts under it."""

_TYPE_DIGIT = {"asset": "1", "liability": "2", "equity": "3", "income": "4", "expense": "5"}
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
MAX_ERRORS = 1000
TEXT_LIMIT = 200
"""The longest description or memo a journal import takes (the columns' length)."""
ENTRIES_PER_CHUNK = 10_000
"""Entries the reader hands to the writer at a time (memory is bounded by a few chunks)."""
QUEUED_CHUNKS = 1
"""Chunks waiting for the writer: the reader is the faster side, so one keeps it busy."""
IMPORT_CACHE_KIB = 32 * 1024


@dataclass
class ImportResult:
    """What an import did."""

    entries: int = 0
    lines: int = 0
    accounts_created: list[str] = field(default_factory=list)
    skipped_zero: int = 0
    first: str = ""
    last: str = ""
    dry_run: bool = False
    file_format: str = "bo"

    @property
    def message(self) -> str:
        made = f"; created {len(self.accounts_created)} accounts" if self.accounts_created else ""
        zero = f"; skipped {self.skipped_zero} zero-amount postings" if self.skipped_zero else ""
        if self.dry_run:
            return (
                f"{self.entries} entries ({self.lines} lines) are valid{made}{zero}; "
                "nothing written (dry run)"
            )
        span = f" ({self.first} to {self.last})" if self.entries else ""
        return f"imported {self.entries} entries, {self.lines} lines{span}{made}{zero}"


# -- reading ------------------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes (the key imports before content keys were recorded under)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_digest(path: Path) -> str:
    """SHA-256 of the rows the file holds: how a re-import of the same journal is recognised.

    Cells are read as CSV and trimmed, blank rows and trailing empty cells dropped and the header
    folded to lower case, so the same journal saved with other line endings, quoting, a byte
    order mark or padding is still the same journal. A file that is not readable CSV falls
    back to its bytes (the import refuses it anyway).
    """
    digest = hashlib.sha256()
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            header = True
            for cells in csv.reader(fh):
                trimmed = [cell.strip() for cell in cells]
                while trimmed and not trimmed[-1]:
                    trimmed.pop()
                if not trimmed:
                    continue
                if header:
                    trimmed, header = [_header_key(cell) for cell in trimmed], False
                digest.update("\x1f".join(trimmed).encode())
                digest.update(b"\x1e")
    except (UnicodeDecodeError, csv.Error):
        return file_digest(path)
    return digest.hexdigest()


def _header_key(name: str) -> str:
    return name.strip().lower().lstrip("\ufeff")


def detect_format(header: Sequence[str]) -> str:
    """``hledger`` when the header is hledger's ``print -O csv`` one, else ``bo``."""
    keys = {_header_key(h) for h in header}
    return "hledger" if {"txnidx", "amount", "commodity"} <= keys else "bo"


class _Dates:
    """Parses dates once per distinct text (a journal repeats them a lot)."""

    def __init__(self) -> None:
        self.cache: dict[str, date | None] = {}

    def __call__(self, text: str) -> date | None:
        try:
            return self.cache[text]
        except KeyError:
            pass
        match = _DATE.match(text.strip())
        value: date | None = None
        if match:
            try:
                value = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                value = None
        self.cache[text] = value
        return value


def _amount_parser(exponent: int) -> Any:
    """A signed-amount parser for one currency: plain decimals with exactly the currency's
    decimals take a fast path; everything else goes through ``core.money.parse_amount``.

    The returned function raises ValueError with the reason.
    """
    from bo_console.core.money import parse_amount
    from bo_console.finance.ledger import MAX_AMOUNT, amount_problem

    too_large = amount_problem(MAX_AMOUNT + 1, exponent)

    def parse(text: str) -> int:
        dot = text.find(".")
        if dot > 0 and len(text) - dot - 1 == exponent:
            whole, fraction = text[:dot], text[dot + 1 :]
            if whole.isdigit() and fraction.isdigit():
                try:
                    value = int(whole + fraction)
                except ValueError:
                    pass
                else:
                    if value > MAX_AMOUNT:
                        raise ValueError(too_large)
                    return value
        value = parse_amount(text, exponent)
        if abs(value) > MAX_AMOUNT:
            raise ValueError(too_large)
        return value

    return parse


# -- accounts named by hledger ------------------------------------------------------------------


DIRECT_POSTINGS = "Direct postings"
"""The leaf under a group account that takes an imported journal's postings to the group."""


class _Accounts:
    """Resolves account texts, creating hledger-named accounts the chart lacks."""

    def __init__(
        self, session: Session, actor: Actor, chart: Chart, create: bool, lock: threading.Lock
    ) -> None:
        self.session = session
        self.actor = actor
        self.chart = chart
        self.create = create
        self.lock = lock
        self.cache: dict[str, int | str] = {}
        self.created: list[str] = []
        self.centres: set[str] = set()

    def centre(self, code: str) -> None:
        """Add a cost centre the list lacks (the file's lines carry it; audited)."""
        if code in self.centres:
            return
        from bo_console.finance.cost_centres import register_found

        with self.lock:  # the writer thread uses the same connection
            register_found(self.session, self.actor, code, "import")
        self.centres.add(code)

    def resolve(self, text: str) -> int | str:
        """The account id, or the reason it cannot be used."""
        cached = self.cache.get(text)
        if cached is None:
            cached = self.cache[text] = self._resolve(text)
        return cached

    def _usable(self, account: ChartAccount) -> int | str:
        from bo_console.finance.ledger import account_problem

        assert account.id is not None
        return account_problem(account) or account.id

    def _resolve(self, text: str) -> int | str:
        name = text.strip()
        if not name:
            return "no account given"
        account = self.chart.find(name)
        if account is not None and not account.postable and self.create and account.active:
            # hledger posts to any account, parents included; the chart posts only to leaves,
            # so a posting to a group lands in its own leaf under it, which the group's
            # balance (everything under it) includes, as hledger's does.
            with self.lock:
                return self._direct(account)
        if account is not None:
            return self._usable(account)
        if not self.create:
            return f"no account {name!r} (see `bo finance accounts list`)"
        with self.lock:  # the writer thread uses the same connection
            return self._create_path(name)

    def _direct(self, group: ChartAccount) -> int | str:
        assert group.id is not None
        leaf = self.chart.find(f"{self.chart.full_name(group.id)}:{DIRECT_POSTINGS}")
        if leaf is None:
            leaf = self._add(DIRECT_POSTINGS, group.type, group)
        return self._usable(leaf)

    def _create_path(self, name: str) -> int | str:
        from bo_console.core.text import clean

        parts = [clean(p) for p in name.split(":")]
        if any(not p for p in parts):
            return f"account name {name!r} has an empty part"
        for part in parts:
            if "  " in part or "\t" in part or ";" in part or part[0] in "([":
                return f"account name {name!r} has a part this chart cannot hold ({part!r})"
        # The deepest part of the path that exists, then create the rest under it.
        parent: ChartAccount | None = None
        depth = 0
        for index in range(len(parts), 0, -1):
            found = self.chart.find(":".join(parts[:index]))
            if found is not None:
                parent, depth = found, index
                break
        if parent is not None:
            kind = parent.type
        else:
            kind = TOP_LEVEL_TYPES.get(parts[0].casefold(), "")
            if not kind:
                return (
                    f"cannot tell the type of {name!r} from its top-level name (use assets, "
                    "liabilities, equity, income, revenue(s) or expenses)"
                )
        if parent is not None and not parent.active:
            return f"account {parent.code} {parent.name} is inactive"
        account = parent
        for part in parts[depth:]:
            account = self._add(part, kind, account)
        assert account is not None and account.id is not None
        return account.id

    def _next_code(self, kind: str) -> str:
        prefix = _TYPE_DIGIT[kind] + "9"
        number = 1
        while True:
            code = f"{prefix}{number:03d}"
            if not self.chart.has_code(code):
                return code
            number += 1

    def _add(self, name: str, kind: str, parent: ChartAccount | None) -> ChartAccount:
        from bo_console.core import audit
        from bo_console.finance.models import Account

        account = Account(
            code=self._next_code(kind),
            name=name,
            type=kind,
            parent_id=parent.id if parent is not None else None,
            postable=True,
        )
        self.session.add(account)
        self.session.flush()
        self.chart.add(account)
        assert account.id is not None
        self.created.append(self.chart.full_name(account.id))
        audit.record(
            self.session,
            self.actor,
            action="create",
            entity="account",
            entity_id=account.code,
            changes={
                "code": (None, account.code),
                "name": (None, name),
                "type": (None, kind),
                "parent": (None, parent.code if parent else None),
                "source": (None, "journal import"),
            },
        )
        return self.chart.accounts[account.id]
