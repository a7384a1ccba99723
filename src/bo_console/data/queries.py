"""Saved, parameterised queries over the published views: the library that ships.

Each runs through the read-only console (:func:`bo_console.data.service.run_sql`), so the same
guard (SQLite's authorizer, PostgreSQL's reader role) holds: a saved query can no more write or
reveal a confidential column than typed SQL can. Parameters are bound, never pasted into the
text. A query's SQL runs on both stores, or has PostgreSQL's spelling beside SQLite's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bo_console.core.errors import NotFound, UsageProblem
from bo_console.core.security import Actor

_KINDS = {
    "month": (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "a month, YYYY-MM"),
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "a date, YYYY-MM-DD"),
    "text": (re.compile(r"^.{0,200}$"), "text"),
}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str
    default: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    dept: str
    description: str
    sql: str
    params: tuple[Param, ...] = ()
    pg_sql: str = ""
    """PostgreSQL's spelling where SQLite's is not portable (empty: ``sql`` runs on both)."""

    def sql_for(self, dialect: str) -> str:
        """The query's text for ``dialect`` (``sqlite`` or ``postgresql``)."""
        return self.pg_sql if dialect == "postgresql" and self.pg_sql else self.sql


def _this_year() -> tuple[str, str]:
    from bo_console.core.clock import today as clock_today

    today = clock_today()
    return f"{today.year}-01", f"{today.year}-{today.month:02d}"


_MONTHS = """
    WITH RECURSIVE m(month) AS (
        SELECT :from_month
        UNION ALL
        SELECT strftime('%Y-%m', date(month || '-01', '+1 month')) FROM m WHERE month < :to_month
    )"""

_PG_HEADCOUNT = """
    WITH m(month, last_day) AS (
        SELECT to_char(d, 'YYYY-MM'), (d + interval '1 month' - interval '1 day')::date
        FROM generate_series(to_date(:from_month, 'YYYY-MM'), to_date(:to_month, 'YYYY-MM'),
                             interval '1 month') AS d
    )
    SELECT m.month AS month,
           (SELECT COUNT(*) FROM v_hr_employee e
             WHERE to_char(e.hire_date, 'YYYY-MM') = m.month) AS hires,
           (SELECT COUNT(*) FROM v_hr_employee e
             WHERE to_char(e.termination_date, 'YYYY-MM') = m.month) AS leavers,
           (SELECT COUNT(*) FROM v_hr_employee e
             WHERE e.hire_date <= m.last_day
               AND (e.termination_date IS NULL OR e.termination_date > m.last_day)
           ) AS headcount
    FROM m ORDER BY m.month"""
"""Headcount movement as PostgreSQL spells months (SQLite's has no generate_series)."""

LIBRARY: tuple[SavedQuery, ...] = (
    SavedQuery(
        "revenue-by-customer-month",
        "Revenue by customer and month",
        "finance",
        "Net invoiced revenue less credit notes per customer and month (posted documents), "
        "in minor units",
        """
        SELECT month, party_code AS customer, party_name AS name,
               SUM(CASE WHEN kind = 'credit_note' THEN -net ELSE net END) AS revenue,
               COUNT(*) AS documents
        FROM v_fin_document
        WHERE kind IN ('invoice', 'credit_note') AND status NOT IN ('draft', 'void')
          AND month BETWEEN :from_month AND :to_month
        GROUP BY month, party_code, party_name
        ORDER BY month, revenue DESC, customer""",
        (
            Param("from_month", "month", "first month", ""),
            Param("to_month", "month", "last month", ""),
        ),
    ),
    SavedQuery(
        "headcount-movement",
        "Headcount movement",
        "hr",
        "Hires, leavers and headcount at the end of each month",
        _MONTHS
        + """
        SELECT m.month AS month,
               (SELECT COUNT(*) FROM v_hr_employee e
                 WHERE substr(e.hire_date, 1, 7) = m.month) AS hires,
               (SELECT COUNT(*) FROM v_hr_employee e
                 WHERE substr(e.termination_date, 1, 7) = m.month) AS leavers,
               (SELECT COUNT(*) FROM v_hr_employee e
                 WHERE e.hire_date <= date(m.month || '-01', '+1 month', '-1 day')
                   AND (e.termination_date IS NULL
                        OR e.termination_date > date(m.month || '-01', '+1 month', '-1 day'))
               ) AS headcount
        FROM m ORDER BY m.month""",
        (
            Param("from_month", "month", "first month", ""),
            Param("to_month", "month", "last month", ""),
        ),
        pg_sql=_PG_HEADCOUNT,
    ),
    SavedQuery(
        "ticket-sla-by-category",
        "Ticket SLA by category",
        "it",
        "Tickets opened per category, how many were resolved, and how many broke their SLA",
        """
        SELECT category, COUNT(*) AS tickets,
               COUNT(resolved_at) AS resolved,
               SUM(breached) AS breached,
               ROUND(100.0 * SUM(breached) / COUNT(*), 1) AS breached_pct
        FROM v_it_ticket
        WHERE month BETWEEN :from_month AND :to_month
        GROUP BY category ORDER BY category""",
        (
            Param("from_month", "month", "first month", ""),
            Param("to_month", "month", "last month", ""),
        ),
    ),
    SavedQuery(
        "stock-turnover",
        "Stock turnover",
        "logistics",
        "Value issued per item between two dates against the stock value held now "
        "(turnover = issued / held)",
        """
        SELECT i.sku AS sku, i.name AS name,
               COALESCE(-SUM(m.quantity), 0) AS issued_qty,
               COALESCE(-SUM(m.value), 0) AS issued_value,
               i.stock_value AS stock_value,
               CAST(ROUND(COALESCE(-SUM(m.value), 0) * 1.0 / NULLIF(i.stock_value, 0), 2)
                    AS DOUBLE PRECISION) AS turnover
        FROM v_lg_item i
        LEFT JOIN v_lg_stock_move m
          ON m.sku = i.sku AND m.kind = 'issue' AND m.date BETWEEN :from_date AND :to_date
        GROUP BY i.sku, i.name, i.stock_value
        ORDER BY turnover DESC NULLS LAST, sku""",
        (
            Param("from_date", "date", "first day", ""),
            Param("to_date", "date", "last day", ""),
        ),
    ),
)

QUERY_BY_NAME: dict[str, SavedQuery] = {q.name: q for q in LIBRARY}


def defaults(query: SavedQuery) -> dict[str, str]:
    """Each parameter's default: this year to this month (or its first and today's date)."""
    from bo_console.core.clock import today as clock_today

    first, last = _this_year()
    today = clock_today().isoformat()
    values: dict[str, str] = {}
    for p in query.params:
        if p.default:
            values[p.name] = p.default
        elif p.kind == "month":
            values[p.name] = first if p.name.startswith("from") else last
        elif p.kind == "date":
            values[p.name] = f"{first}-01" if p.name.startswith("from") else today
        else:
            values[p.name] = ""
    return values


def get_query(name: str) -> SavedQuery:
    """A saved query by name.

    Raises:
        NotFound: no saved query of that name (the message lists them).
    """
    query = QUERY_BY_NAME.get(name)
    if query is None:
        names = ", ".join(QUERY_BY_NAME)
        raise NotFound(f"no saved query {name!r} (one of: {names})")
    return query


def bind(query: SavedQuery, given: Mapping[str, str]) -> dict[str, str]:
    """The parameters to run ``query`` with: the defaults, overridden by ``given``.

    Raises:
        UsageProblem: an unknown parameter, or a value of the wrong form.
    """
    known = {p.name: p for p in query.params}
    for name in given:
        if name not in known:
            names = ", ".join(known) or "none"
            raise UsageProblem(f"{query.name} has no parameter {name!r} (it takes: {names})")
    values = defaults(query) | dict(given)
    for name, value in values.items():
        pattern, what = _KINDS[known[name].kind]
        if not pattern.match(value):
            raise UsageProblem(f"{name}={value!r}: expected {what}")
    return values


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``k=v`` strings (``--param``) as a dict.

    Raises:
        UsageProblem: a pair without ``=``.
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageProblem(f"--param {pair!r}: expected NAME=VALUE")
        values[name.strip()] = value.strip()
    return values


def saved_queries(actor: Actor) -> list[SavedQuery]:
    """The library, every query (running one checks the actor may read what it reads)."""
    actor.require("data.query", "list saved queries")
    return list(LIBRARY)
