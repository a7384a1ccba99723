"""``bo db check`` for receivables and payables: documents, payments and allocations agree with
each other and with the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core.maintenance import CheckResult

if TYPE_CHECKING:
    from bo_console.core.reading import Reads

_CHECKS: list[tuple[str, str]] = [
    (
        "documents: paid equals the allocations of live payments, credit notes and write-offs",
        """SELECT d.number FROM fin_document d
           WHERE d.paid <> COALESCE((SELECT SUM(a.amount) FROM fin_allocation a
                                     JOIN fin_payment p ON p.id = a.payment_id
                                     WHERE a.document_id = d.id AND p.status = 'posted'), 0)
                 + COALESCE((SELECT SUM(amount) FROM fin_note_application
                             WHERE document_id = d.id), 0)
                 + COALESCE((SELECT SUM(amount) FROM fin_writeoff WHERE document_id = d.id), 0)
           LIMIT 5""",
    ),
    (
        "notes: lines add up to net and tax, applied equals the applications",
        """SELECT n.number FROM fin_note n
           WHERE n.net <> COALESCE((SELECT SUM(net) FROM fin_note_line WHERE note_id = n.id), 0)
              OR n.tax <> COALESCE((SELECT SUM(tax) FROM fin_note_line WHERE note_id = n.id), 0)
              OR n.applied <> COALESCE((SELECT SUM(amount) FROM fin_note_application
                                        WHERE note_id = n.id), 0)
           LIMIT 5""",
    ),
    (
        "documents: lines add up to net and tax",
        """SELECT COALESCE(d.number, '#' || d.id) FROM fin_document d
           LEFT JOIN (SELECT document_id, SUM(net) AS net, SUM(tax) AS tax
                      FROM fin_document_line GROUP BY document_id) l ON l.document_id = d.id
           WHERE d.status <> 'draft'
             AND (l.document_id IS NULL OR l.net <> d.net OR l.tax <> d.tax)
           LIMIT 5""",
    ),
    (
        "documents: each posted one has its ledger entry for its total",
        """SELECT d.number FROM fin_document d LEFT JOIN fin_entry e ON e.id = d.entry_id
           WHERE d.status <> 'draft'
             AND (e.id IS NULL OR e.state = 'draft' OR e.total <> d.total
                  OR (d.status = 'void') <> (e.state = 'reversed'))
           LIMIT 5""",
    ),
    (
        "payments: allocations stay within the amount, the entry matches the status",
        """SELECT p.number FROM fin_payment p JOIN fin_entry e ON e.id = p.entry_id
           WHERE (SELECT COALESCE(SUM(amount), 0) FROM fin_allocation
                  WHERE payment_id = p.id) > p.amount
              OR e.total <> p.amount OR (p.status = 'void') <> (e.state = 'reversed')
           LIMIT 5""",
    ),
    (
        "documents and payments: numbers have no gaps",
        """SELECT kind || ' ' || year FROM fin_document WHERE status <> 'draft'
           GROUP BY kind, year HAVING MIN(seq) <> 1 OR MAX(seq) <> count(*)
           UNION ALL
           SELECT direction || ' ' || year FROM fin_payment
           GROUP BY direction, year HAVING MIN(seq) <> 1 OR MAX(seq) <> count(*)""",
    ),
]


def document_checks(db: Reads) -> list[CheckResult]:
    """Every receivables and payables invariant, each with up to five offenders, read through
    a Reader or a session."""
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    results = []
    for name, sql in _CHECKS:
        bad = [str(r[0]) for r in reader.rows(sql)]
        results.append(CheckResult(name, not bad, "ok" if not bad else ", ".join(bad)))
    return results
