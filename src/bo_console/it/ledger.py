"""The asset register in the books: capitalisation from a supplier bill line, monthly
straight-line depreciation, disposal with its gain or loss, and the check that the register
equals its ledger accounts.

Everything posts through finance's posting service with source ``asset`` and one reference
per document (``depreciation:2026-12``, ``disposal:LT-0042``), so a second run posts nothing.
The accounts are settings (``it.account.cost`` and friends) with the seeded chart's codes as
defaults.
"""

from __future__ import annotations

import calendar as _months
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import AlreadyDone, RuleViolation, ValidationFailed
from bo_console.core.text import clean
from bo_console.it.assets import AssetView, asset_by_tag, get_asset
from bo_console.it.models import Asset, AssetCategory, Depreciation

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.jobs import Progress
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

DISPOSAL_TAX_CODE = "S15"
"""The tax code an asset sale is charged under unless told otherwise (standard rate)."""

ACCOUNTS = {
    "cost": ("1550", "IT equipment at cost"),
    "accumulated": ("1555", "accumulated depreciation of IT equipment"),
    "depreciation": ("6500", "depreciation expense"),
    "gain": ("4920", "gain on disposal of assets"),
    "loss": ("7400", "loss on disposal of assets"),
}
"""IT's ledger accounts: role -> (default code, what it is); setting ``it.account.<role>``."""


def account(db: Reads, role: str) -> str:
    """The account code in force for an IT role, checked with finance."""
    from bo_console.core import settings
    from bo_console.finance import service

    code = settings.get(db, f"it.account.{role}") or ACCOUNTS[role][0]
    if not service.load_chart(db).has_code(code):
        raise RuleViolation(
            f"the chart has no account {code} for {ACCOUNTS[role][1]}; add it or set "
            f"it.account.{role}"
        ) from None
    return code


def ensure_accounts(session: Session, actor: Actor) -> list[str]:
    """Add, through finance's service, any IT account the chart lacks (finance.manage);
    returns the codes added."""
    from bo_console.finance import service
    from bo_console.finance.service import AccountCreate

    kinds = {
        "cost": "asset",
        "accumulated": "asset",
        "depreciation": "expense",
        "gain": "income",
        "loss": "expense",
    }
    added = []
    for role, (code, name) in ACCOUNTS.items():
        if not service.load_chart(session).has_code(code):
            service.add_account(
                session, actor, AccountCreate(code=code, name=name.capitalize(), type=kinds[role])
            )
            added.append(code)
    return added


def _post(
    session: Session,
    actor: Actor,
    on: date,
    memo: str,
    ref: str,
    lines: list[tuple[str, int]],
    taxed: Sequence[tuple[str, int, str]] = (),
) -> str:
    """Post a balanced entry (account, signed amount; ``taxed``: with a tax code too) through
    finance; returns its number."""
    from bo_console.finance import service

    entry = service.post_entry(
        session,
        actor,
        service.EntryCreate(
            date=on,
            memo=memo[:200],
            source="asset",
            source_ref=ref,
            lines=[
                service.LineCreate.signed(code, amount, memo[:200])
                for code, amount in lines
                if amount
            ]
            + [
                service.LineCreate.signed(code, amount, memo[:200], tax_code=tax_code)
                for code, amount, tax_code in taxed
                if amount
            ],
        ),
        permission="it.manage",
    )
    return str(entry.ref)


def charged(session: Session, asset: Asset) -> int:
    """Depreciation charged on an asset so far (opening plus every posted month)."""
    from sqlmodel import func, select

    total = session.exec(
        select(func.coalesce(func.sum(Depreciation.amount), 0)).where(
            Depreciation.asset_id == asset.id
        )
    ).one()
    return int(total) + asset.opening_depreciation


# -- capitalisation -----------------------------------------------------------------------------


def capitalise(
    session: Session, actor: Actor, tag: str, *, bill: str, line: int, in_service: date
) -> AssetView:
    """Tie an asset to a posted supplier bill line on the IT equipment account: its cost
    becomes the line's unit cost (no new posting: the bill already debited the account).
    A line of quantity 3 capitalises three assets (it.manage).
    """
    from sqlmodel import select

    from bo_console.finance import service

    actor.require("it.manage", "capitalise assets")
    asset = asset_by_tag(session, tag)
    if asset.capitalised_by is not None:
        raise RuleViolation(f"{asset.tag} is already capitalised ({asset.capitalised_by})")
    row = service.document_line(session, bill, line, ["bill"])
    if row.status not in ("posted", "partly_paid", "paid"):
        raise RuleViolation(f"{row.ref} is {row.status}; only posted bills capitalise")
    if row.account != account(session, "cost"):
        raise RuleViolation(f"line {line} of {row.ref} is not on the IT equipment account")
    units = row.whole_units or 0
    ref = f"bill:{row.ref}:{line}"
    used = len(session.exec(select(Asset.id).where(Asset.capitalised_by == ref)).all())
    if units < 1 or used >= units:
        raise RuleViolation(f"line {line} of {row.ref} has no unit left to capitalise")
    unit_cost = row.net // units + (1 if used < row.net % units else 0)
    before = asset.cost
    asset.cost, asset.capitalised_by, asset.in_service = unit_cost, ref, in_service
    session.add(asset)
    session.flush()
    audit.record(
        session,
        actor,
        action="capitalise",
        entity="asset",
        entity_id=asset.tag,
        changes={
            "cost": (before, unit_cost),
            "capitalised_by": (None, ref),
            "in_service": (None, in_service),
        },
    )
    return get_asset(session, actor, asset.tag)


# -- depreciation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepreciationRun:
    period: str
    assets: int
    total: Decimal
    entry: str | None

    @property
    def summary(self) -> str:
        """The run's one line (its job record, and what the faces say)."""
        if self.entry is None:
            return f"{self.period}: {self.assets:,} assets, nothing to post"
        return f"{self.period}: {self.assets:,} assets, {self.total:,} posted, entry {self.entry}"


PROGRESS_STEP = 50
"""Assets between two progress reports."""


def _first_period(in_service: date) -> str:
    """Mid-month convention: in service by the 15th depreciates that month, later the next."""
    year, month = in_service.year, in_service.month
    if in_service.day > 15:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def depreciate(
    session: Session,
    actor: Actor,
    period: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> DepreciationRun:
    """Post one month's straight-line depreciation of every capitalised asset, once: cost
    less residual over the category's life, the last month taking what is left (it.manage).
    ``progress`` hears ``(assets weighed, assets + 1)``; the last step is the posting.

    Raises:
        AlreadyDone: the month is already posted.
        RuleViolation: the month is closed in finance.
    """
    from sqlmodel import col, select

    from bo_console.core.jobs import tell
    from bo_console.core.money import base_currency, from_minor
    from bo_console.finance import service

    actor.require("it.manage", "post depreciation")
    period = service.parse_period(period)
    done = session.exec(select(Depreciation.entry_ref).where(Depreciation.period == period)).first()
    if done is not None:
        raise AlreadyDone(f"depreciation for {period} is already posted (entry {done})")
    year, month = int(period[:4]), int(period[5:])
    month_end = date(year, month, _months.monthrange(year, month)[1])
    lives = {c.code: c.life_months for c in session.exec(select(AssetCategory)).all()}
    assets = session.exec(
        select(Asset)
        .where(
            col(Asset.capitalised_by).is_not(None),
            col(Asset.in_service).is_not(None),
            col(Asset.in_service) <= month_end,
            (col(Asset.disposed_on).is_(None)) | (col(Asset.disposed_on) > month_end),
        )
        .order_by(col(Asset.id))
    ).all()
    charges: list[tuple[Asset, int]] = []
    steps = len(assets) + 1
    for weighed, asset in enumerate(assets, 1):
        tell(progress, weighed, steps, step=PROGRESS_STEP)
        assert asset.in_service is not None
        if _first_period(asset.in_service) > period:
            continue
        base = asset.cost - asset.residual
        left = base - charged(session, asset)
        if left <= 0:
            continue
        monthly = (base + lives[asset.category] // 2) // lives[asset.category]
        charges.append((asset, min(max(monthly, 1), left)))
    total = sum(amount for _, amount in charges)
    exponent = base_currency(session).exponent
    if dry_run or total == 0:
        tell(progress, steps, steps)
        return DepreciationRun(period, len(charges), from_minor(total, exponent), None)
    entry = _post(
        session,
        actor,
        month_end,
        f"Depreciation of IT equipment {period}",
        f"depreciation:{period}",
        [(account(session, "depreciation"), total), (account(session, "accumulated"), -total)],
    )
    for asset, amount in charges:
        session.add(
            Depreciation(asset_id=int(asset.id or 0), period=period, amount=amount, entry_ref=entry)
        )
    session.flush()
    audit.record(
        session,
        actor,
        action="depreciate",
        entity="asset_register",
        entity_id=period,
        changes={
            "assets": (None, len(charges)),
            "total": (None, from_minor(total, exponent)),
            "entry": (None, entry),
        },
    )
    tell(progress, steps, steps)
    return DepreciationRun(period, len(charges), from_minor(total, exponent), entry)


def run_depreciation(
    store: Store, actor: Actor, period: str, *, progress: Progress | None = None
) -> DepreciationRun:
    """:func:`depreciate` as the job ``it.assets.depreciate``, once per month: locked,
    recorded with its summary, in one write transaction (what cron and the console run).

    Raises:
        AlreadyDone: the month ran before (recorded as skipped).
        Busy: another copy is running.
        ValidationFailed: not a month.
    """
    from bo_console.core.jobs import run_job
    from bo_console.finance import service

    period = service.parse_period(period)
    with run_job(store, actor, "it.assets.depreciate", key=period) as job, store.write() as session:
        run = depreciate(session, actor, period, progress=progress)
        job.complete(session, run.summary)
    return run


# -- disposal -----------------------------------------------------------------------------------


def dispose(
    session: Session,
    actor: Actor,
    tag: str,
    *,
    on: date,
    proceeds: int = 0,
    method: str = "sold",
    tax_code: str = DISPOSAL_TAX_CODE,
) -> AssetView:
    """Dispose of an asset (it.manage): it leaves the register at its book value, and the
    ledger gets cost out, accumulated depreciation out, the proceeds into the bank and the
    gain or loss. It can never be checked out again.

    ``proceeds`` are net of VAT. Selling a used asset is a supply like any other: the buyer
    pays the proceeds plus the output tax of ``tax_code`` (standard rate unless told), which
    goes to that code's output VAT account; the proceeds are posted on the gain account under
    the same code, so the month's VAT return declares the sale.

    Raises:
        RuleViolation: the asset is checked out or already disposed; the tax code is inactive.
        NotFound: no such tax code.
    """
    from bo_console.finance import service

    actor.require("it.manage", "dispose of assets")
    asset = asset_by_tag(session, tag)
    if asset.status == "disposed":
        raise RuleViolation(f"{asset.tag} is already disposed")
    if asset.status == "assigned":
        raise RuleViolation(f"{asset.tag} is checked out; check it in first")
    if proceeds < 0:
        raise ValidationFailed("proceeds cannot be negative")
    method = clean(method)[:40] or "sold"
    tax = None
    entry = None
    if asset.capitalised_by is not None and asset.cost > 0:
        tax = service.sale_tax(session, tax_code, proceeds) if proceeds else None
        accumulated = charged(session, asset)
        book = asset.cost - accumulated
        gain_account = account(session, "gain")
        vat = tax.tax if tax is not None else 0
        lines = [
            (account(session, "accumulated"), accumulated),
            (service.account_for_role(session, "bank"), proceeds + vat),
            (account(session, "cost"), -asset.cost),
        ]
        taxed: list[tuple[str, int, str]] = []
        if tax is not None:
            # The whole proceeds on the gain account under the tax code (what the VAT return
            # reads as the sale), the book value they cover back out of it, any loss beyond.
            taxed = [(gain_account, -proceeds, tax.code)]
            if vat:
                taxed.append((tax.account, -vat, tax.code))
            covered = min(book, proceeds)
            lines += [(gain_account, covered), (account(session, "loss"), book - covered)]
        else:
            lines.append((account(session, "loss"), book))
        entry = _post(
            session,
            actor,
            on,
            f"Disposal of {asset.tag} ({method})",
            f"disposal:{asset.tag}",
            lines,
            taxed,
        )
    before = asset.status
    asset.status, asset.disposed_on, asset.proceeds = "disposed", on, proceeds
    asset.disposal_method = method
    session.add(asset)
    session.flush()
    audit.record(
        session,
        actor,
        action="dispose",
        entity="asset",
        entity_id=asset.tag,
        changes={
            "status": (before, "disposed"),
            "disposed_on": (None, on),
            "proceeds": (None, proceeds),
            "method": (None, method),
            "tax_code": (None, tax.code if tax is not None else None),
            "vat": (None, tax.tax if tax is not None else 0),
            "entry": (None, entry),
        },
    )
    return get_asset(session, actor, asset.tag)


# -- the register against the ledger --------------------------------------------------------------


def _id(found: object) -> int:
    return int(getattr(found, "id", 0) or 0)


def register_checks(db: Reads) -> list[CheckResult]:
    """``bo db check``: the register's cost and accumulated depreciation of capitalised assets
    still held equal the balances of their ledger accounts (read through a Reader or a
    session)."""
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import reader_of
    from bo_console.finance import service

    cost_code, acc_code = account(db, "cost"), account(db, "accumulated")
    row = reader_of(db).first(
        """
            SELECT COALESCE(SUM(a.cost), 0),
                   COALESCE(SUM(a.opening_depreciation), 0)
                   + COALESCE((SELECT SUM(d.amount) FROM it_depreciation d
                               JOIN it_asset x ON x.id = d.asset_id
                               WHERE x.capitalised_by IS NOT NULL AND x.status <> 'disposed'), 0)
            FROM it_asset a WHERE a.capitalised_by IS NOT NULL AND a.status <> 'disposed'
            """
    )
    assert row is not None  # an aggregate has its one row
    cost, accumulated = int(row[0]), int(row[1])
    chart = service.load_chart(db)
    ledger_cost = service.posted_balance(db, _id(chart.find(cost_code)))
    ledger_acc = -service.posted_balance(db, _id(chart.find(acc_code)))
    return [
        CheckResult(
            "IT asset register cost = ledger",
            cost == ledger_cost,
            f"register {cost}, account {cost_code} {ledger_cost} (minor units)",
        ),
        CheckResult(
            "IT accumulated depreciation = ledger",
            accumulated == ledger_acc,
            f"register {accumulated}, account {acc_code} {ledger_acc} (minor units)",
        ),
    ]
