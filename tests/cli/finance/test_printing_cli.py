"""`bo finance documents pdf|statement` write PDF files; `bo finance vat seller` keeps the
VAT number they print."""

from __future__ import annotations

import json
from pathlib import Path

from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo
from tests.cli.finance.test_report_cli import books, ok

__all__ = ["books"]


def test_invoice_and_statement_pdfs(books: Bo, tmp_path: Path) -> None:
    out = tmp_path / "inv.pdf"
    code, _, err = books("finance", "documents", "pdf", "INV-2026-00001", "-o", str(out))
    assert code == ExitCode.ERROR and "bo finance vat seller --vat-number" in err
    seller = json.loads(
        ok(books, "finance", "vat", "seller", "--vat-number", "300000000000003", "-f", "json")
    )
    assert seller[0]["vat_number"] == "300000000000003"
    ok(books, "finance", "documents", "pdf", "INV-2026-00001", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_mode & 0o777 == 0o600
    statement = tmp_path / "st.pdf"
    ok(
        books, "finance", "documents", "statement", "C0101", "--from", "2026-03-01",
        "--to", "2026-03-31", "-o", str(statement),
    )  # fmt: skip
    assert statement.read_bytes().startswith(b"%PDF")
    code, _, err = books("finance", "documents", "pdf", "INV-2099-00001", "-o", str(out))
    assert code == ExitCode.ERROR and "Traceback" not in err
