"""Credit and debit notes on part of a posted invoice or bill, and write-offs.

A note corrects some lines of the original (returned quantities, price corrections) with
VAT per line under each line's own tax code, posts to the original's control account, and is
numbered in its kind's own sequence (``CRN``, ``DRN``, ``PCN``, ``PDN``). A credit note first
pays down what the original still owes; the rest stays on the party's account until it is
applied to another open document or refunded. A paid invoice can therefore still be
credited. Voiding stays the way to undo a whole posted document with nothing paid on it.

The package: :mod:`.common`, :mod:`.issuing`, :mod:`.settling`, :mod:`.writeoffs` and
:mod:`.queries`; everything callers use is importable from here.
"""

from __future__ import annotations

from bo_console.finance.notes.common import LineLeft, find_note, lines_left
from bo_console.finance.notes.issuing import issue_note, validate_note
from bo_console.finance.notes.queries import (
    NoteApplicationView,
    NoteLineView,
    NoteRow,
    NoteView,
    WriteOffRow,
    get_note,
    list_notes,
    list_writeoffs,
)
from bo_console.finance.notes.settling import apply_note, settle_note
from bo_console.finance.notes.writeoffs import tolerance, write_off

__all__ = [
    "LineLeft",
    "NoteApplicationView",
    "NoteLineView",
    "NoteRow",
    "NoteView",
    "WriteOffRow",
    "apply_note",
    "find_note",
    "get_note",
    "issue_note",
    "lines_left",
    "list_notes",
    "list_writeoffs",
    "settle_note",
    "tolerance",
    "validate_note",
    "write_off",
]
