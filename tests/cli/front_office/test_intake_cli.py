"""`bo intake orders`: a good file, the same file again, a broken file, in a bare cron
environment (`env -i PATH=/usr/bin:/bin`), and a drop folder."""

from __future__ import annotations

import csv
import io
import os
import pwd
import subprocess
import sys
from pathlib import Path

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from bo_console.logistics import service as logistics
from tests.cli.conftest import Bo
from tests.unit.logistics.conftest import Team, add_item, buy

GOOD = """reference,customer,date,sku,quantity,unit_price,requested,memo
WEB-1,C1,2026-11-10,GLV-M,3,,2026-11-12,web
WEB-1,C1,2026-11-10,MSK-50,1,30.00,2026-11-12,web
WEB-2,C1,2026-11-10,GLV-M,2,,,
"""
BROKEN = """reference,customer,date,sku,quantity,unit_price
WEB-3,C1,2026-11-10,GLV-M,x,
WEB-4,C9,2026-11-10,GLV-M,1,
WEB-5,C1,2026-13-01,GLV-M,1,
"""
JSON = """[{"reference": "WEB-6", "customer": "C1", "date": "2026-11-10",
  "lines": [{"sku": "MSK-50", "quantity": 1}]}]"""


def _bare(db: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`bo` as cron runs it: env -i PATH=/usr/bin:/bin, no terminal."""
    return subprocess.run(
        [
            "/usr/bin/env",
            "-i",
            "PATH=/usr/bin:/bin",
            f"HOME={home}",
            sys.executable,
            "-m",
            "bo_console",
            "--db",
            str(db),
            *args,
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=120,
    )


def _orders(store: Store, team: Team) -> list[tuple[str, str]]:
    with store.read() as session:
        rows = logistics.list_sales_orders(session, team.clerk)
    return sorted((r.number, r.status) for r in rows)


def _setup(bo: Bo, store: Store, team: Team) -> None:
    add_item(store, team.manager, "GLV-M")
    add_item(store, team.manager, "MSK-50")
    buy(store, team, "GLV-M", 20, 1000)
    buy(store, team, "MSK-50", 5, 500)
    # The subprocess runs as this machine's OS account: make it a front-office user.
    me = pwd.getpwuid(os.getuid()).pw_name
    assert bo("users", "add", me, "--role", "front-office")[0] == 0


def test_intake_good_repeated_and_broken_under_env_i(
    bo: Bo, store: Store, team: Team, tmp_path: Path
) -> None:
    _setup(bo, store, team)
    assert store.path is not None
    good = tmp_path / "good.csv"
    good.write_text("\ufeff" + GOOD, encoding="utf-8")
    done = _bare(store.path, tmp_path, "intake", "orders", str(good))
    assert done.returncode == 0, done.stderr
    created = dict(line.split("\t") for line in done.stdout.splitlines())
    assert sorted(created) == ["WEB-1", "WEB-2"] and done.stderr == ""
    assert _orders(store, team) == [
        (created["WEB-1"], "confirmed"),
        (created["WEB-2"], "confirmed"),
    ]

    again = _bare(store.path, tmp_path, "intake", "orders", str(good))
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")  # quiet for cron
    again = _bare(store.path, tmp_path, "-v", "intake", "orders", str(good))
    assert (again.returncode, again.stdout) == (0, "")
    assert "already received (2 orders); nothing created" in again.stderr
    assert len(_orders(store, team)) == 2

    broken = tmp_path / "broken.csv"
    broken.write_text(BROKEN, encoding="utf-8")
    bad = _bare(store.path, tmp_path, "intake", "orders", str(broken))
    assert bad.returncode == ExitCode.ERROR
    assert "row 2, column quantity: 'x' is not a whole number above 0" in bad.stderr
    assert "row 4, column date" in bad.stderr
    assert "Traceback" not in bad.stderr
    # The file's shape was fine for WEB-4 but its customer is unknown: the services say so.
    broken.write_text(BROKEN.splitlines()[0] + "\n" + BROKEN.splitlines()[2] + "\n")
    bad = _bare(store.path, tmp_path, "intake", "orders", str(broken))
    assert bad.returncode == ExitCode.ERROR and "row 2, column order: WEB-4" in bad.stderr
    assert len(_orders(store, team)) == 2


def test_drop_folder(bo: Bo, store: Store, team: Team, tmp_path: Path) -> None:
    _setup(bo, store, team)
    assert store.path is not None
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a-good.json").write_text(JSON, encoding="utf-8")
    (drop / "b-broken.csv").write_text(BROKEN, encoding="utf-8")
    (drop / "notes.txt").write_text("not an order file")
    done = _bare(store.path, tmp_path, "intake", "orders", "--drop-folder", str(drop))
    assert done.returncode == ExitCode.ERROR and done.stdout == ""
    assert "b-broken.csv: " in done.stderr and "b-broken.csv.errors.txt" in done.stderr
    assert sorted(p.name for p in drop.iterdir()) == [
        "b-broken.csv",
        "b-broken.csv.errors.txt",
        "notes.txt",
        "processed",
    ]
    assert [p.name for p in (drop / "processed").iterdir()] == ["a-good.json"]
    report = (drop / "b-broken.csv.errors.txt").read_text()
    assert "row 2, column quantity" in report
    assert len(_orders(store, team)) == 1
    # The failed file waits until it is fixed; a quiet run in between.
    quiet = _bare(store.path, tmp_path, "intake", "orders", "--drop-folder", str(drop))
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    (drop / "b-broken.csv").write_text(GOOD)
    os.utime(drop / "b-broken.csv", (1e10, 1e10))
    fixed = _bare(store.path, tmp_path, "intake", "orders", "--drop-folder", str(drop))
    assert (fixed.returncode, fixed.stderr) == (0, ""), fixed.stderr
    assert sorted(p.name for p in (drop / "processed").iterdir()) == ["a-good.json", "b-broken.csv"]
    assert not (drop / "b-broken.csv.errors.txt").exists()
    assert len(_orders(store, team)) == 3
    # Each run keeps its one line in the job record; -v says it.
    code, out, err = bo("intake", "orders", "--drop-folder", str(drop))
    assert (code, out) == (0, "") and "no files waiting" in err
    code, out, _ = bo("jobs", "list", "--name", "intake.orders", "--format", "csv")
    assert code == 0
    assert [row["summary"] for row in csv.DictReader(io.StringIO(out))] == [
        "no files waiting",
        "1 file: 1 taken in, 2 orders created",
        "no files waiting",
        "2 files: 1 taken in, 1 order created, 1 failed",
    ]
    code, _, err = bo("intake", "orders")
    assert code == ExitCode.USAGE and "FILE or --drop-folder" in err
