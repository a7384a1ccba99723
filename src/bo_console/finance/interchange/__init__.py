"""Interchange with plain-text accounting: journal import (our CSV and hledger's CSV) and
export (an hledger journal, or our CSV).

Our journal CSV (template: ``data/finance-journal-template.csv``) has one row per line::

    entry,date,description,account,debit,credit,memo,cost_centre,tax_code

Rows with the same ``entry`` value, one after another, make one entry; ``account`` is a code
or a full name; one of ``debit``/``credit`` is filled in. hledger's CSV is what
``hledger print -O csv`` writes (``txnidx`` groups the rows, ``amount`` is signed); accounts
it names that the chart lacks are created, their type taken from the top-level name.

An import reads the file once, in chunks, validating every row and writing inside one
``BEGIN IMMEDIATE`` transaction as it goes; it commits only when the whole file is valid, so
a file lands entirely or not at all, and the report names every bad row and column. Entries
are written on the driver's connection by a second thread, as INSERTs of thousands of rows of
bound parameters each (the ORM is ten times slower here); the database's triggers still check
every posting and keep the monthly balances. The same entries (by a SHA-256 of the rows, not
the file's bytes) are not imported twice unless forced. Each entry obeys the ledger's posting
rules (:mod:`bo_console.finance.ledger.rules`); only the writing is bulk.

The package: :mod:`.formats` (the CSV formats, dates, amounts, hledger's accounts),
:mod:`.importer`, :mod:`.bulk_writer` and :mod:`.export`.
"""

from __future__ import annotations

from bo_console.finance.interchange.bulk_writer import (
    ENTRY_WIDTH,
    LINE_WIDTH,
    PLAIN_WIDTH,
    ROWS_PER_STATEMENT,
    SWITCH_INTERVAL_S,
    Chunk,
    _batches,
    _rows,
    _widen,
    _Writer,
)
from bo_console.finance.interchange.entry_lines import read_entry_lines
from bo_console.finance.interchange.export import export_journal
from bo_console.finance.interchange.formats import (
    ENTRIES_PER_CHUNK,
    HLEDGER_COLUMNS,
    JOB_NAME,
    OUR_COLUMNS,
    TOP_LEVEL_TYPES,
    ImportResult,
    content_digest,
    detect_format,
    file_digest,
)
from bo_console.finance.interchange.importer import import_journal

__all__ = [
    "ENTRIES_PER_CHUNK",
    "ENTRY_WIDTH",
    "HLEDGER_COLUMNS",
    "JOB_NAME",
    "LINE_WIDTH",
    "OUR_COLUMNS",
    "PLAIN_WIDTH",
    "ROWS_PER_STATEMENT",
    "SWITCH_INTERVAL_S",
    "TOP_LEVEL_TYPES",
    "Chunk",
    "ImportResult",
    "_Writer",
    "_batches",
    "_rows",
    "_widen",
    "detect_format",
    "export_journal",
    "content_digest",
    "file_digest",
    "import_journal",
    "read_entry_lines",
]
