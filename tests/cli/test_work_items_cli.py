"""``bo inbox`` with typed, linked items: kinds, links, moves, escalation and the digest."""

from __future__ import annotations

import json
from collections.abc import Callable

from bo_console.core.errors import ExitCode

Bo = Callable[..., tuple[int, str, str]]


def test_kinds_links_and_moves(bo: Bo, store: object) -> None:
    code, out, _ = bo("inbox", "kinds", "--format", "json")
    kinds = {row["kind"]: row for row in json.loads(out)}
    assert kinds["customer-approval"]["department"] == "finance"
    assert kinds["customer-approval"]["closed_by"] == "approved rejected"
    code, out, _ = bo(
        "inbox", "add", "--kind", "customer-approval", "-s", "Approve Al Noor", "--link", "party:C9"
    )
    assert code == 0
    item = out.strip()
    assert bo("inbox", "link", item, "document:INV-2026-0001")[0] == 0
    code, out, _ = bo("inbox", "show", item)
    assert "party:C9 document:INV-2026-0001" in out
    assert "in_progress, approved, rejected" in out
    code, _, err = bo("inbox", "move", item, "done")
    assert code == ExitCode.ERROR and "unknown status 'done'" in err
    code, _, err = bo("inbox", "move", item, "approved")
    assert code == ExitCode.ERROR and "bo finance customers approve" in err
    assert bo("inbox", "move", item, "in_progress", "-m", "checking the CR")[0] == 0
    code, out, _ = bo("inbox", "list", "--raised", "--format", "json")
    assert [(r["kind"], r["status"]) for r in json.loads(out)] == [
        ("customer-approval", "in_progress")
    ]
    code, _, err = bo("inbox", "link", item, "planet:Mars")
    assert code == ExitCode.ERROR and "unknown kind of record" in err
    code, _, err = bo("inbox", "add", "--kind", "request", "--to", "it", "-s", "x")
    assert code == ExitCode.ERROR and "unknown kind 'request'" in err


def test_escalate_once_and_digest(bo: Bo, store: object) -> None:
    assert bo("users", "add", "nadia", "--role", "finance-manager", "--later")[0] == 0
    code, out, _ = bo("inbox", "add", "--kind", "invoice-copy", "-s", "Copy of INV-7", "--due=-3")
    item = out.strip()
    code, out, err = bo("inbox", "escalate")
    assert (code, out, err) == (0, "", "")
    code, out, _ = bo("inbox", "show", item)
    assert "escalated_to  nadia" in out and "escalated to nadia (finance-manager)" in out
    bo("inbox", "escalate")
    code, out, _ = bo("inbox", "show", item, "--format", "json")
    assert len(json.loads(out)[0]["comments"]) == 1
    bo("inbox", "add", "--kind", "reorder", "-s", "Gloves", "--due=-1")
    code, out, err = bo("inbox", "escalate")
    assert code == 0 and "logistics has no active manager" in err
    code, out, _ = bo("inbox", "digest", "--dept", "finance")
    assert code == 0 and out.startswith("Finance inbox, ")
    assert "Overdue (1)" in out and "Copy of INV-7" in out and "escalated to nadia" in out
    code, _, err = bo("inbox", "digest", "--dept", "sales")
    assert code == ExitCode.ERROR and "unknown department" in err
