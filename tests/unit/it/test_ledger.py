"""The register in the books: capitalisation from a bill line, depreciation once a month,
disposal with its loss, and the register equal to its ledger accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from bo_console.core.errors import AlreadyDone, PermissionDenied, RuleViolation
from bo_console.it import service
from tests.unit.finance.documents_helpers import add_parties, doc
from tests.unit.it.conftest import IT
from tests.unit.it.factories import asset

LAPTOPS = ("Laptops", 3_000, 500_000, "S15", "1550")  # 3 x 5,000.00 on IT equipment


def _balance(session: object, code: str) -> int:
    row = session.execute(  # type: ignore[attr-defined]
        text(
            "SELECT COALESCE(SUM(l.debit - l.credit), 0) FROM fin_line l "
            "JOIN fin_account a ON a.id = l.account_id JOIN fin_entry e ON e.id = l.entry_id "
            "WHERE a.code = :c AND e.state = 'posted'"
        ),
        {"c": code},
    ).one()
    return int(row[0])


def _three_laptops(it: IT) -> str:
    for n in (1, 2, 3, 4):
        asset(it, f"LT-{n:04d}", f"SN{n}")
    with it.store.write() as session:
        add_parties(session, it.admin)
        bill = doc(session, it.admin, "bill", "S1", lines=[LAPTOPS], reference="DELL-1")
        for n in (1, 2, 3):
            service.capitalise(
                session,
                it.manager,
                f"LT-{n:04d}",
                bill=bill.ref,
                line=1,
                in_service=date(2026, 3, 10),
            )
        with pytest.raises(RuleViolation, match="no unit left"):
            service.capitalise(
                session, it.manager, "LT-0004", bill=bill.ref, line=1, in_service=date(2026, 3, 10)
            )
    return str(bill.ref)


def _checks_ok(it: IT) -> None:
    with it.store.read() as session:
        results = service.register_checks(session)
    assert all(r.ok for r in results), results


def test_a_bill_for_three_laptops_capitalises_three_assets(it: IT) -> None:
    _three_laptops(it)
    with it.store.read() as session:
        view = service.get_asset(session, it.clerk, "LT-0002")
        assert view.row.cost == 5000 and view.capitalised_by is not None
        assert _balance(session, "1550") == 1_500_000
    _checks_ok(it)


def test_depreciation_posts_once_a_month_and_equals_the_ledger(it: IT) -> None:
    _three_laptops(it)
    with it.store.write() as session:
        run = service.depreciate(session, it.manager, "2026-12")
        assert run.assets == 3 and run.entry is not None
        assert run.total == Decimal("416.67")  # 3 x 138.89  # 5,000.00 over 36 months
        with pytest.raises(AlreadyDone, match="already posted"):
            service.depreciate(session, it.manager, "2026-12")
        with pytest.raises(PermissionDenied):
            service.depreciate(session, it.clerk, "2027-01")
        assert _balance(session, "1555") == -3 * 13_889
        assert _balance(session, "6500") == 3 * 13_889
        assert service.get_asset(session, it.clerk, "LT-0001").book_value == Decimal("4861.11")
    _checks_ok(it)


def test_depreciation_starts_after_mid_month_and_stops_at_cost(it: IT) -> None:
    _three_laptops(it)
    with it.store.write() as session:
        assert service.depreciate(session, it.manager, "2026-02", dry_run=True).assets == 0
        session.execute(text("UPDATE it_asset SET opening_depreciation = cost - 100"))
        run = service.depreciate(session, it.manager, "2026-04")
        assert run.total == Decimal("3.00")  # only what was left


def test_disposal_posts_the_loss_and_the_asset_cannot_go_out_again(it: IT) -> None:
    _three_laptops(it)
    with it.store.write() as session:
        service.depreciate(session, it.manager, "2026-12")
        view = service.dispose(
            session, it.manager, "LT-0001", on=date(2026, 12, 31), proceeds=100_000
        )
        assert view.row.status == "disposed" and view.proceeds == 1000
        # book value 5,000.00 - 138.89 = 4,861.11; sold for 1,000.00: loss 3,861.11
        assert _balance(session, "7400") == 386_111
        assert _balance(session, "1550") == 1_000_000
        assert _balance(session, "1555") == -2 * 13_889
        with pytest.raises(RuleViolation, match="only assets in stock"):
            service.check_out(session, it.clerk, "LT-0001", it.ali)
        with pytest.raises(RuleViolation, match="already disposed"):
            service.dispose(session, it.manager, "LT-0001", on=date(2026, 12, 31))
    _checks_ok(it)


def test_a_posting_to_the_asset_account_outside_the_register_fails_the_check(it: IT) -> None:
    from bo_console.finance import service as finance

    _three_laptops(it)
    with it.store.write() as session:
        finance.post_entry(
            session,
            it.admin,
            finance.EntryCreate(
                date=date(2026, 4, 1),
                memo="by hand",
                lines=[
                    finance.LineCreate(account="1550", debit=500),
                    finance.LineCreate(account="1110", credit=500),
                ],
            ),
        )
    with it.store.read() as session:
        results = {r.name: r.ok for r in service.register_checks(session)}
    assert results == {
        "IT asset register cost = ledger": False,
        "IT accumulated depreciation = ledger": True,
    }


def test_an_asset_sold_charges_output_vat_that_the_vat_return_declares(it: IT) -> None:
    from bo_console.core.errors import NotFound
    from bo_console.finance import service as finance
    from bo_console.finance.tax import vat_return

    _three_laptops(it)
    with it.store.write() as session:
        with pytest.raises(NotFound, match="no tax code"):
            service.dispose(
                session, it.manager, "LT-0001", on=date(2026, 12, 31), proceeds=1, tax_code="X9"
            )
        # book value 5,000.00 (no depreciation yet); sold for 6,000.00 plus 15% VAT
        service.dispose(session, it.manager, "LT-0001", on=date(2026, 12, 31), proceeds=600_000)
        vat_account = finance.account_for_role(session, "vat_output")
        assert _balance(session, finance.account_for_role(session, "bank")) == 690_000
        assert _balance(session, vat_account) == -90_000
        assert _balance(session, "4920") == -100_000 and _balance(session, "7400") == 0
        # zero-rated (an export): no tax, the sale still declared
        service.dispose(
            session, it.manager, "LT-0002", on=date(2026, 12, 31), proceeds=100_000, tax_code="Z"
        )
        assert _balance(session, vat_account) == -90_000
        assert _balance(session, "7400") == 400_000
    with it.store.read() as session:
        vat = vat_return(session, it.admin, "2026-12")
    sales = {r.code: (r.net, r.tax) for r in vat.rows if r.side == "sales"}
    assert sales == {"S15": (Decimal("6000.00"), Decimal("900.00")), "Z": (Decimal("1000.00"), 0)}
    assert vat.ties
    _checks_ok(it)


def _job(it: IT, name: str) -> list[tuple[str, str]]:
    from bo_console.core import jobs

    with it.store.read() as session:
        return [(r.outcome, r.summary) for r in jobs.list_runs(session, it.admin, name=name)]


def test_the_depreciation_job_reports_progress_and_records_its_summary(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.it import ledger

    _three_laptops(it)
    monkeypatch.setattr(ledger, "PROGRESS_STEP", 1)
    heard: list[tuple[int, int]] = []
    run = service.run_depreciation(
        it.store, it.manager, "2026-12", progress=lambda d, t: heard.append((d, t))
    )
    # Three assets weighed, then the posting: the counts advance and end at the total.
    assert heard == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert run.summary == f"2026-12: 3 assets, 416.67 posted, entry {run.entry}"
    assert _job(it, "it.assets.depreciate") == [("ok", run.summary)]
    # The same month again is skipped, not failed, and posts nothing.
    with pytest.raises(AlreadyDone):
        service.run_depreciation(it.store, it.manager, "2026-12")
    assert [o for o, _ in _job(it, "it.assets.depreciate")] == ["skipped", "ok"]


def test_a_month_posted_outside_the_job_is_recorded_as_skipped(it: IT) -> None:
    _three_laptops(it)
    with it.store.write() as session:
        service.depreciate(session, it.manager, "2026-12")
    heard: list[tuple[int, int]] = []
    with pytest.raises(AlreadyDone, match="already posted"):
        service.run_depreciation(
            it.store, it.manager, "2026-12", progress=lambda d, t: heard.append((d, t))
        )
    assert heard == []
    assert _job(it, "it.assets.depreciate")[0][0] == "skipped"


def test_a_month_with_nothing_to_depreciate_still_ends_its_progress(it: IT) -> None:
    heard: list[tuple[int, int]] = []
    run = service.run_depreciation(
        it.store, it.manager, "2026-12", progress=lambda d, t: heard.append((d, t))
    )
    assert heard == [(1, 1)] and run.summary == "2026-12: 0 assets, nothing to post"
