"""SQL the database uses to refuse malformed values, shared by the migrations that add tables.

SQLite stores whatever it is given in a DATE column: ``20260510`` (an integer), ``'2026-5-10'``
or ``'2026-02-30'`` would be kept, slip past checks that compare ``substr(date, 1, 7)`` with a
closed month, and later fail to load. A migration that adds a DATE column adds
:func:`iso_date_triggers` for it; ``bo db check`` finds any row that got past them
(:func:`bad_date_sql`).
"""

from __future__ import annotations

ISO_DATE_GLOB = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]"


def iso_date_condition(value: str) -> str:
    """A SQLite condition true when ``value`` is NULL or a real ``YYYY-MM-DD`` calendar date."""
    return (
        f"({value} IS NULL OR (typeof({value}) = 'text' AND {value} GLOB '{ISO_DATE_GLOB}'"
        f" AND date(julianday({value})) IS {value}))"
    )


def iso_date_triggers(table: str, column: str) -> list[str]:
    """SQLite triggers that refuse a value of ``table.column`` that is not an ISO date."""
    message = f"{table}.{column} must be a date written YYYY-MM-DD"
    condition = iso_date_condition(f"NEW.{column}")
    return [
        f"""CREATE TRIGGER {table}_{column}_iso_insert BEFORE INSERT ON {table}
        WHEN NOT {condition}
        BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        f"""CREATE TRIGGER {table}_{column}_iso_update BEFORE UPDATE OF {column} ON {table}
        WHEN NOT {condition}
        BEGIN SELECT RAISE(ABORT, '{message}'); END""",
    ]


def iso_date_trigger_names(table: str, column: str) -> list[str]:
    """The names :func:`iso_date_triggers` gives its triggers (for a downgrade)."""
    return [f"{table}_{column}_iso_insert", f"{table}_{column}_iso_update"]


def bad_date_sql(table: str, column: str, key: str = "rowid") -> str:
    """A query for the keys of (up to five) rows of ``table`` whose ``column`` is not an ISO
    date (SQLite); ``key`` is the primary key column of a table without rowids."""
    return (
        f"SELECT {key} FROM {table} WHERE NOT {iso_date_condition(column)} ORDER BY {key} LIMIT 5"
    )
