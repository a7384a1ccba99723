"""A posting batch: many documents, payments and entries posted in one unit of work through
the usual services, which then read what every posting of the batch shares once.

Inside ``with posting_batch(session):`` the services keep, for the batch, the control
accounts (:func:`.controls.load_controls`), the parties and tax codes they looked up, the
entries' last numbers and the documents' and payments' last sequence numbers, the months
found open and the cost centres found active, instead of reading them again for each
posting. The rules applied are the same functions as outside a
batch; only the reads are shared. Parties and tax codes are the session's own objects, so a
change made to one in the batch is seen; the numbering heads are carried from posting to
posting as the audit chain's head is (the writer holds the store's write lock throughout).

A batch belongs to one transaction: when the innermost transaction changes (a savepoint
begun or rolled back), what it kept is dropped and read again. Adding control accounts or
changing tax codes' VAT accounts inside a batch is not supported (those are set up before
documents are posted). Used by the demo's builders; an import can use it as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.finance.document_models import Party, TaxCode
    from bo_console.finance.ledger.controls import Controls
    from bo_console.finance.ledger.rules import EntryNumbers

_KEY = "bo.finance.posting_batch"


@dataclass
class Batch:
    """What the postings of one batch share (see the module's notes)."""

    transaction: object
    controls: Controls | None = None
    parties: dict[str, Party] = field(default_factory=dict)
    tax_codes: dict[str, TaxCode] = field(default_factory=dict)
    numbers: EntryNumbers | None = None
    sequences: dict[tuple[str, str, int], int] = field(default_factory=dict)
    open_periods: set[str] = field(default_factory=set)
    """Months a posting of the batch found open (closing one drops it)."""
    centres: set[str] = field(default_factory=set)
    """Cost centres a posting of the batch found active (changing one empties it)."""

    def forget(self, transaction: object) -> None:
        """Drop everything kept (the transaction it was read in is gone)."""
        self.transaction = transaction
        self.controls = self.numbers = None
        self.parties.clear()
        self.tax_codes.clear()
        self.sequences.clear()
        self.open_periods.clear()
        self.centres.clear()


def _transaction(session: Session) -> object:
    return session.get_nested_transaction() or session.get_transaction()


@contextmanager
def posting_batch(session: Session) -> Iterator[Batch]:
    """Post everything in the block as one batch (a batch already open is reused)."""
    open_batch = current(session)
    if open_batch is not None:
        yield open_batch
        return
    batch = session.info[_KEY] = Batch(_transaction(session))
    try:
        yield batch
    finally:
        session.info.pop(_KEY, None)


def current(session: Session) -> Batch | None:
    """The batch open on ``session``, if any (emptied first if its transaction changed)."""
    batch = session.info.get(_KEY)
    if not isinstance(batch, Batch):
        return None
    transaction = _transaction(session)
    if batch.transaction is not transaction:
        batch.forget(transaction)
    return batch
