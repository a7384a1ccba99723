"""``bo db check`` for the ledger: the monthly balances equal the lines, the books sum to
zero, every posted entry balances, entry numbers have no gaps, reversals are linked both ways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import Reads

# Posted and reversed entries are both in the books (a reversal is a second entry).
_BOOKED_SUMS = """
    SELECT l.account_id, {month} AS period, SUM(l.debit) AS debit, SUM(l.credit) AS credit
    FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
    WHERE e.state <> 'draft'
    GROUP BY l.account_id, {month}
"""


def ledger_checks(db: Reads) -> list[CheckResult]:
    """The ledger's invariants, each as one check result, read through a Reader or a
    session."""
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import dialect_of, reader_of
    from bo_console.finance.ledger import month_sql

    reader = reader_of(db)

    def rows(sql: str) -> list[tuple[object, ...]]:
        return reader.rows(sql)

    booked = _BOOKED_SUMS.format(month=month_sql(db, "l.date"))
    postgres = dialect_of(db) == "postgresql"
    ne = "IS DISTINCT FROM" if postgres else "IS NOT"  # null-safe "differs from"
    results: list[CheckResult] = []
    drift = rows(
        f"""SELECT account_id, period FROM (
              SELECT account_id, period, debit, credit FROM ({booked}) AS booked
              EXCEPT SELECT account_id, period, debit, credit FROM fin_balance
                     WHERE debit <> 0 OR credit <> 0
            ) AS missing
            UNION
            SELECT account_id, period FROM (
              SELECT account_id, period, debit, credit FROM fin_balance
              WHERE debit <> 0 OR credit <> 0
              EXCEPT SELECT account_id, period, debit, credit FROM ({booked}) AS booked
            ) AS extra LIMIT 5"""
    )
    results.append(
        CheckResult(
            "ledger: monthly balances equal the lines",
            not drift,
            "ok"
            if not drift
            else "differ for " + ", ".join(f"account {a} in {p}" for a, p in drift),
        )
    )
    debit, credit = rows(
        "SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) FROM fin_balance"
    )[0]
    results.append(
        CheckResult(
            "ledger: debits equal credits",
            debit == credit,
            f"debits {debit}, credits {credit} (minor units)",
        )
    )
    unbalanced = rows(
        """SELECT e.id FROM fin_entry e JOIN fin_line l ON l.entry_id = e.id
           WHERE e.state <> 'draft' GROUP BY e.id
           HAVING SUM(l.debit) <> SUM(l.credit) OR SUM(l.debit) <> MAX(e.total)
               OR SUM(l.debit) <= 0 LIMIT 5"""
    )
    empty = rows(
        """SELECT e.id FROM fin_entry e WHERE e.state <> 'draft'
           AND NOT EXISTS (SELECT 1 FROM fin_line l WHERE l.entry_id = e.id) LIMIT 5"""
    )
    bad = [*unbalanced, *empty]
    results.append(
        CheckResult(
            "ledger: every posted entry balances",
            not bad,
            "ok" if not bad else "entries " + ", ".join(f"#{r[0]}" for r in bad),
        )
    )
    from bo_console.finance.ledger import MAX_AMOUNT

    whole = (
        ""
        if postgres
        else (
            "typeof(l.debit) <> 'integer' OR typeof(l.credit) <> 'integer' "
            "OR typeof(e.total) <> 'integer' OR "
        )
    )
    fractional = rows(
        f"""SELECT DISTINCT e.id FROM fin_entry e JOIN fin_line l ON l.entry_id = e.id
           WHERE {whole}l.debit > {MAX_AMOUNT} OR l.credit > {MAX_AMOUNT}
              OR e.total > {MAX_AMOUNT} LIMIT 5"""
    )
    results.append(
        CheckResult(
            "ledger: amounts are whole minor units",
            not fractional,
            "ok"
            if not fractional
            else "entries with fractional, non-numeric or out-of-range amounts "
            + ", ".join(f"#{r[0]}" for r in fractional),
        )
    )
    orphans = rows(
        """SELECT l.entry_id FROM fin_line l LEFT JOIN fin_entry e ON e.id = l.entry_id
           WHERE e.id IS NULL LIMIT 5"""
    )
    results.append(
        CheckResult(
            "ledger: every line belongs to an entry",
            not orphans,
            "ok"
            if not orphans
            else "lines of missing entries " + ", ".join(f"#{r[0]}" for r in orphans),
        )
    )
    gaps = rows(
        """SELECT year, count(*), MIN(number), MAX(number) FROM fin_entry
           WHERE state <> 'draft' GROUP BY year
           HAVING MIN(number) <> 1 OR MAX(number) <> count(*)"""
    )
    results.append(
        CheckResult(
            "ledger: entry numbers have no gaps",
            not gaps,
            "ok"
            if not gaps
            else "; ".join(f"{y}: {n} entries numbered {lo}..{hi}" for y, n, lo, hi in gaps),
        )
    )
    links = rows(
        f"""SELECT o.id FROM fin_entry o LEFT JOIN fin_entry r ON r.id = o.reversed_by_id
           WHERE (o.state = 'reversed') <> (o.reversed_by_id IS NOT NULL)
              OR (o.reversed_by_id IS NOT NULL AND (r.reverses_id {ne} o.id
                                                    OR r.state = 'draft'))
           UNION
           SELECT r.id FROM fin_entry r LEFT JOIN fin_entry o ON o.id = r.reverses_id
           WHERE r.reverses_id IS NOT NULL AND r.state <> 'draft'
             AND o.reversed_by_id {ne} r.id
           LIMIT 5"""
    )
    results.append(
        CheckResult(
            "ledger: reversals are linked both ways",
            not links,
            "ok" if not links else "entries " + ", ".join(f"#{r[0]}" for r in links),
        )
    )
    results.extend(period_checks(db))
    return results


def period_checks(db: Reads) -> list[CheckResult]:
    """Each change of a month's status (logged by the database, revision 0005) has the audit
    row the service writes right after it; nothing was posted into a month after it closed.

    A month reopened in raw SQL, posted into and closed again leaves two changes without
    audit rows, whatever dates or times the forger chose.
    """
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import dialect_of, reader_of

    reader = reader_of(db)
    if dialect_of(db) == "postgresql":
        has_table = "SELECT to_regclass('fin_period_change') IS NOT NULL"
    else:
        has_table = (
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'fin_period_change'"
        )
    if not reader.scalar(has_table):
        return []
    unaudited = reader.rows(
        """SELECT c.period, c.status, c.at FROM fin_period_change c
               WHERE NOT EXISTS (
                   SELECT 1 FROM audit_event a
                   WHERE a.id > c.audit_before AND a.id <= c.audit_before + 3
                     AND a.entity = 'period' AND a.entity_id = c.period
                     AND a.action = CASE c.status WHEN 'open' THEN 'reopen' ELSE 'close' END)
               ORDER BY c.id LIMIT 5"""
    )
    late = reader.rows(
        """SELECT e.id, p.period FROM fin_period p
               JOIN fin_entry e ON e.state <> 'draft' AND e.posted_at IS NOT NULL
                    AND substr(CAST(e.date AS TEXT), 1, 7) = p.period
               WHERE p.status = 'closed'
                 AND CAST(e.posted_at AS TEXT) > (
                     SELECT MAX(c.at) FROM fin_period_change c
                     WHERE c.period = p.period AND c.status = 'closed')
               ORDER BY e.id LIMIT 5"""
    )
    return [
        CheckResult(
            "ledger: month closes and reopens are audited",
            not unaudited,
            "ok"
            if not unaudited
            else "changed without an audit row: "
            + ", ".join(f"{p} {s} at {at}" for p, s, at in unaudited),
        ),
        CheckResult(
            "ledger: nothing posted into a closed month",
            not late,
            "ok"
            if not late
            else "entries posted after their month closed: "
            + ", ".join(f"#{i} ({p})" for i, p in late),
        ),
    ]
