"""The asset register, custody, licences and seats, and on/offboarding."""

from __future__ import annotations

from datetime import date

import pytest

from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.hr.service import people
from bo_console.it import service
from tests.unit.it.conftest import IT
from tests.unit.it.factories import asset, licence


def test_tags_and_serials_are_unique(it: IT) -> None:
    asset(it, "LT-0001", "SN1")
    with it.store.write() as session, pytest.raises(ValidationFailed) as caught:
        service.add_asset(
            session,
            it.clerk,
            service.AssetCreate(tag="lt-0001", serial="sn1", model="X", category="PHONEX"),
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"tag", "serial", "category"}


def test_check_out_and_in_keep_the_custodian_history(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        assert service.check_out(session, it.clerk, tag, it.ali).row.custodian.startswith(it.ali)
        with pytest.raises(RuleViolation, match=f"already checked out to {it.ali}"):
            service.check_out(session, it.clerk, tag, it.badr)
        service.check_in(session, it.clerk, tag, location="Store room")
        view = service.check_out(session, it.clerk, " lt-0001 ", it.badr)  # as a scanner types it
    assert [c.employee for c in view.custody] == [it.badr, it.ali]
    assert view.custody[1].returned_by == "khalid"
    with it.store.read() as session:
        held = service.list_assets(session, it.clerk, service.AssetFilter(holder=it.badr))
        assert [r.tag for r in held] == [tag]
        with pytest.raises(PermissionDenied):
            service.list_assets(session, it.requester, service.AssetFilter())


def test_check_out_refuses_leavers_and_assets_not_in_stock(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        people.terminate_employee(session, it.admin, it.badr, on=date(2026, 11, 30))
    with it.store.write() as session:
        with pytest.raises(RuleViolation, match="terminated"):
            service.check_out(session, it.clerk, tag, it.badr)
        service.set_status(session, it.clerk, tag, "retired")
        with pytest.raises(RuleViolation, match="only assets in stock"):
            service.check_out(session, it.clerk, tag, it.ali)
        with pytest.raises(NotFound):
            service.check_out(session, it.clerk, "NOPE", it.ali)
        with pytest.raises(RuleViolation, match="not checked out"):
            service.check_in(session, it.clerk, tag)


def test_the_eleventh_seat_is_refused(it: IT) -> None:
    ref = licence(it, seats=2)
    tag = asset(it)
    with it.store.write() as session:
        service.assign_seat(session, it.clerk, ref, employee_number=it.ali)
        service.assign_seat(session, it.clerk, ref, employee_number=it.badr)
        with pytest.raises(RuleViolation, match="all 2 seats"):
            service.assign_seat(session, it.clerk, ref, asset_tag=tag)
        with pytest.raises(RuleViolation, match="already has a seat"):
            service.assign_seat(session, it.clerk, ref, employee_number=it.ali)
        with pytest.raises(RuleViolation, match="release some"):
            service.update_licence(session, it.clerk, ref, service.LicenceUpdate(seats=1))
        service.release_seat(session, it.clerk, ref, employee_number=it.ali)
        view = service.assign_seat(session, it.clerk, ref, asset_tag=tag)
    assert (view.row.used, view.row.free) == (2, 0)
    assert [h.holder for h in view.holders] == [it.badr, "LT-0001"]


def test_licence_keys_are_masked_for_clerks_and_their_showing_audited(it: IT) -> None:
    from sqlmodel import select

    from bo_console.core.models import AuditEvent

    licence(it, key="ABCD-SECRET")
    with it.store.write() as session:
        assert service.list_licences(session, it.clerk)[0].key == "********"
        assert service.list_licences(session, it.manager)[0].key == "ABCD-SECRET"
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "licence")).all()
    assert "ABCD-SECRET" not in " ".join(e.changes for e in events)
    assert [e.action for e in events] == ["create", "view"]


def test_expiring_licences_notify_the_it_inbox_once(it: IT) -> None:
    from bo_console.core import inbox

    licence(it, "Adobe", renewal_date=date(2026, 12, 20))
    licence(it, "Zoom", renewal_date=date(2027, 6, 1))
    with it.store.write() as session:
        rows, made = service.expiring(
            session, it.clerk, within_days=30, on=date(2026, 12, 1), notify=True
        )
        assert [r.product for r in rows] == ["Adobe"] and made == 1
        assert (
            service.expiring(session, it.clerk, within_days=30, on=date(2026, 12, 2), notify=True)[
                1
            ]
            == 0
        )
        items = inbox.list_items(session, it.clerk, dept="it")
    assert [i.subject for i in items if i.kind == "licence-renewal"] == [
        "Renew Adobe (L1) by 2026-12-20"
    ]


def test_offboarding_completes_only_when_the_leaver_holds_nothing(it: IT) -> None:
    tag = asset(it)
    ref = licence(it)
    with it.store.write() as session:
        service.check_out(session, it.clerk, tag, it.badr)
        service.assign_seat(session, it.clerk, ref, employee_number=it.badr)
        people.terminate_employee(session, it.admin, it.badr, on=date(2026, 11, 30))
    with it.store.write() as session:
        item = next(b for b in service.list_boarding(session, it.clerk) if b.kind == "offboarding")
        assert item.holds == ["asset LT-0001", "licence Office 365"]
        service.tick(session, it.clerk, item.item_id, "access")
        with pytest.raises(RuleViolation, match="still holds asset LT-0001"):
            service.complete(session, it.clerk, item.item_id)
        service.check_in(session, it.clerk, tag)
        service.release_seat(session, it.clerk, ref, employee_number=it.badr)
        assert service.complete(session, it.clerk, item.item_id).status == "done"


def test_an_employee_added_directly_gets_an_onboarding_item(it: IT) -> None:
    from bo_console.core.clock import today
    from tests.unit.hr.factories import add_employee

    new = add_employee(it.store, it.admin, "Camila Reyes", hired=today(), n=3)
    with it.store.write() as session:
        items = service.list_boarding(session, it.clerk)
    onboarding = [b for b in items if b.kind == "onboarding"]
    assert [b.employee for b in onboarding] == [new]  # the 2024 hires are history, not news
    with it.store.write() as session:
        first = onboarding[0].item_id
        with pytest.raises(RuleViolation, match="not done yet: account, equipment, licences"):
            service.complete(session, it.clerk, first)
        for step in ("account", "equipment", "licences"):
            service.tick(session, it.clerk, first, step)
        assert service.complete(session, it.clerk, first).status == "done"


def test_what_may_be_done_to_an_asset_follows_its_status(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        view = service.get_asset(session, it.clerk, tag)
        assert service.asset_actions(view, it.clerk) == {"check_out", "in_repair", "retired"}
        assert service.asset_actions(view, it.auditor) == set()
        out = service.check_out(session, it.clerk, tag, it.ali)
        assert service.asset_actions(out, it.clerk) == {"check_in"}
        service.check_in(session, it.clerk, tag)
        repair = service.set_status(session, it.clerk, tag, "in_repair")
        assert service.asset_actions(repair, it.clerk) == {"in_stock", "retired"}
        retired = service.set_status(session, it.clerk, tag, "retired")
        assert service.asset_actions(retired, it.clerk) == {"in_stock"}


def test_the_renewal_reminder_job_reports_progress_and_records_its_summary(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from bo_console.core import jobs
    from bo_console.core.clock import today
    from bo_console.it import licences

    monkeypatch.setattr(licences, "PROGRESS_STEP", 1)
    for n in range(3):
        licence(it, f"Tool {n}", renewal_date=today() + timedelta(days=5 + n))
    heard: list[tuple[int, int]] = []
    notice = service.run_renewal_notices(
        it.store, it.clerk, within_days=30, progress=lambda d, t: heard.append((d, t))
    )
    assert heard == [(1, 3), (2, 3), (3, 3)]
    assert notice.summary == "3 to renew, 3 new inbox items"
    with it.store.read() as session:
        runs = jobs.list_runs(session, it.admin, name="it.licences.expiring")
    assert [(r.outcome, r.summary) for r in runs] == [("ok", notice.summary)]
