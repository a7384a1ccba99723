"""What every logistics service shares: settings and accounts, look-ups of items, locations
and lots, document numbers, validation, and posting a document's stock entry to the books."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session, SQLModel

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.logistics.models import Item, Location, Lot

M = TypeVar("M", bound="SQLModel")

ACCOUNTS: dict[str, tuple[str, str, str, str]] = {
    # role: (default code, name, Arabic name, parent group)
    "inventory": ("1310", "Merchandise inventory", "مخزون البضائع", "1300"),
    "grni": ("2130", "Goods received not invoiced", "بضاعة مستلمة لم تصل فواتيرها", "2100"),
    "adjustment": ("5130", "Inventory adjustments", "تسويات المخزون", "5100"),
    "in_transit": ("1320", "Goods in transit", "بضاعة بالطريق", "1300"),
    "cost_of_sales": ("5110", "Cost of goods sold", "تكلفة البضاعة المباعة", "5100"),
    # Until a company opens a purchase price variance account (and sets
    # logistics.account.price_variance to it), price differences go to cost of goods sold.
    "price_variance": ("5110", "Cost of goods sold", "تكلفة البضاعة المباعة", "5100"),
}
"""The accounts logistics posts to, by role; the code in force is ``logistics.account.<role>``."""

SETTINGS: dict[str, tuple[str, str]] = {
    "po_approval_limit": ("1000000", "purchase orders above this (minor units) need a manager"),
    "count_approval_limit": ("100000", "count differences above this value need a manager"),
    "receipt_tolerance_pct": ("0", "per cent a receipt may exceed the ordered quantity"),
}
"""Logistics settings (``logistics.<name>``) and their defaults."""


def setting(session: Session, name: str) -> int:
    """A logistics setting as an integer (the default when unset)."""
    from bo_console.core import settings

    raw = settings.get(session, f"logistics.{name}") or SETTINGS[name][0]
    return int(raw)


def account(db: Reads, role: str) -> str:
    """The account code logistics posts ``role`` to (read through a session or a Reader)."""
    from bo_console.core import settings

    return settings.get(db, f"logistics.account.{role}") or ACCOUNTS[role][0]


def validated(model: type[M], data: Any, what: str) -> M:
    """``data`` as ``model`` (validated), or a one-line :class:`ValidationFailed`."""
    from pydantic import ValidationError

    try:
        raw = data.model_dump() if hasattr(data, "model_dump") else data
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            field = " ".join(str(p) for p in error["loc"]) or what
            message = str(error["msg"]).removeprefix("Value error, ")
            errors.append(FieldError(field.replace("_", " "), message))
        first = errors[0]
        raise ValidationFailed(f"{what}: {first.field}: {first.message}", errors) from None


def flush(session: Session) -> None:
    """Flush, turning the database's own refusals (triggers, constraints) into rule errors."""
    from sqlalchemy.exc import IntegrityError

    try:
        session.flush()
    except IntegrityError as exc:
        raise RuleViolation(database_message(exc)) from None


def database_message(exc: Exception) -> str:
    """The database's refusal in one line."""
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0]


def next_number(session: Session, table: str, prefix: str, year: int) -> str:
    """The next document number of a year: ``PO-2026-00017``."""
    from sqlalchemy import text

    from bo_console.core.db import lock_numbering

    lock_numbering(session, table)
    stem = f"{prefix}-{year}-"
    last = session.execute(
        text(f"SELECT MAX(number) FROM {table} WHERE number LIKE :stem"),  # noqa: S608
        {"stem": stem + "%"},
    ).scalar_one()
    seq = int(str(last).rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:05d}"


# -- a batch of documents ----------------------------------------------------------------------

_BATCH = "bo.logistics.stock_batch"


@dataclass
class StockBatch:
    """What the documents of one batch share: the items found by SKU or ``#id`` and the bins
    found by label. They are the session's own objects, so changes made in the batch (and the
    stock moves' triggers, which every move refreshes) are seen; keeping them here only keeps
    the session from dropping them and reading them again."""

    transaction: object
    items: dict[str, Item] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)


def _transaction(session: Session) -> object:
    return session.get_nested_transaction() or session.get_transaction()


@contextmanager
def stock_batch(session: Session) -> Iterator[None]:
    """Enter many logistics documents in one unit of work through the usual services: items
    and bins are read once per batch, and finance's postings run as one posting batch
    (``finance.service.posting_batch``). A batch already open is reused; one whose
    transaction changed (a savepoint begun or rolled back) reads everything again."""
    from bo_console.finance import service as finance

    with finance.posting_batch(session):
        if _current(session) is not None:
            yield
            return
        session.info[_BATCH] = StockBatch(_transaction(session))
        try:
            yield
        finally:
            session.info.pop(_BATCH, None)


def _current(session: Session) -> StockBatch | None:
    batch = session.info.get(_BATCH)
    if not isinstance(batch, StockBatch):
        return None
    transaction = _transaction(session)
    if batch.transaction is None:
        # Opened before the session's first statement: what it kept was read in this one.
        batch.transaction = transaction
    elif batch.transaction is not transaction:
        batch.transaction = transaction
        batch.items.clear()
        batch.locations.clear()
    return batch


# -- look-ups -----------------------------------------------------------------------------------


def find_item(session: Session, ref: str) -> Item:
    """An item by SKU, barcode or ``#id`` (what a scanner or a clerk types).

    Raises:
        NotFound: nothing matches.
    """
    text = ref.strip()
    batch = _current(session)
    key = text if text.startswith("#") else text.upper()
    found = batch.items.get(key) if batch is not None else None
    if found is None:
        found = _find_item(session, text)
        if batch is not None:
            batch.items[found.sku] = batch.items[f"#{found.id}"] = found
    return found


def item_by_id(session: Session, item_id: int) -> Item:
    """The item with id ``item_id`` (kept for the batch when one is open)."""
    return find_item(session, f"#{item_id}")


def _find_item(session: Session, text: str) -> Item:
    from sqlmodel import select

    from bo_console.logistics.models import Item, ItemBarcode

    if text.startswith("#") and text[1:].isdigit():
        found = session.get(Item, int(text[1:]))
    else:
        found = session.exec(select(Item).where(Item.sku == text.upper())).first()
        if found is None:
            code = session.get(ItemBarcode, text)
            found = session.get(Item, code.item_id) if code is not None else None
    if found is None:
        raise NotFound(f"no item {text!r} (a SKU or a barcode; see `bo logistics items list`)")
    return found


def find_location(session: Session, ref: str) -> Location:
    """A bin by ``WAREHOUSE/BIN``, or a warehouse code when it has exactly one bin."""
    from sqlmodel import select

    from bo_console.logistics.models import Location, Warehouse

    text = ref.strip().upper()
    batch = _current(session)
    found = batch.locations.get(text) if batch is not None else None
    if found is None:
        found = session.exec(select(Location).where(Location.label == text)).first()
        if found is not None and batch is not None:
            batch.locations[text] = found
    if found is not None:
        return found
    house = session.exec(select(Warehouse).where(Warehouse.code == text)).first()
    if house is not None:
        bins = session.exec(select(Location).where(Location.warehouse_id == house.id)).all()
        if len(bins) == 1:
            return bins[0]
        raise ValidationFailed(
            f"warehouse {text} has {len(bins)} bins; give one as {text}/BIN "
            f"({', '.join(b.label for b in bins[:5])})"
        )
    raise NotFound(f"no location {ref!r} (WAREHOUSE/BIN; see `bo logistics locations list`)")


def find_lot(session: Session, item: Item, lot_no: str) -> Lot:
    from sqlmodel import select

    from bo_console.logistics.models import Lot

    found = session.exec(
        select(Lot).where(Lot.item_id == item.id, Lot.lot_no == lot_no.strip().upper())
    ).first()
    if found is None:
        raise NotFound(f"{item.sku} has no lot {lot_no!r}")
    return found


def lot_for_receipt(
    session: Session, item: Item, lot_no: str | None, expiry: date | None
) -> Lot | None:
    """The lot received stock goes into (made on first receipt); None for untracked items."""
    from sqlmodel import select

    from bo_console.logistics.models import Lot

    if not item.lot_tracked:
        if lot_no:
            raise ValidationFailed(f"{item.sku} is not tracked by lot; leave the lot out")
        return None
    if not lot_no or not lot_no.strip():
        raise ValidationFailed(f"{item.sku} is tracked by lot: give the lot (and its expiry)")
    lot_no = lot_no.strip().upper()
    found = session.exec(select(Lot).where(Lot.item_id == item.id, Lot.lot_no == lot_no)).first()
    if found is not None:
        if expiry is not None and found.expiry is not None and found.expiry != expiry:
            raise ValidationFailed(
                f"lot {lot_no} of {item.sku} expires {found.expiry.isoformat()}, not "
                f"{expiry.isoformat()}"
            )
        return found
    assert item.id is not None
    lot = Lot(item_id=item.id, lot_no=lot_no, expiry=expiry)
    session.add(lot)
    flush(session)
    return lot


def lots_for_receipts(
    session: Session, wanted: Sequence[tuple[Item, str | None, date | None]]
) -> list[Lot | None]:
    """:func:`lot_for_receipt` for many (item, lot, expiry) at once (a take-on): the same
    checks, the existing lots read in one query and the new ones written in one statement."""
    from sqlmodel import col, select

    from bo_console.logistics.models import Lot

    keys: list[tuple[int, str] | None] = []
    for item, lot_no, _ in wanted:
        if not item.lot_tracked:
            if lot_no:
                raise ValidationFailed(f"{item.sku} is not tracked by lot; leave the lot out")
            keys.append(None)
            continue
        if not lot_no or not lot_no.strip():
            raise ValidationFailed(f"{item.sku} is tracked by lot: give the lot (and its expiry)")
        assert item.id is not None
        keys.append((item.id, lot_no.strip().upper()))
    item_ids = {k[0] for k in keys if k is not None}
    known = {
        (lot.item_id, lot.lot_no): lot
        for lot in session.exec(select(Lot).where(col(Lot.item_id).in_(item_ids))).all()
    }
    new: dict[tuple[int, str], date | None] = {}
    for key, (item, _, expiry) in zip(keys, wanted, strict=True):
        if key is None:
            continue
        found = known.get(key)
        if found is None and key not in new:
            new[key] = expiry
            continue
        expires = found.expiry if found is not None else new[key]
        if expiry is not None and expires is not None and expires != expiry:
            raise ValidationFailed(
                f"lot {key[1]} of {item.sku} expires {expires.isoformat()}, not "
                f"{expiry.isoformat()}"
            )
    if new:
        # One statement for the new lots (the ORM would insert them one by one to learn
        # each id), then read back as the session's objects.
        from sqlalchemy import insert
        from sqlalchemy.exc import IntegrityError

        from bo_console.core.text import forbidden_character

        for _, lot_no in new:
            problem = forbidden_character(lot_no)
            if problem is not None:
                raise ValidationFailed(f"lot_no {problem}")
        try:
            session.execute(
                insert(Lot.__table__),  # type: ignore[attr-defined]
                [{"item_id": i, "lot_no": n, "expiry": e} for (i, n), e in new.items()],
            )
        except IntegrityError as exc:
            raise RuleViolation(database_message(exc)) from None
        for lot in session.exec(select(Lot).where(col(Lot.item_id).in_({i for i, _ in new}))).all():
            known[(lot.item_id, lot.lot_no)] = lot
    return [None if key is None else known[key] for key in keys]


def location_label(session: Session, location_id: int) -> str:
    from bo_console.logistics.models import Location

    found = session.get(Location, location_id)
    return found.label if found is not None else f"#{location_id}"


def lot_label(session: Session, lot_id: int | None) -> str | None:
    from bo_console.logistics.models import Lot

    if lot_id is None:
        return None
    found = session.get(Lot, lot_id)
    return found.lot_no if found is not None else f"#{lot_id}"


# -- posting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    """One signed amount to one account role (debit positive)."""

    role: str
    amount: int
    memo: str = ""


def post_stock_entry(
    session: Session,
    actor: Actor,
    *,
    on: date,
    memo: str,
    source_ref: str,
    postings: Sequence[Posting],
    permission: str,
) -> str:
    """Post a logistics document's entry through finance's posting service (once per
    ``source_ref``); returns the entry's number, or "" when every amount is zero."""
    from bo_console.finance import service as finance

    totals: dict[str, int] = {}
    for p in postings:
        totals[p.role] = totals.get(p.role, 0) + p.amount
    lines = [
        finance.LineCreate.signed(account(session, role), amount, memo[:200])
        for role, amount in totals.items()
        if amount
    ]
    if not lines:
        return ""
    if sum(totals.values()) != 0:
        raise RuleViolation(f"{source_ref}: the stock entry does not balance")
    entry = finance.post_entry(
        session,
        actor,
        finance.EntryCreate(
            date=on, memo=memo[:200], source="stock", source_ref=source_ref, lines=lines
        ),
        permission=permission,
    )
    return str(entry.ref)


def ledger_balance(db: Reads, code: str) -> int:
    """Debit less credit of the posted lines on one account (by code), from finance's books
    (read through a session or a Reader)."""
    from bo_console.finance import service as finance

    found = finance.load_chart(db).find(code)
    return finance.posted_balance(db, int(found.id or 0)) if found is not None else 0


Numbered = TypeVar("Numbered", bound="SQLModel")


def by_number(session: Session, model: type[Numbered], number: str, what: str) -> Numbered:
    """The ``model`` row whose ``number`` is ``number`` (trimmed, upper-cased).

    Raises:
        NotFound: none has it (the message names ``what``: "purchase order", ...).
    """
    from sqlmodel import select

    column = model.number  # type: ignore[attr-defined]
    found = session.exec(select(model).where(column == number.strip().upper())).first()
    if found is None:
        raise NotFound(f"no {what} {number!r}")
    return found
