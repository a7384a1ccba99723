"""Checks an XLSX file passes before an import lets a parser open it.

A few megabytes of zip can expand to gigabytes of whitespace, and an XML part can declare an
entity bomb; both are refused from the archive's directory and each part's first bytes.
"""

from __future__ import annotations

from pathlib import Path

MAX_XLSX_BYTES = 100 * 1024 * 1024
"""The largest XLSX file an import opens (compressed, as it is on disk)."""
MAX_XLSX_EXPANDED = 1024 * 1024 * 1024
"""The most its parts may expand to, all together: about a million rows of a wide sheet."""
MAX_XLSX_RATIO = 100
"""How much one part may expand (spreadsheets compress about 5 to 20 times; a bomb 1000)."""
MAX_XLSX_PARTS = 10_000


def xlsx_problem(path: Path) -> str | None:
    """Why ``path`` is not an XLSX file an import may open, or None.

    Checked from the archive's directory and the first bytes of each XML part, before a
    parser sees it: the sizes (a few MB of zip can expand to gigabytes of whitespace, which
    the parser would read for minutes in gigabytes of memory) and document types, which a
    spreadsheet never has and an entity bomb needs.
    """
    import zipfile

    if path.stat().st_size > MAX_XLSX_BYTES:
        return f"larger than {MAX_XLSX_BYTES // 2**20} MB; split it or import a CSV file"
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                return f"more than {MAX_XLSX_PARTS} parts in the archive"
            expanded = sum(p.file_size for p in parts)
            if expanded > MAX_XLSX_EXPANDED:
                return f"expands to more than {MAX_XLSX_EXPANDED // 2**20} MB"
            for part in parts:
                ratio = part.file_size // max(part.compress_size, 1)
                if part.file_size > 2**20 and ratio > MAX_XLSX_RATIO:
                    return f"part {part.filename} expands {ratio} times (a zip bomb?)"
                if part.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(part) as fh:
                        head = fh.read(4096).lstrip()
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        return f"part {part.filename} declares a document type (not allowed)"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        return f"({exc.__class__.__name__})"
    return None
