"""A PostgreSQL URL without the ``postgres`` extra: one line naming the extra, exit 6."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from importlib.machinery import ModuleSpec

import pytest

from bo_console.cli import run
from bo_console.core.db import Store, driver_url, is_postgres_url


def test_postgres_url_without_psycopg_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name == "psycopg" else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    code = run(["--db", "postgresql://clerk@127.0.0.1:1/books", "db", "info"])
    out, err = capsys.readouterr()
    assert code == 6
    assert out == ""
    assert err.count("\n") == 1
    assert "bo-console[postgres]" in err
    assert "Traceback" not in err


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    assert driver_url("postgresql://a@h/db") == "postgresql+psycopg://a@h/db"
    assert driver_url("postgres://a@h/db") == "postgresql+psycopg://a@h/db"
    assert driver_url("postgresql+psycopg://a@h/db") == "postgresql+psycopg://a@h/db"
    assert driver_url("sqlite:///x.db") == "sqlite:///x.db"
    assert is_postgres_url("postgresql+psycopg://a@h/db")
    assert not is_postgres_url("sqlite:///x.db")


def test_db_roles_is_for_postgresql(bo: Callable[..., tuple[int, str, str]], store: Store) -> None:
    code, _out, err = bo("db", "roles")
    assert code == 1
    assert "PostgreSQL" in err
