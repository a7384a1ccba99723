"""`bo audit anchor` from cron and `bo audit verify` against the newest anchor by default: rows
deleted from the end of the chain (and the sequence put right) are found without a hand-given
anchor."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo


@pytest.fixture
def anchors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "anchors"
    monkeypatch.setenv("BO_AUDIT_ANCHORS", str(folder))
    return folder


def _delete_tail(store: Store, rows: int) -> None:
    """The reviewer's D08: drop the no-delete trigger, delete the newest rows, fix the sequence."""
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_event_no_delete")
    top = conn.execute("SELECT MAX(id) FROM audit_event").fetchone()[0]
    conn.execute("DELETE FROM audit_event WHERE id > ?", (top - rows,))
    conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_event'", (top - rows,))
    conn.close()


def test_a_deleted_tail_is_found_against_the_latest_anchor(
    bo: Bo, store: Store, anchors: Path
) -> None:
    for n in range(3):
        assert bo("users", "add", f"u{n}", "--role", "analyst", "--later")[0] == 0
    code, out, err = bo("audit", "anchor")
    assert (code, out, err) == (0, "", "")  # quiet for cron
    [anchor_file] = list(anchors.iterdir())
    assert oct(anchor_file.stat().st_mode & 0o777) == "0o600"
    code, out, _ = bo("audit", "verify")
    assert code == 0 and "holds the anchor of" in out
    _delete_tail(store, 2)
    code, _, err = bo("audit", "verify", "--no-anchor")
    assert code == 0  # the shortened chain is whole in itself
    code, _, err = bo("audit", "verify")
    assert code == ExitCode.INTEGRITY and "is missing" in err
    code, _, err = bo("audit", "anchor")
    assert code == ExitCode.INTEGRITY and "is missing" in err  # never anchors the shorter chain


def test_verify_without_anchors_says_how_to_record_them(
    bo: Bo, store: Store, anchors: Path
) -> None:
    code, out, err = bo("audit", "verify")
    assert code == 0 and "audit chain ok" in out and "bo audit anchor" in err


def test_an_anchor_file_others_can_write_is_refused(bo: Bo, store: Store, anchors: Path) -> None:
    assert bo("audit", "anchor")[0] == 0
    [anchor_file] = list(anchors.iterdir())
    os.chmod(anchor_file, 0o666)
    code, _, err = bo("audit", "anchor")
    assert code == ExitCode.ERROR and "writable by their owner only" in err
    code, _, err = bo("audit", "verify")
    assert code == ExitCode.INTEGRITY and "prove nothing" in err
