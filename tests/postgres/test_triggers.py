"""Raw SQL against a schema `bo db migrate` built on PostgreSQL: the triggers refuse what
the SQLite ones refuse.

Each ``*_checks.sql`` file runs in one database migrated to head (no seed data); it calls
``expect_fail(statement, pattern)`` for every statement the schema must refuse and
``expect(condition, what)`` for what must hold; any statement that fails unexpectedly fails
the test.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from bo_console.core import migrate
from bo_console.core.db import Store, dispose_engines

HERE = Path(__file__).parent
EXPECT_FAIL = """CREATE FUNCTION expect_fail(stmt text, pattern text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    EXECUTE stmt;
  EXCEPTION WHEN others THEN
    IF SQLERRM NOT LIKE '%' || pattern || '%' THEN
      RAISE EXCEPTION 'wrong error for [%]: %', stmt, SQLERRM;
    END IF;
    RETURN;
  END;
  RAISE EXCEPTION 'expected a refusal: %', stmt;
END $$;
CREATE FUNCTION expect(ok boolean, what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'expected: %', what;
  END IF;
END $$"""


def migrated(url: str) -> None:
    """Build the schema with the migrations alone, as `bo db migrate` does."""
    migrate.upgrade(Store(url))
    dispose_engines()


def run_script(url: str, sql: str) -> None:
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(EXPECT_FAIL)
        conn.execute(sql.encode())


@pytest.mark.parametrize(
    "checks", sorted(p.name for p in HERE.glob("*_checks.sql")), ids=lambda n: n[:-11]
)
def test_raw_sql_is_refused(pg_empty_url: str, checks: str) -> None:
    migrated(pg_empty_url)
    run_script(pg_empty_url, (HERE / checks).read_text())
