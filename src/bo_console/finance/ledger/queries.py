"""Reading entries: one with its lines, and lists of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

# The journal list reads without the ORM; these names stay importable from here.
from bo_console.finance.journal import EntryFilter as EntryFilter
from bo_console.finance.journal import EntryRow as EntryRow
from bo_console.finance.journal import EntryView as EntryView
from bo_console.finance.journal import LineView as LineView
from bo_console.finance.journal import get_entry as get_entry
from bo_console.finance.journal import list_entries as list_entries

if TYPE_CHECKING:
    from bo_console.core.security import Actor


def entry_actions(actor: Actor, view: EntryView) -> frozenset[str]:
    """What ``actor`` may do next with this entry: ``post``, ``edit`` or ``delete`` a draft
    and ``reverse`` a posted entry that no document owns (``finance.post``; a document's entry
    is undone by voiding the document), ``open`` the entry it reverses or that reverses it,
    open its ``source`` document."""
    from bo_console.finance.models import DOCUMENT_SOURCES

    allowed: set[str] = set()
    if actor.can("finance.post"):
        if view.state == "draft":
            allowed |= {"post", "edit", "delete"}
        if view.state == "posted" and view.source not in DOCUMENT_SOURCES:
            allowed.add("reverse")
    if view.reverses or view.reversed_by:
        allowed.add("open")
    if view.source in DOCUMENT_SOURCES and view.source_ref:
        allowed.add("source")
    return frozenset(allowed)
