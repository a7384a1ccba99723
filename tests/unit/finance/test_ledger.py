"""The journal's rules: posting, numbering, drafts, reversals, periods, permissions, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bo_console.core import audit
from bo_console.core.audit import AuditFilter
from bo_console.core.db import Store
from bo_console.core.errors import (
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.finance import service
from bo_console.finance.checks import ledger_checks
from tests.unit.finance.conftest import Poster, Team, entry, sale

D = date(2026, 3, 10)


def _count(store: Store, sql: str) -> int:
    with store.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def _checks_ok(store: Store) -> None:
    with store.read() as session:
        bad = [r for r in ledger_checks(session) if not r.ok]
    assert bad == []


def test_post_numbers_entries_gaplessly_per_year(post: Poster, store: Store) -> None:
    first = post(D, *sale(10000))
    second = post(date(2026, 1, 2), *sale(500))
    other_year = post(date(2025, 12, 31), ("6200", 700000, 0), ("1110", 0, 700000))
    third = post(date(2026, 12, 31), ("6410", 2500, 0), ("1110", 0, 2500))
    assert [first.ref, second.ref, third.ref] == ["2026-000001", "2026-000002", "2026-000003"]
    assert other_year.ref == "2025-000001"
    assert first.state == "posted" and first.total == 11500
    _checks_ok(store)


def test_unbalanced_entry_is_refused_and_nothing_is_written(store: Store, team: Team) -> None:
    with pytest.raises(ValidationFailed, match="do not equal credits"), store.write() as session:
        service.post_entry(session, team.clerk, entry(D, ("1110", 1000, 0), ("4100", 0, 999)))
    assert _count(store, "SELECT count(*) FROM fin_entry") == 0
    assert _count(store, "SELECT count(*) FROM fin_line") == 0


@pytest.mark.parametrize(
    ("code", "reason"),
    [("9999", "no account"), ("1100", "group account"), ("Assets", "group account")],
)
def test_unknown_and_group_accounts_are_refused(
    store: Store, team: Team, code: str, reason: str
) -> None:
    with pytest.raises(ValidationFailed) as caught, store.write() as session:
        service.post_entry(session, team.clerk, entry(D, (code, 100, 0), ("4100", 0, 100)))
    assert any(reason in e.message and e.field == "line 1 account" for e in caught.value.errors)


def test_accounts_are_found_by_code_or_full_name(post: Poster, store: Store) -> None:
    posted = post(D, ("Assets:Cash and banks:petty cash", 100, 0), ("4100", 0, 100))
    with store.read() as session:
        view = service.get_entry(session, _reader(store), posted.ref)
    assert [line.code for line in view.lines] == ["1150", "4100"]
    assert view.lines[0].account == "Assets:Cash and banks:Petty cash"


def _reader(store: Store) -> Actor:
    from bo_console.core import security
    from bo_console.core.security import Identity

    with store.read() as session:
        return security.sign_in(session, Identity("boadmin", "test"))


def test_line_needs_exactly_one_positive_side() -> None:
    with pytest.raises(ValueError):
        entry(D, ("1110", 100, 100), ("4100", 0, 100))
    with pytest.raises(ValueError):
        entry(D, ("1110", 0, 0), ("4100", 0, 100))
    with pytest.raises(ValueError):
        entry(D, ("1110", -5, 0), ("4100", 0, 100))


def test_drafts_may_be_unbalanced_until_posted(store: Store, team: Team) -> None:
    with store.write() as session:
        draft = service.create_draft(
            session, team.clerk, entry(D, ("6230", 5000, 0), ("1140", 0, 4000), memo="stationery")
        )
    assert draft.ref == f"draft #{draft.id}" and draft.state == "draft"
    with pytest.raises(ValidationFailed, match="do not equal credits"), store.write() as session:
        service.post_draft(session, team.clerk, draft.id or 0)
    with store.write() as session:
        service.update_draft(
            session, team.clerk, draft.id or 0, entry(D, ("6230", 5000, 0), ("1140", 0, 5000))
        )
        posted = service.post_draft(session, team.clerk, f"#{draft.id}")
    assert posted.ref == "2026-000001" and posted.id == draft.id
    with pytest.raises(RuleViolation, match="reversal"), store.write() as session:
        service.update_draft(session, team.clerk, posted.ref, entry(D, *sale(100)))
    with pytest.raises(RuleViolation), store.write() as session:
        service.delete_draft(session, team.clerk, posted.ref)
    _checks_ok(store)


def test_drafts_do_not_count_in_reports(store: Store, team: Team, post: Poster) -> None:
    post(D, *sale(10000))
    with store.write() as session:
        service.create_draft(session, team.clerk, entry(D, *sale(90000)))
    with store.read() as session:
        tb = service.trial_balance(session, team.clerk, D)
        month = service.trial_balance(session, team.clerk, date(2026, 3, 31))
    assert {r.code: r.balance for r in tb.rows}["4100"] == -100
    assert {r.code: r.balance for r in month.rows}["4100"] == -100


def test_delete_draft(store: Store, team: Team) -> None:
    with store.write() as session:
        draft = service.create_draft(session, team.clerk, entry(D, *sale(100)))
    with store.write() as session:
        service.delete_draft(session, team.clerk, draft.id or 0)
    assert _count(store, "SELECT count(*) FROM fin_entry") == 0
    with pytest.raises(NotFound), store.read() as session:
        service.find_entry(session, draft.id or 0)


def test_reversal_is_linked_both_ways_and_nets_to_zero(
    store: Store, team: Team, post: Poster
) -> None:
    original = post(D, *sale(10000))
    with store.write() as session:
        reversal = service.reverse_entry(session, team.clerk, original.ref)
    with store.read() as session:
        first = service.get_entry(session, team.clerk, original.ref)
        second = service.get_entry(session, team.clerk, reversal.ref)
        tb = service.trial_balance(session, team.clerk, D)
    with store.reading() as reader:
        assert service.get_entry(reader, team.clerk, f"#{original.id}") == first
        assert service.get_entry(reader, team.clerk, reversal.ref) == second
    assert first.state == "reversed" and first.reversed_by == reversal.ref
    assert second.state == "posted" and second.reverses == original.ref
    assert second.source == "reversal" and second.date == D
    assert [(line.code, line.debit, line.credit) for line in second.lines] == [
        (line.code, line.credit, line.debit) for line in first.lines
    ]
    assert tb.rows == ()
    with pytest.raises(RuleViolation, match="already reversed"), store.write() as session:
        service.reverse_entry(session, team.clerk, original.ref)
    _checks_ok(store)


def test_reversal_into_a_closed_period_needs_another_date(
    store: Store, team: Team, post: Poster
) -> None:
    original = post(D, *sale(100))
    with store.write() as session:
        service.close_period(session, team.manager, "2026-03")
    with pytest.raises(RuleViolation, match="closed"), store.write() as session:
        service.reverse_entry(session, team.clerk, original.ref)
    with store.write() as session:
        reversal = service.reverse_entry(session, team.clerk, original.ref, on=date(2026, 4, 1))
    assert reversal.date == date(2026, 4, 1)
    _checks_ok(store)


def test_document_entries_are_reversed_through_their_document(
    store: Store, team: Team, make_user: object
) -> None:
    with store.write() as session:
        posted = service.post_entry(
            session,
            team.clerk,
            entry(D, *sale(100), source="invoice", source_ref="INV-1"),
        )
    with pytest.raises(RuleViolation, match="through that document"), store.write() as session:
        service.reverse_entry(session, team.clerk, posted.ref)
    with store.write() as session:
        service.reverse_entry(session, team.clerk, posted.ref, from_document=True)


def test_one_live_entry_per_document(store: Store, team: Team) -> None:
    doc = {"source": "payroll", "source_ref": "pay_run:7"}
    lines = (("6100", 5000, 0), ("2300", 0, 5000))
    with store.write() as session:
        first = service.post_entry(session, team.clerk, entry(D, *lines, **doc))
    with pytest.raises(RuleViolation, match="already has entry"), store.write() as session:
        service.post_entry(session, team.clerk, entry(D, *lines, **doc))
    with store.write() as session:
        service.reverse_entry(session, team.clerk, first.ref, from_document=True)
        again = service.post_entry(session, team.clerk, entry(D, *lines, **doc))
    assert again.ref == "2026-000003"


def test_other_departments_post_with_their_own_permission(
    store: Store, make_user: object, team: Team
) -> None:
    approver: Actor = make_user("sara", "hr-manager")  # type: ignore[operator]
    payroll = entry(D, ("6100", 5000, 0), ("2300", 0, 5000), source="payroll", source_ref="r1")
    with pytest.raises(PermissionDenied, match="finance.post"), store.write() as session:
        service.post_entry(session, approver, payroll)
    with store.write() as session:
        posted = service.post_entry(session, approver, payroll, permission="payroll.approve")
    assert posted.posted_by == "sara"
    manual = entry(D, ("6100", 5000, 0), ("2300", 0, 5000))
    with pytest.raises(PermissionDenied), store.write() as session:
        service.post_entry(session, approver, manual, permission="payroll.approve")


@pytest.mark.parametrize("who", ["auditor", "manager_of_hr"])
def test_readers_and_strangers_cannot_post(
    store: Store, team: Team, make_user: object, who: str
) -> None:
    actor = team.auditor if who == "auditor" else make_user("x", "hr-manager")  # type: ignore[operator]
    with pytest.raises(PermissionDenied), store.write() as session:
        service.post_entry(session, actor, entry(D, *sale(100)))
    with store.read() as session:
        if who == "auditor":
            assert service.trial_balance(session, actor, D).rows == ()
        else:
            with pytest.raises(PermissionDenied):
                service.trial_balance(session, actor, D)


def test_closed_period_refuses_postings_and_drafts(store: Store, team: Team, post: Poster) -> None:
    post(D, *sale(100))
    with pytest.raises(PermissionDenied), store.write() as session:
        service.close_period(session, team.clerk, "2026-03")
    with store.write() as session:
        assert service.close_period(session, team.manager, "2026-03") is True
        assert service.close_period(session, team.manager, "2026-03") is False
    for make in (service.post_entry, service.create_draft):
        with pytest.raises(RuleViolation, match="2026-03 is closed"), store.write() as session:
            make(session, team.clerk, entry(date(2026, 3, 31), *sale(100)))
    post(date(2026, 4, 1), *sale(100))  # the next month is open
    with pytest.raises(PermissionDenied, match="admin"), store.write() as session:
        service.reopen_period(session, team.manager, "2026-03")
    with store.write() as session:
        assert service.reopen_period(session, team.admin, "2026-03", reason="late invoice")
    post(date(2026, 3, 31), *sale(100))
    with store.read() as session:
        rows = audit.query_log(session, team.admin, AuditFilter(entity="period"))
    assert [(r.action, r.user_login) for r in rows] == [("reopen", "boadmin"), ("close", "layla")]
    assert "late invoice" in rows[0].changes


def test_a_month_with_drafts_cannot_be_closed(store: Store, team: Team) -> None:
    with store.write() as session:
        service.create_draft(session, team.clerk, entry(D, *sale(100)))
    with pytest.raises(RuleViolation, match="1 draft entry"), store.write() as session:
        service.close_period(session, team.manager, "2026-03")


def test_periods_list(store: Store, team: Team, post: Poster) -> None:
    post(D, *sale(100))
    post(D, *sale(100))
    with store.write() as session:
        service.create_draft(session, team.clerk, entry(date(2026, 4, 2), *sale(100)))
        service.close_period(session, team.manager, "2026-02")
    with store.read() as session:
        months = {p.period: p for p in service.list_periods(session, team.clerk, year=2026)}
    assert len(months) == 12
    assert (months["2026-03"].posted, months["2026-03"].drafts) == (2, 0)
    assert (months["2026-04"].posted, months["2026-04"].drafts) == (0, 1)
    assert months["2026-02"].status == "closed" and months["2026-02"].changed_by == "layla"
    assert months["2026-05"].status == "open"
    with pytest.raises(ValidationFailed), store.write() as session:
        service.close_period(session, team.manager, "2026-13")


def test_every_change_is_audited(store: Store, team: Team, post: Poster) -> None:
    posted = post(D, *sale(10000), memo="cash sale")
    with store.write() as session:
        service.reverse_entry(session, team.clerk, posted.ref)
    with store.read() as session:
        rows = audit.query_log(session, team.admin, AuditFilter(entity="journal_entry"))
    actions = [(r.action, r.entity_id) for r in rows]
    assert actions == [
        ("reverse", "2026-000001"),
        ("post", "2026-000002"),
        ("post", "2026-000001"),
    ]
    assert "1110 Dr 115.00" in rows[2].changes and "cash sale" in rows[2].changes


def test_back_dated_postings_update_the_monthly_balances(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 5, 5), *sale(100))
    post(date(2026, 1, 5), *sale(200))
    post(date(2026, 5, 31), *sale(300))
    with store.read() as session:
        rows = session.execute(
            text(
                "SELECT b.period, b.credit FROM fin_balance b JOIN fin_account a "
                "ON a.id = b.account_id WHERE a.code = '4100' ORDER BY b.period"
            )
        ).all()
    assert [tuple(r) for r in rows] == [("2026-01", 200), ("2026-05", 400)]
    _checks_ok(store)


def test_list_entries_filters(store: Store, team: Team, post: Poster) -> None:
    post(date(2026, 1, 5), *sale(100), memo="January sale")
    post(date(2026, 2, 5), ("6200", 500, 0), ("1110", 0, 500), memo="Rent")
    with store.write() as session:
        service.create_draft(session, team.clerk, entry(date(2026, 2, 6), *sale(20), memo="d"))
    with store.read() as session:

        def refs(**kw: object) -> list[str]:
            flt = service.EntryFilter(**kw)  # type: ignore[arg-type]
            return [r.memo for r in service.list_entries(session, team.clerk, flt)]

        assert refs() == ["d", "Rent", "January sale"]
        assert refs(state="draft") == ["d"]
        assert refs(account="6200") == ["Rent"]
        assert refs(text="januar") == ["January sale"]
        assert refs(date_from=date(2026, 2, 1), date_to=date(2026, 2, 5)) == ["Rent"]
