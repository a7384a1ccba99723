"""Exports, backups and bank files in a folder others can write: what another user could do
between the file's creation and its rename (swap in a link or a file of their own) gains them
nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from bo_console.core import io
from bo_console.core.db import Store
from bo_console.core.maintenance import backup
from bo_console.core.security import Actor


def _swap_everything(folder: Path, loot: Path) -> None:
    """What a group member can do in ``folder``: replace each file there with a link to a
    file of theirs, and each directory there with one of theirs holding such links."""
    for entry in list(folder.iterdir()):
        if entry.is_symlink() or entry == loot:
            continue
        if entry.is_dir():
            names = [p.name for p in entry.iterdir()]
            entry.rename(folder / f"{entry.name}.moved")
            entry.mkdir()
            for name in names:
                (entry / name).symlink_to(loot)
        else:
            entry.unlink()
            entry.symlink_to(loot)


def test_a_swapped_partial_file_gets_nothing(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    loot = shared / "attacker-owned.csv"
    loot.write_text("")
    target = shared / "employees.csv"
    with io.private_output(target) as partial:
        _swap_everything(shared, loot)
        partial.write_text("E00001,SA2980240313564198990136,60312.50\n", encoding="utf-8")
    assert loot.read_text() == ""
    assert not target.is_symlink()
    assert target.read_text().startswith("E00001")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    written = [p for p in shared.rglob("*") if p.is_file() and not p.is_symlink()]
    assert sorted(p.name for p in written) == ["attacker-owned.csv", "employees.csv"]


def test_exports_go_through_it(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    io.write_file([{"a": "=cmd"}], ["a"], target, "xlsx")
    assert target.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_a_failed_export_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    try:
        with io.private_output(target) as partial:
            partial.write_text("half")
            raise RuntimeError("disk went away")
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_backup_in_a_shared_folder_cannot_be_swapped(
    store: Store, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2770)
    loot = shared / "loot.db"
    loot.write_bytes(b"")
    real_connect = sqlite3.connect

    def connect_then_swap(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(database).endswith("bk.db"):
            _swap_everything(shared, loot)
        connection: sqlite3.Connection = real_connect(database, *args, **kwargs)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_then_swap)
    backup(store, admin, shared / "bk.db")
    monkeypatch.undo()
    assert loot.read_bytes() == b""
    copy = shared / "bk.db"
    assert not copy.is_symlink() and stat.S_IMODE(copy.stat().st_mode) == 0o600
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT COUNT(*) FROM console_user").fetchone()[0] >= 1
    conn.close()
