"""The demo on PostgreSQL: `bo demo` builds it on an empty database, and `bo db copy --to` of
the SQLite demo gives the same reports there as on the SQLite file."""

from __future__ import annotations

import pytest

from bo_console.cli import run
from bo_console.core import security
from bo_console.core.db import Store

# Reports over every department's postings (sales, purchases, payroll, assets, stock).
REPORTS: tuple[tuple[str, ...], ...] = (
    ("finance", "report", "trial-balance", "--as-of", "2026-11-30", "--format", "csv"),
    (
        "finance", "report", "income-statement", "--from", "2026-01-01", "--to", "2026-11-30",
        "--format", "csv",
    ),
    ("finance", "report", "balance-sheet", "--as-of", "2026-11-30", "--format", "csv"),
    ("finance", "report", "aged-receivables", "--as-of", "2026-11-30", "--format", "csv"),
    ("hr", "payroll", "list", "--format", "csv"),
    # The saved queries: the same figures through PostgreSQL's query role.
    ("data", "query", "run", "revenue-by-customer-month", "-p", "from_month=2026-01",
     "-p", "to_month=2026-11", "--format", "csv"),
    ("data", "query", "run", "headcount-movement", "-p", "from_month=2026-01",
     "-p", "to_month=2026-11", "--format", "csv"),
    ("data", "query", "run", "ticket-sla-by-category", "-p", "from_month=2026-01",
     "-p", "to_month=2026-11", "--format", "csv"),
    ("data", "query", "run", "stock-turnover", "-p", "from_date=2026-01-01",
     "-p", "to_date=2026-11-30", "--format", "csv"),
)  # fmt: skip


def _reports(url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    out = {}
    for args in REPORTS:
        capsys.readouterr()
        code = run(["--db", url, *args])
        printed, err = capsys.readouterr()
        assert code == 0, (args, err)
        out[" ".join(args[:4])] = printed
    return out


def test_the_copied_demo_reports_the_same_on_postgresql(
    demo: Store,
    pg_empty_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _reports(demo.url, capsys)
    assert run(["--db", demo.url, "db", "copy", "--to", pg_empty_url]) == 0
    # The copy's admin is the OS account that built the demo: sign in as it there too.
    monkeypatch.setattr(security, "login_identity", lambda session: security.os_identity())
    assert _reports(pg_empty_url, capsys) == expected


@pytest.mark.slow  # about 40 s of CPU here and as much in the server: `pytest -m slow` runs it
def test_bo_demo_on_postgresql_builds_the_same_demo(
    demo: Store, pg_empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _reports(demo.url, capsys)
    # Built by the test server's login, who becomes the demo's admin and reads the reports.
    assert run(["--db", pg_empty_url, "demo"]) == 0, capsys.readouterr().err
    assert _reports(pg_empty_url, capsys) == expected
    assert run(["--db", pg_empty_url, "demo"]) == 0  # again: nothing changes
    assert run(["--db", pg_empty_url, "db", "check"]) == 0, capsys.readouterr().err
