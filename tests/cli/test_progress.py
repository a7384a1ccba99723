"""Long jobs show a progress bar on a terminal and nothing otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bo_console.clikit import progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    with progress_bar("building the demo") as progress:
        progress(3, 7)
    drawn = screen.getvalue()
    assert "building the demo" in drawn and "3/7" in drawn


def test_progress_bar_is_silent_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar("building the demo") as progress:
        progress(3, 7)
    assert capsys.readouterr() == ("", "")


def _rows(count: int) -> list[dict[str, object]]:
    return [{"n": n, "name": f"row {n}"} for n in range(count)]


def test_a_long_file_is_written_under_a_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bo_console.clikit import PROGRESS_FROM, emit

    monkeypatch.setattr("bo_console.clikit._verbose", False)

    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    out = tmp_path / "rows.xlsx"
    emit(_rows(PROGRESS_FROM), ["n", "name"], "xlsx", out)
    drawn = screen.getvalue()
    assert f"writing {out.name}" in drawn and f"{PROGRESS_FROM}/{PROGRESS_FROM}" in drawn
    assert f"wrote {PROGRESS_FROM:,} rows" in drawn
    # A short file: the summary only.
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    emit(_rows(3), ["n", "name"], "csv", tmp_path / "few.csv")
    assert "writing" not in screen.getvalue() and "wrote 3 rows" in screen.getvalue()


def test_a_long_file_is_written_silently_under_cron(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.clikit import PROGRESS_FROM, emit

    # As cron runs it: no -v (an earlier command in this process may have set it).
    monkeypatch.setattr("bo_console.clikit._verbose", False)

    emit(_rows(PROGRESS_FROM), ["n", "name"], "csv", tmp_path / "rows.csv")
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "rows.csv").read_text().count("\n") == PROGRESS_FROM + 1


@pytest.mark.parametrize(
    ("args", "header", "row", "said"),
    [
        (
            ("it", "assets", "import"),
            "tag,serial,model,category",
            "LT-{n},S{n},T14,LAPTOP",
            "imported 1,200 assets",
        ),
        (
            ("it", "licences", "import"),
            "product,seats",
            "Product {n},5",
            "imported 1,200 licences",
        ),
        (("logistics", "items", "import"), "sku,name", "SKU-{n},Item {n}", "imported 1,200 items"),
    ],
    ids=["it-assets", "it-licences", "logistics-items"],
)
def test_new_departments_imports_read_under_a_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    db_url: str,
    store: object,
    args: tuple[str, ...],
    header: str,
    row: str,
    said: str,
) -> None:
    """The imports of IT and logistics show how many rows are read on a terminal (a bar that
    counts to the file's rows) and say what they did with grouped digits."""
    from bo_console.cli import run

    rows = 1_200
    data = tmp_path / "rows.csv"
    data.write_text("\n".join([header, *(row.format(n=n) for n in range(rows))]) + "\n")
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setattr("bo_console.clikit._verbose", False)
    assert run(["--db", db_url, "-v", *args, str(data)]) == 0
    drawn = screen.getvalue()
    assert f"reading {data.name}" in drawn and f"{rows}/{rows}" in drawn, drawn
    assert said in drawn


def test_read_validated_reports_rows_read(tmp_path: Path) -> None:
    from bo_console.core import io as bo_io

    data = tmp_path / "rows.csv"
    data.write_text("a\n" + "".join(f"{n}\n" for n in range(2_500)))
    heard: list[tuple[int, int]] = []
    values = bo_io.read_validated(
        data,
        [bo_io.Column("a")],
        lambda number, record, report: record["a"],
        progress=lambda done, total: heard.append((done, total)),
    )
    assert len(values) == 2_500
    assert heard == [(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]


# The jobs of IT, logistics, data management and the front office: (command line, the bar's
# label, the count it ends at on a new store, what -v says).
JOBS = [
    (("it", "tickets", "escalate"), "SLA escalation", "1/1", "0 breaches escalated"),
    (
        ("it", "assets", "depreciate", "--period", "2026-11"),
        "depreciation 2026-11",
        "1/1",
        "2026-11: 0 assets, nothing to post",
    ),
    (("it", "licences", "expiring", "--notify"), "renewal reminders", "1/1", "0 to renew"),
    (
        ("logistics", "reorder", "--location", "DMM/A-01"),
        "reorder",
        "1/1",
        "draft orders: none",
    ),
    (("data", "snapshot", "backfill"), "month-end snapshots", "1/1", "every closed month"),
    (("data", "quality", "check", "--notify"), "data-quality rules", "", "rules checked"),
    (("intake", "orders", "--drop-folder", "{drop}"), "intake drop", "1/1", "no files waiting"),
]
JOB_IDS = ["escalate", "depreciate", "renewals", "reorder", "backfill", "quality", "intake"]


def _job_store(db_url: str, tmp_path: Path, args: tuple[str, ...]) -> list[str]:
    from bo_console.cli import run

    if args[0] == "logistics":
        assert run(["--db", db_url, "logistics", "warehouses", "add", "DMM", "Dammam"]) == 0
        assert run(["--db", db_url, "logistics", "locations", "add", "DMM", "A-01"]) == 0
    (tmp_path / "drop").mkdir(exist_ok=True)
    return [a.format(drop=tmp_path / "drop") for a in args]


@pytest.mark.parametrize(("args", "label", "count", "said"), JOBS, ids=JOB_IDS)
def test_new_departments_jobs_run_under_a_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    db_url: str,
    store: object,
    args: tuple[str, ...],
    label: str,
    count: str,
    said: str,
) -> None:
    from bo_console.cli import run
    from bo_console.data.quality import RULES

    line = _job_store(db_url, tmp_path, args)
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setattr("bo_console.clikit._verbose", False)
    assert run(["--db", db_url, *line]) == 0
    drawn = screen.getvalue()
    done = count or f"{len(RULES) + 1}/{len(RULES) + 1}"
    assert label in drawn and done in drawn, drawn
    # On a terminal the summary is said below the bar (a clean quality check says nothing).
    assert said in drawn or args[:2] == ("data", "quality")


@pytest.mark.parametrize(("args", "label", "count", "said"), JOBS, ids=JOB_IDS)
def test_new_departments_jobs_draw_no_bar_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    db_url: str,
    store: object,
    args: tuple[str, ...],
    label: str,
    count: str,
    said: str,
) -> None:
    from bo_console.cli import run

    line = _job_store(db_url, tmp_path, args)
    monkeypatch.setattr("bo_console.clikit._verbose", False)
    capsys.readouterr()
    assert run(["--db", db_url, *line]) == 0
    assert capsys.readouterr() == ("", "")  # as cron sees it: no bar, no summary
    assert run(["--db", db_url, "-v", *line]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "━" not in err and "\x1b" not in err  # no bar, no escapes
    assert said in err or "already ran" in err  # -v: the summary (once-a-day jobs: skipped)
