"""Import and export shared by every department.

Exports: any list of rows to a table, CSV, XLSX or JSON, with spreadsheet formulas neutralised
in CSV and XLSX (a text cell starting with ``= + - @``, tab, CR or NUL gets a leading ``'``).
Imports: CSV (UTF-8, with or without BOM) and XLSX, read in chunks; callers validate the whole
file before writing anything, and report every problem by row and column.
"""

from __future__ import annotations

import contextlib
import csv
import io as _io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from bo_console.core.errors import FieldError, ValidationFailed

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: str) -> str:
    """Make a text cell inert in spreadsheets (OWASP CSV injection advice).

    Plain signed numbers such as ``-12.50`` are left alone: a spreadsheet reads them as numbers.
    """
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` on an imported cell, so an export imports back unchanged."""
    if value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


# Characters XML 1.0, and so an XLSX cell, cannot hold: most control characters (openpyxl refuses
# them), lone surrogates and U+FFFE/U+FFFF (openpyxl writes them, and the file cannot be opened).
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_output_path(path: Path) -> None:
    """Refuse an output file whose directory is missing, or that is itself a directory (or,
    on a sealed host, one the person may not have the service write)."""
    from bo_console.core.sealed import person_path

    person_path(path, writing=True)
    if path.is_dir():
        raise ValidationFailed(f"{path} is a directory; give a file name")
    if not path.parent.is_dir():
        raise ValidationFailed(f"directory {path.parent} does not exist")


def _plain(value: Any) -> Any:
    """A value as JSON and text outputs show it (exact decimals as strings)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(_plain(v)) for v in value)
    return value


def _cell_text(value: Any) -> str:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, bool):
        return "yes" if plain else "no"
    return str(plain)


def _table_text(value: Any) -> str:
    """A value as a text table shows it: amounts with thousands separators (``2,042,686.78``,
    as the console shows them); CSV and JSON keep them plain."""
    if isinstance(value, Decimal):
        return f"{value:,}"
    return _cell_text(value)


def _csv_cell(value: Any) -> str:
    text = _cell_text(value)
    return neutralise(text) if isinstance(_plain(value), str) else text


def dumps(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows as CSV or JSON text."""
    if fmt == "json":
        data = [{c: _json_value(row.get(c)) for c in columns} for row in rows]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        lines = [_csv_line(columns)]
        lines.extend(_csv_line([_csv_cell(row.get(c)) for c in columns]) for row in rows)
        return "".join(lines)
    raise ValueError(f"unknown text format {fmt!r}")


_CSV_SPECIAL = re.compile(r'[",\r\n]')


def _csv_line(cells: Sequence[str]) -> str:
    """One CSV line ending in LF, quoting as the csv module does, and also when a cell holds a
    lone CR: the csv module leaves that bare with an LF terminator, and a spreadsheet then
    starts a new row there (one that could begin with a formula)."""
    if len(cells) == 1 and not cells[0]:
        return '""\n'
    quoted = ('"' + c.replace('"', '""') + '"' if _CSV_SPECIAL.search(c) else c for c in cells)
    return ",".join(quoted) + "\n"


def _json_value(value: Any) -> Any:
    plain = _plain(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return plain


OUTPUT_FILE_MODE = 0o600


@contextmanager
def private_output(path: Path) -> Iterator[Path]:
    """Yield a file to write that becomes ``path`` when the block ends, readable by its owner.

    Exports can hold salaries, IBANs and the books, so they are created 0600 whatever the
    umask (as backups are); the owner may widen that with ``chmod``. The file is created
    exclusively, inside a directory made for it that only its owner can enter (0700), and
    everything after goes through that directory's descriptor, never its name: in a folder
    other people can write, nobody can swap the file or the directory for a link or a file of
    their own between its creation and the rename that puts it at ``path``. A failed export
    leaves nothing behind, and never a half-written file under the name asked for.
    """
    from bo_console.core.sealed import person_path

    path = person_path(path, writing=True)  # resolved: checked and written are one file
    import shutil
    import stat
    import tempfile

    parent = path.parent if str(path.parent) else Path(".")
    parent_fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    scratch = ""
    dir_fd = -1
    try:
        scratch = tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=parent)
        dir_fd = os.open(
            os.path.basename(scratch),
            os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
            dir_fd=parent_fd,
        )
        made = os.fstat(dir_fd)
        if made.st_uid != os.geteuid() or stat.S_IMODE(made.st_mode) & 0o077:
            raise ValidationFailed(f"{parent}: the file being written was tampered with; try again")
        name = path.name
        os.close(
            os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OUTPUT_FILE_MODE, dir_fd=dir_fd)
        )
        through = Path(f"/proc/self/fd/{dir_fd}")
        yield (through if through.is_dir() else Path(scratch)) / name
        os.chmod(name, OUTPUT_FILE_MODE, dir_fd=dir_fd, follow_symlinks=False)
        os.replace(name, path.name, src_dir_fd=dir_fd, dst_dir_fd=parent_fd)
    finally:
        if dir_fd >= 0:
            for left in os.listdir(dir_fd):
                os.unlink(left, dir_fd=dir_fd)
            ours = os.fstat(dir_fd)
            os.close(dir_fd)
            base = os.path.basename(scratch)
            with contextlib.suppress(OSError):
                # Only if the name still is our directory (someone may have moved it).
                there = os.stat(base, dir_fd=parent_fd, follow_symlinks=False)
                if (there.st_dev, there.st_ino) == (ours.st_dev, ours.st_ino):
                    os.rmdir(base, dir_fd=parent_fd)
        elif scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        os.close(parent_fd)


def write_text_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through :func:`private_output`."""
    check_output_path(path)
    with private_output(path) as partial:
        partial.write_text(text, encoding="utf-8")


def write_file(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    path: Path,
    fmt: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write rows to ``path`` as CSV, JSON or XLSX (owner-only, written whole, then renamed);
    ``progress(done, total)`` hears how many rows are written."""
    check_output_path(path)
    with private_output(path) as partial:
        if fmt == "xlsx":
            from bo_console.core.spreadsheet import write_xlsx

            write_xlsx(rows, columns, partial, progress)
        else:
            partial.write_text(dumps(rows, columns, fmt), encoding="utf-8")
            if progress is not None:
                progress(len(rows), len(rows))


def _plain_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Aligned columns, two spaces apart, numbers to the right; no styling, no wrapping."""
    from rich.cells import cell_len

    texts = [[_table_text(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
    widths = [max([cell_len(c), *(cell_len(t[i]) for t in texts)]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(r.get(c), int | Decimal) and not isinstance(r.get(c), bool) for r in rows)
        for c in columns
    ]

    def line(cells: Sequence[str], header: bool = False) -> str:
        out = []
        for text, width, right in zip(cells, widths, numeric, strict=True):
            pad = " " * (width - cell_len(text))
            out.append(pad + text if right and not header else text + pad)
        return "  ".join(out).rstrip()

    return "\n".join([line(list(columns), header=True), *(line(t) for t in texts)]) + "\n"


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, color: bool) -> str:
    """Rows as an aligned text table; styled only when ``color`` (a terminal).

    Without a terminal (pipes, files, cron) the table is plain text made here: Rich's import
    alone costs about 60 ms of every command's start-up.
    """
    if not rows:
        return "(no rows)\n"
    if not color:
        return _plain_table(rows, columns)
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold" if color else "")
    for c in columns:
        numeric = bool(rows) and all(
            isinstance(r.get(c), int | Decimal) and not isinstance(r.get(c), bool) for r in rows
        )
        table.add_column(c, justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(_table_text(row.get(c))) for c in columns))
    buffer = _io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=None if color else 10_000,
        highlight=False,
        soft_wrap=not color,
    )
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


# -- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column an import accepts."""

    name: str
    required: bool = True
    help: str = ""


@dataclass
class ImportReport:
    """What an import found: how many rows, and every problem by row and column."""

    rows: int = 0
    errors: list[FieldError] = field(default_factory=list)

    def add(self, row: int, column: str, reason: str) -> None:
        self.errors.append(FieldError(field=column, message=reason, row=row))

    def lines(self, limit: int = 50) -> list[str]:
        out = [f"row {e.row}, column {e.field}: {e.message}" for e in self.errors[:limit]]
        if len(self.errors) > limit:
            out.append(f"... and {len(self.errors) - limit} more")
        return out


class ImportRejected(ValidationFailed):
    """The file has problems; nothing was written. ``report`` lists them."""

    def __init__(self, source: Path, report: ImportReport) -> None:
        count = len(report.errors)
        super().__init__(
            f"{source.name}: {count} problem{'s' if count != 1 else ''} in {report.rows} rows; "
            "nothing was imported",
            report.errors,
        )
        self.report = report


def _header_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def bad_bytes_line(path: Path) -> int:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 0


def iter_records(
    path: Path, columns: Sequence[Column], report: ImportReport, chunk_rows: int = 50_000
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """Yield chunks of (row number, {column: text}) from a CSV or XLSX file.

    Row numbers are the spreadsheet's (the header is row 1). Header problems and undecodable
    bytes go into ``report`` (row 1, or the bad line) and stop the reading.
    """
    from bo_console.core.sealed import person_file

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise ValidationFailed(f"{path.name}: import reads .csv or .xlsx files")
    with person_file(path) as readable:
        if not readable.is_file():
            raise ValidationFailed(f"{path} is not a file")
        if suffix in (".csv", ".txt"):
            yield from _iter_csv(readable, columns, report, chunk_rows)
        else:
            yield from _iter_xlsx(readable, columns, report, chunk_rows)


def _check_header(header: list[str], columns: Sequence[Column], report: ImportReport) -> bool:
    known = {c.name for c in columns}
    seen = set()
    for name in header:
        if name in seen:
            report.add(1, name, "column appears twice")
        seen.add(name)
        if name and name not in known:
            report.add(1, name, f"unknown column (expected: {', '.join(c.name for c in columns)})")
    for c in columns:
        if c.required and c.name not in seen:
            report.add(1, c.name, "required column is missing")
    return not report.errors


def _cells(
    number: int, header: list[str], values: Sequence[str], report: ImportReport
) -> dict[str, str] | None:
    """One row's cells by column, cleaned; None (and the problems in ``report``) when a cell
    holds what no field may."""
    from bo_console.core.text import BadText, clean

    record: dict[str, str] = {}
    ok = True
    for name, value in zip(header, values, strict=False):
        if not name:
            continue
        try:
            record[name] = unneutralise(clean(value, name))
        except BadText as exc:
            report.add(number, name, exc.message.removeprefix(f"{name} "))
            ok = False
    return record if ok else None


def _iter_csv(
    path: Path, columns: Sequence[Column], report: ImportReport, chunk_rows: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                header = [_header_key(h) for h in next(reader)]
            except StopIteration:
                report.add(1, "-", "the file is empty")
                return
            if not _check_header(header, columns, report):
                return
            chunk: list[tuple[int, dict[str, str]]] = []
            for values in reader:
                number = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                report.rows += 1
                if report.rows > MAX_IMPORT_ROWS:
                    report.add(number, "-", f"more than {MAX_IMPORT_ROWS:,} rows; split the file")
                    return
                if len(values) > len(header):
                    report.add(number, "-", f"{len(values)} cells but {len(header)} columns")
                    continue
                record = _cells(number, header, values, report)
                if record is None:
                    continue
                chunk.append((number, record))
                if len(chunk) >= chunk_rows:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk
    except UnicodeDecodeError:
        report.add(
            bad_bytes_line(path), "-", "not UTF-8 text (save the file as CSV UTF-8 and try again)"
        )
    except csv.Error as exc:
        report.add(0, "-", f"not a readable CSV file: {exc}")


MAX_IMPORT_ROWS = 2_000_000
"""The most data rows an import reads (a sheet holds 1,048,575)."""


def _iter_xlsx(
    path: Path, columns: Sequence[Column], report: ImportReport, chunk_rows: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    import zlib
    from xml.etree.ElementTree import ParseError
    from xml.parsers.expat import ExpatError
    from zipfile import BadZipFile

    from bo_console.core.xlsx_guard import xlsx_problem

    problem = xlsx_problem(path)
    if problem is not None:
        report.add(0, "-", f"not a readable XLSX file: {problem}")
        return
    unreadable = (
        BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error, ParseError, ExpatError
    )  # fmt: skip
    try:
        yield from _read_xlsx(path, columns, report, chunk_rows)
    except unreadable as exc:
        report.add(0, "-", f"not a readable XLSX file ({exc.__class__.__name__})")


def _read_xlsx(
    path: Path, columns: Sequence[Column], report: ImportReport, chunk_rows: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header = [_header_key(_xlsx_text(h)) for h in next(rows)]
        except StopIteration:
            report.add(1, "-", "the sheet is empty")
            return
        while header and not header[-1]:
            header.pop()
        if not _check_header(header, columns, report):
            return
        chunk: list[tuple[int, dict[str, str]]] = []
        for number, values in enumerate(rows, start=2):
            texts = [_xlsx_text(v) for v in values]
            if not any(t.strip() for t in texts):
                continue
            report.rows += 1
            if report.rows > MAX_IMPORT_ROWS:
                report.add(number, "-", f"more than {MAX_IMPORT_ROWS:,} rows; split the file")
                return
            record = _cells(number, header, texts, report)
            if record is None:
                continue
            chunk.append((number, record))
            if len(chunk) >= chunk_rows:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
    finally:
        book.close()


T = TypeVar("T")


PROGRESS_EVERY = 1_000
"""Rows between two reports of an import's progress."""


def data_lines(path: Path) -> int:
    """The data rows of a CSV file by its line count (what a progress bar counts to); 0 when
    not known beforehand (a workbook, a file this process cannot open directly)."""
    if path.suffix.lower() not in (".csv", ".txt"):
        return 0
    total = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                total += chunk.count(b"\n")
    except OSError:
        return 0
    return max(0, total - 1)


def read_validated(
    path: Path,
    columns: Sequence[Column],
    parse: Callable[[int, dict[str, str], ImportReport], T | None],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[T]:
    """Read and validate a whole (small) file; raise :class:`ImportRejected` on any problem.

    ``parse`` turns one row into a value, or adds its problems to the report and returns None.
    ``progress(rows read, rows in the file)`` hears how far the reading has come (the total
    is 0 when it is not known).
    """
    report = ImportReport()
    parsed: list[T] = []
    total = data_lines(path) if progress is not None else 0
    done = 0
    for chunk in iter_records(path, columns, report):
        for number, record in chunk:
            value = parse(number, record, report)
            if value is not None:
                parsed.append(value)
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, max(total, done))
    if progress is not None:
        progress(done, max(total, done))
    if report.errors:
        raise ImportRejected(path, report)
    if report.rows == 0:
        raise ValidationFailed(f"{path.name} has no data rows; nothing was imported")
    return parsed
