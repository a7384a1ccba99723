"""`bo it ...`: the journey of a ticket, assets and licences from the command line, JSON
output, imports all-or-nothing, the cron jobs quiet and idempotent, and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import Bo
from tests.unit.it.conftest import IT

SwitchUser = Callable[[str], None]


@pytest.mark.both_stores
def test_a_clerk_raises_a_ticket_it_resolves_and_the_clerk_sees_it_resolved(
    bo: Bo, it: IT, as_os_user: SwitchUser
) -> None:
    as_os_user("omar")
    code, out, err = bo("it", "tickets", "new", "-s", "Cannot print invoices", "-c", "printing")
    assert (code, out.strip(), err) == (0, "T000001", "")
    as_os_user("khalid")
    assert bo("it", "tickets", "take", "T000001")[0] == 0
    code, _, err = bo("it", "tickets", "resolve", "1", "--note", "Replaced the toner")
    assert code == 0 and "resolved" in err
    as_os_user("omar")
    code, out, _ = bo("it", "tickets", "list", "--mine", "--status", "all", "-f", "json")
    rows = json.loads(out)
    assert [(r["ref"], r["status"], r["assignee"]) for r in rows] == [
        ("T000001", "resolved", "khalid")
    ]
    code, out, _ = bo("it", "tickets", "show", "T000001", "-f", "json")
    assert json.loads(out)[0]["resolution_note"] == "Replaced the toner"


def test_refusals_have_their_exit_codes_and_one_line(
    bo: Bo, it: IT, as_os_user: SwitchUser
) -> None:
    as_os_user("omar")
    assert bo("it", "tickets", "new", "-s", "x", "-p", "P9")[0] == 1
    code, _, err = bo("it", "tickets", "take", "1")
    assert code == 1 and err.startswith("bo: not found")
    bo("it", "tickets", "new", "-s", "Mouse")
    code, _, err = bo("it", "tickets", "take", "1")
    assert code == 3 and "it.write" in err and len(err.strip().splitlines()) == 1
    code, _, err = bo("it", "assets", "list")
    assert code == 3
    assert bo("it", "tickets", "list", "-f", "xlsx")[0] == 2


def test_check_out_twice_and_the_eleventh_seat_exit_1(
    bo: Bo, it: IT, as_os_user: SwitchUser
) -> None:
    as_os_user("khalid")
    assert (
        bo(
            "it",
            "assets",
            "add",
            "LT-0001",
            "--serial",
            "S1",
            "--model",
            "T14",
            "--category",
            "laptop",
            "--cost",
            "5,000",
        )[0]
        == 0
    )
    assert bo("it", "assets", "check-out", "lt-0001", "--to", it.ali)[0] == 0
    code, _, err = bo("it", "assets", "check-out", "LT-0001", "--to", it.badr)
    assert code == 1 and "already checked out" in err
    code, out, _ = bo("it", "assets", "show", "LT-0001", "-f", "json")
    shown = json.loads(out)[0]
    assert shown["status"] == "assigned" and shown["cost"] == "5000.00"
    assert bo("it", "licences", "add", "Office 365", "--seats", "1", "--key", "K-1")[0] == 0
    assert bo("it", "licences", "assign", "L1", "--employee", it.ali)[0] == 0
    code, _, err = bo("it", "licences", "assign", "L1", "--employee", it.badr)
    assert code == 1 and "all 1 seats" in err
    code, out, _ = bo("it", "licences", "list", "-f", "json")
    assert json.loads(out)[0]["key"] == "********"  # a clerk never sees keys


def test_asset_import_is_all_or_nothing_with_row_and_column(
    bo: Bo, it: IT, tmp_path: Path, as_os_user: SwitchUser
) -> None:
    as_os_user("khalid")
    bad = tmp_path / "assets.csv"
    bad.write_text(
        "\ufefftag,serial,model,category,cost\n"
        "LT-1,S1,T14,LAPTOP,5000\n"
        "LT-2,S1,T14,LAPTOP,5000\n"
        "LT-3,S3,T14,TOASTER,10\n"
        "LT-4,S4,T14,LAPTOP,-1\n",
        encoding="utf-8",
    )
    code, _, err = bo("it", "assets", "import", str(bad))
    assert code == 1
    assert "row 3, column serial: S1 repeats row 2" in err
    assert "row 4, column category: unknown category" in err
    assert "row 5, column cost" in err
    code, out, _ = bo("it", "assets", "list", "-f", "json")
    assert json.loads(out) == []
    good = tmp_path / "good.csv"
    good.write_text("tag,serial,model,category\nLT-1,S1,T14,LAPTOP\nLT-2,S2,T14,LAPTOP\n")
    assert bo("it", "assets", "import", str(good), "--dry-run")[0] == 0
    assert bo("it", "assets", "import", str(good))[0] == 0
    out_file = tmp_path / "assets.xlsx"
    assert bo("it", "assets", "list", "-f", "xlsx", "-o", str(out_file))[0] == 0
    sheet = load_workbook(out_file).active
    assert sheet is not None and [c.value for c in sheet[2]][:2] == ["LT-1", "S1"]


def test_licence_import_and_expiring_notify_once_and_quietly(
    bo: Bo, it: IT, tmp_path: Path, as_os_user: SwitchUser
) -> None:
    from bo_console.core.clock import today

    as_os_user("khalid")
    file = tmp_path / "licences.csv"
    file.write_text(
        "product,vendor,seats,renewal_date,cost,key\n"
        f"Adobe CC,Adobe,5,{today().isoformat()},1200,\n"
        "Zoom,Zoom,20,2099-01-01,800,\n"
    )
    assert bo("it", "licences", "import", str(file))[0] == 0
    # Nothing on stdout; -v (which the fixture gives) says what was done; once per renewal.
    notify = ("it", "licences", "expiring", "--within", "30d", "--notify")
    assert bo(*notify) == (0, "", "1 to renew, 1 new inbox items\n")
    assert bo(*notify) == (0, "", "1 to renew, 0 new inbox items\n")
    code, out, _ = bo("inbox", "list", "--dept", "it", "-f", "json")
    renewals = [i for i in json.loads(out) if i["kind"] == "licence-renewal"]
    assert len(renewals) == 1
    code, out, _ = bo("it", "licences", "expiring", "--within", "2w", "-f", "json")
    assert [r["product"] for r in json.loads(out)] == ["Adobe CC"]


def test_escalate_is_quiet_and_needs_it_manage(bo: Bo, it: IT, as_os_user: SwitchUser) -> None:
    as_os_user("khalid")
    code, _, err = bo("it", "tickets", "escalate")
    assert code == 3
    as_os_user("james")
    assert bo("it", "tickets", "escalate") == (0, "", "0 breaches escalated, 0 closed\n")
    code, out, _ = bo("it", "sla", "show", "-f", "json")
    assert [t["priority"] for t in json.loads(out)] == ["P1", "P2", "P3", "P4"]


@pytest.mark.both_stores
def test_offboarding_from_the_command_line(bo: Bo, it: IT, as_os_user: SwitchUser) -> None:
    as_os_user("boadmin")
    assert (
        bo(
            "hr",
            "employees",
            "terminate",
            it.badr,
            "--last-day",
            "2026-11-30",
            "--reason",
            "resigned",
            "--yes",
        )[0]
        == 0
    )
    as_os_user("khalid")
    code, out, _ = bo("it", "boarding", "list", "-f", "json")
    item = next(i for i in json.loads(out) if i["kind"] == "offboarding")
    assert item["employee"] == it.badr
    code, _, err = bo("it", "boarding", "complete", str(item["item"]))
    assert code == 1 and "not done yet: access" in err
    assert bo("it", "boarding", "tick", str(item["item"]), "access")[0] == 0
    assert bo("it", "boarding", "complete", str(item["item"]))[0] == 0


@pytest.mark.both_stores
def test_dispose_with_vat_and_an_unknown_tax_code(bo: Bo, it: IT, as_os_user: SwitchUser) -> None:
    from tests.unit.it.test_ledger import _three_laptops

    _three_laptops(it)
    as_os_user("james")
    args = ("it", "assets", "dispose", "LT-0001", "--on", "2026-12-31", "--proceeds", "6000")
    code, out, err = bo(*args, "--tax-code", "Q9", "--yes")
    assert (code, out) == (1, "") and "no tax code 'Q9'" in err and len(err.splitlines()) == 1
    code, out, _ = bo("it", "assets", "show", "LT-0001", "-f", "json")
    assert json.loads(out)[0]["status"] != "disposed"
    code, _, err = bo(*args, "--yes")
    assert code == 0 and "disposed" in err
    code, out, _ = bo("it", "assets", "show", "LT-0001", "-f", "json")
    assert json.loads(out)[0]["status"] == "disposed"


def test_a_stock_take_from_the_command_line(bo: Bo, it: IT, as_os_user: SwitchUser) -> None:
    from tests.unit.it.factories import asset

    for n, where in ((1, "HQ"), (2, "HQ"), (3, "Annex")):
        asset(it, f"LT-{n:04d}", f"SN{n}", location=where)
    as_os_user("khalid")
    code, out, _ = bo("it", "stocktake", "start", "--location", "HQ")
    assert (code, out.strip()) == (0, "ST00001")
    code, out, err = bo("it", "stocktake", "scan", "ST00001", "LT-0001", "LT-9999", "LT-0003")
    assert code == 1 and "LT-9999: no asset with tag" in err
    assert out.splitlines() == ["LT-0001\tfound", "LT-0003\telsewhere"]
    code, out, _ = bo("it", "stocktake", "show", "1", "-f", "json")
    assert [(r["tag"], r["result"]) for r in json.loads(out)] == [
        ("LT-0002", "missing"),
        ("LT-0003", "elsewhere"),
        ("LT-0001", "found"),
    ]
    code, _, err = bo("it", "stocktake", "close", "ST00001", "--yes")
    assert code == 0 and "1 of 2 found, 1 missing" in err
    code, out, err = bo("it", "stocktake", "scan", "ST00001", "LT-0002")
    assert code == 1 and "closed" in err and out == ""
    code, out, _ = bo("it", "stocktake", "list", "-f", "json")
    assert [(r["ref"], r["expected"], r["found"]) for r in json.loads(out)] == [("ST00001", 2, 1)]


@pytest.mark.both_stores
def test_licence_list_masks_keys_for_a_clerk_and_audits_a_managers_view(
    bo: Bo, it: IT, tmp_path: Path, as_os_user: SwitchUser
) -> None:
    from sqlalchemy import text

    as_os_user("james")
    file = tmp_path / "licences.csv"
    file.write_text(
        "product,vendor,seats,renewal_date,cost,key\n"
        "Zoom,Zoom,20,2099-01-01,800,ZK-1\nSlack,Slack,5,,0,\n"
    )
    assert bo("it", "licences", "import", str(file))[0] == 0

    def key_views() -> int:
        with it.store.read() as session:
            found = session.execute(
                text(
                    "SELECT count(*) FROM audit_event WHERE entity = 'licence' AND action = 'view'"
                )
            ).scalar_one()
        return int(found)

    before = key_views()
    as_os_user("khalid")  # it.read without it.manage: keys masked, nothing written
    code, out, _ = bo("it", "licences", "list", "-f", "json")
    assert code == 0
    assert [(r["product"], r["key"], r["free"]) for r in json.loads(out)] == [
        ("Slack", "", 5),
        ("Zoom", "********", 20),
    ]
    assert key_views() == before
    as_os_user("james")  # it.manage sees the key, and that view is audited
    code, out, _ = bo("it", "licences", "list", "--search", "zo", "-f", "json")
    assert [(r["product"], r["key"]) for r in json.loads(out)] == [("Zoom", "ZK-1")]
    assert key_views() == before + 1
