"""SQL the database uses to refuse malformed values, shared by the migrations that add tables.

SQLite stores whatever it is given in a DATE column: ``20260510`` (an integer), ``'2026-5-10'``
or ``'2026-02-30'`` would be kept, slip past checks that compare ``substr(date, 1, 7)`` with a
closed month, and later fail to load. A migration that adds a DATE column adds
:func:`iso_date_triggers` for it; ``bo db check`` finds any row that got past them
(:func:`bad_date_sql`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def sqlite_trigger_name(statement: str) -> str:
    """The name a ``CREATE TRIGGER name ...`` statement gives its trigger."""
    return statement.split()[2]


def sqlite_trigger_drops(statements: Iterable[str]) -> list[str]:
    """The statements that remove the triggers ``statements`` create (for a downgrade)."""
    return [f"DROP TRIGGER IF EXISTS {sqlite_trigger_name(s)}" for s in statements]


def bad_date_sql(table: str, column: str, key: str = "rowid") -> str:
    """A query for the keys of (up to five) rows of ``table`` whose ``column`` is not an ISO
    date (SQLite); ``key`` is the primary key column of a table without rowids."""
    return (
        f"SELECT {key} FROM {table} WHERE NOT {iso_date_condition(column)} ORDER BY {key} LIMIT 5"
    )


# -- PostgreSQL ---------------------------------------------------------------------------------
#
# SQLite's guard is ``CREATE TRIGGER t BEFORE ... WHEN cond BEGIN SELECT RAISE(ABORT, msg); END``.
# PostgreSQL's is a PL/pgSQL function per guard and a row trigger calling it; :func:`pg_guard`
# writes both from the same condition and message, so a migration's PostgreSQL branch is its
# SQLite list translated condition by condition (``IS NOT`` becomes ``IS DISTINCT FROM``,
# ``GLOB`` a ``~`` regular expression, ``substr(date, 1, 7)`` ``to_char(date, 'YYYY-MM')``).
# The function and the trigger are owned by whoever runs ``bo db migrate`` (the schema owner);
# only an owner (or a superuser) can drop or disable a trigger, so the console's roles cannot.


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def pg_guard(
    name: str,
    table: str,
    events: str,
    condition: str,
    message: str,
    *,
    timing: str = "BEFORE",
) -> list[str]:
    """A PostgreSQL row trigger ``name`` on ``table`` that refuses the statement with
    ``message`` when ``condition`` (PL/pgSQL over ``NEW``/``OLD``, subqueries allowed) holds.

    ``events`` is the trigger's event list, e.g. ``"UPDATE OF period"`` or
    ``"UPDATE OR DELETE"``. Drop it with :func:`pg_guard_drop`.
    """
    return pg_trigger(name, table, events, pg_raise_if(condition, message), timing=timing)


def pg_raise_if(condition: str, message: str, *, one_line: bool = False) -> str:
    """PL/pgSQL refusing the statement with ``message`` when ``condition`` holds: one check
    of a :func:`pg_trigger` body (what :func:`pg_guard` runs). ``one_line`` writes it on a
    single line, as the older revisions did."""
    refuse = f"RAISE EXCEPTION {_literal(message)} USING ERRCODE = 'check_violation';"
    if one_line:
        return f"IF {condition} THEN {refuse} END IF;"
    return f"IF {condition} THEN\n    {refuse}\n  END IF;"


def pg_trigger(
    name: str, table: str, events: str, body: str, *, timing: str = "BEFORE"
) -> list[str]:
    """A PostgreSQL row trigger ``name`` on ``table`` running the PL/pgSQL ``body`` (which may
    ``RAISE``); the function returns the row so the statement goes on."""
    return [
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $guard$
BEGIN
  {body}
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $guard$""",
        f"CREATE TRIGGER {name} {timing} {events} ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def pg_guard_drop(name: str, table: str) -> list[str]:
    """The statements that remove what :func:`pg_guard` or :func:`pg_trigger` created."""
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]


PgTriggers = Sequence[tuple[str, str, list[str]]]
"""A migration's PostgreSQL triggers: (name, table, the statements creating it)."""


def pg_creates(triggers: PgTriggers) -> list[str]:
    """Every statement creating ``triggers``, in order (a migration's upgrade runs them)."""
    return [statement for _name, _table, statements in triggers for statement in statements]


def pg_drops(triggers: PgTriggers) -> list[str]:
    """The statements removing ``triggers`` (a migration's downgrade runs them)."""
    return [statement for name, table, _ in triggers for statement in pg_guard_drop(name, table)]
