"""As cron runs it: ``env -i PATH=/usr/bin:/bin``, no terminal, no HOME. Jobs say nothing on
success (``-v`` says what was done), ``db check`` prints only problems, the output format
follows ``-o``'s extension, a mismatch is refused, lists and reports write XLSX, and a login
with no OS account is refused unless ``--later``."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bo_console.core.errors import ExitCode

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cron_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by ``bo init`` as this OS user (its admin), as cron would use it."""
    path = tmp_path_factory.mktemp("cron") / "bo.db"
    code, _, err = _cron(path, "init", "--company", "Cron Co")
    assert code == 0, err
    return path


def _cron(db: Path, *args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        ["env", "-i", "PATH=/usr/bin:/bin", sys.executable, "-m", "bo_console", "--db", str(db)]
        + list(args),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_jobs_are_quiet_on_success_and_keep_their_summary(cron_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert _cron(cron_db, "db", "backup", str(copy)) == (0, "", "")
    assert copy.exists()
    code, out, err = _cron(cron_db, "-v", "db", "backup", str(tmp_path / "again.db"))
    assert code == 0 and out == "" and "backed up" in err
    code, out, _ = _cron(cron_db, "jobs", "list", "--format", "csv")
    assert code == 0
    assert "db.backup" in out and f"backed up {cron_db} to {copy}" in out


def test_db_check_prints_only_problems(cron_db: Path) -> None:
    assert _cron(cron_db, "db", "check") == (0, "", "")
    code, out, _ = _cron(cron_db, "-v", "db", "check", "--format", "csv")
    assert code == 0 and out.startswith("check,result,detail") and ",ok," in out


def test_format_follows_the_file_name_and_a_mismatch_is_refused(
    cron_db: Path, tmp_path: Path
) -> None:
    book = tmp_path / "tb.xlsx"
    assert _cron(cron_db, "finance", "report", "trial-balance", "-o", str(book)) == (0, "", "")
    assert zipfile.is_zipfile(book)
    csv = tmp_path / "users.csv"
    assert _cron(cron_db, "users", "list", "-o", str(csv))[0] == 0
    assert csv.read_text().startswith("login,")
    code, out, err = _cron(
        cron_db, "users", "list", "--format", "csv", "-o", str(tmp_path / "u.xlsx")
    )
    assert code == ExitCode.USAGE and out == ""
    assert "--format csv does not match u.xlsx" in err
    assert not (tmp_path / "u.xlsx").exists()
    # Every list writes XLSX, by name or by --format.
    for args in (["users", "list"], ["jobs", "list"], ["finance", "accounts", "list"]):
        target = tmp_path / f"{args[0]}-{args[1]}.xlsx"
        code, _, err = _cron(cron_db, *args, "--format", "xlsx", "-o", str(target))
        assert code == 0, err
        assert zipfile.is_zipfile(target)
    code, _, err = _cron(cron_db, "users", "list", "--format", "xlsx")
    assert code == ExitCode.USAGE and "give -o FILE.xlsx" in err


def test_table_output_groups_thousands_and_csv_stays_plain(cron_db: Path) -> None:
    from decimal import Decimal

    from bo_console.core import io

    rows = [{"account": "1110", "balance": Decimal("2042686.78")}]
    assert "2,042,686.78" in io.render_table(rows, ["account", "balance"], color=False)
    assert "2042686.78" in io.dumps(rows, ["account", "balance"], "csv")
    assert '"2042686.78"' in io.dumps(rows, ["account", "balance"], "json")


def test_users_add_refuses_a_missing_os_account_unless_later(cron_db: Path) -> None:
    code, _, err = _cron(cron_db, "users", "add", "nosuchosuser", "--role", "analyst")
    assert code == ExitCode.ERROR
    assert "no OS account 'nosuchosuser'" in err and "--later" in err
    code, out, _ = _cron(cron_db, "users", "list", "--format", "csv")
    assert "nosuchosuser" not in out
    code, _, err = _cron(cron_db, "users", "add", "nosuchosuser", "--role", "analyst", "--later")
    assert code == 0 and err == ""


# The cron jobs of the departments built after finance and HR: (command, job name, what its
# run record and -v say).
NEW_JOBS = [
    (("it", "tickets", "escalate"), "it.tickets.escalate", "0 breaches escalated, 0 closed"),
    (("it", "assets", "depreciate", "--period", "2026-11"), "it.assets.depreciate", "0 assets"),
    (("it", "licences", "expiring", "--notify"), "it.licences.expiring", "0 to renew"),
    (
        ("logistics", "reorder", "--location", "DMM/A-01"),
        "logistics.reorder",
        "draft orders: none",
    ),
    (("data", "snapshot", "backfill"), "data.snapshots.backfill", "every closed month has one"),
    (("data", "quality", "check", "--notify"), "data.quality.check", "rules checked, 0 findings"),
]


def test_new_departments_jobs_are_quiet_and_keep_their_summary(cron_db: Path) -> None:
    for args, _, _ in NEW_JOBS:
        assert _cron(cron_db, *args) == (0, "", ""), args
    # A clean data-quality check prints nothing either (findings would: exit 5).
    assert _cron(cron_db, "data", "quality", "check") == (0, "", "")
    code, out, _ = _cron(cron_db, "jobs", "list", "--format", "csv")
    assert code == 0
    for args, name, summary in NEW_JOBS:
        line = next((r for r in out.splitlines() if f",{name}," in r), "")
        assert ",ok," in line and summary in line, (args, line)
    # -v says what was done (a month's depreciation and a day's reorder run once: not again).
    for args, name, summary in NEW_JOBS:
        if name in ("it.assets.depreciate", "logistics.reorder"):
            continue
        code, out, err = _cron(cron_db, "-v", *args)
        assert code == 0 and out == "", (args, out)
        assert summary in err, (args, err)


def test_other_jobs_are_quiet_too_and_keep_their_summary(cron_db: Path) -> None:
    """The HR certification reminders print no list, and a drop folder's run has a summary."""
    drop = cron_db.parent / "drop"
    drop.mkdir(exist_ok=True)
    jobs = [
        (("hr", "training", "expiring", "--within", "30d", "--notify"), "hr.training.expiring"),
        (("intake", "orders", "--drop-folder", str(drop)), "intake.orders"),
    ]
    for args, _ in jobs:
        assert _cron(cron_db, *args) == (0, "", ""), args
    code, out, _ = _cron(cron_db, "jobs", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    summaries = {r["name"]: r["summary"] for r in reversed(rows)}  # the latest run of each
    assert summaries["hr.training.expiring"] == "0 expiring, 0 new inbox items"
    assert summaries["intake.orders"] == "no files waiting"
    code, out, err = _cron(cron_db, "-v", *jobs[1][0])
    assert (code, out) == (0, "") and "no files waiting" in err


def test_a_job_that_already_ran_is_quiet_and_recorded_as_skipped(cron_db: Path) -> None:
    once = ("it", "assets", "depreciate", "--period", "2026-09")
    assert _cron(cron_db, *once) == (0, "", "")
    assert _cron(cron_db, *once) == (0, "", "")  # already ran: success, nothing said
    code, out, err = _cron(cron_db, "-v", *once)
    assert (code, out) == (0, "") and "already ran" in err and "nothing changed" in err
    code, out, _ = _cron(
        cron_db, "jobs", "list", "--name", "it.assets.depreciate", "--format", "csv"
    )
    runs = [
        (r["key"], r["outcome"], r["summary"])
        for r in csv.DictReader(io.StringIO(out))
        if r["key"] == "2026-09"
    ]
    assert [outcome for _, outcome, _ in runs] == ["skipped", "skipped", "ok"]
    assert runs[-1][2] == "2026-09: 0 assets, nothing to post"


def test_new_departments_lists_and_reports_write_xlsx(cron_db: Path, tmp_path: Path) -> None:
    """By the file's name, with grouped digits in a table and plain ones in CSV."""
    assets = tmp_path / "assets.csv"
    assets.write_text("tag,serial,model,category,cost\nLT-1,S1,T14,LAPTOP,1234567.5\n")
    assert _cron(cron_db, "it", "assets", "import", str(assets)) == (0, "", "")
    code, out, _ = _cron(cron_db, "it", "assets", "list")
    assert code == 0 and "1,234,567.50" in out
    code, out, _ = _cron(cron_db, "it", "assets", "list", "--format", "csv")
    assert code == 0 and "1234567.50" in out and "1,234,567" not in out
    for args in (
        ["it", "tickets", "list"],
        ["it", "assets", "list"],
        ["it", "licences", "list"],
        ["it", "boarding", "list"],
        ["data", "snapshot", "list"],
        ["data", "quality", "rules"],
        ["data", "dashboard"],
        ["front", "requests"],
    ):
        target = tmp_path / f"{'-'.join(args)}.xlsx"
        code, out, err = _cron(cron_db, *args, "-o", str(target))
        assert (code, out, err) == (0, "", ""), args
        assert zipfile.is_zipfile(target), args
    code, out, err = _cron(
        cron_db, "data", "dashboard", "--format", "json", "-o", str(tmp_path / "d.xlsx")
    )
    assert code == ExitCode.USAGE and "does not match d.xlsx" in err
