"""Payslip documents: earnings by component, deductions, net and the year to date, Arabic
shaped, one file per employee or one file for the run, printed only with ``hr.confidential``
and audited."""

from __future__ import annotations

import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlmodel import select

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied
from bo_console.core.models import AuditEvent
from bo_console.hr.service import payroll, people
from bo_console.hr.service.common import parse_period
from tests.unit.hr.factories import Staff, add_employee

OCT = parse_period("2026-10")
NOV = parse_period("2026-11")


def _text(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def _two_months(store: Store, staff: Staff) -> tuple[str, str, int]:
    """Two employees paid in October and November; returns their numbers and November's run."""
    worker = add_employee(
        store, staff.admin, "Sami Worker", name_ar="سامي العامل", salary=1000000,
        allowances=250000, n=1,
    )  # fmt: skip
    other = add_employee(store, staff.admin, "Other Person", n=2, national_id="2000000002")
    with store.write() as session:
        people.set_salary(session, staff.manager, worker, {"TRANSPORT": 60000}, date(2024, 1, 1))
        payroll.add_input(
            session, staff.payroll, NOV, employee=worker, kind="deduction", amount=20000,
            note="advance", advance=True,
        )  # fmt: skip
        for period in (OCT, NOV):
            run = payroll.run_payroll(session, staff.payroll, period).run
        return worker, other, run.id or 0


def test_a_payslip_shows_components_deductions_net_and_year_to_date(
    store: Store, staff: Staff
) -> None:
    worker, _, run_id = _two_months(store, staff)
    with store.write() as session:
        sheets = {s.employee: s for s in payroll.payslip_sheets(session, staff.payroll, run_id)}
        (slip,) = [
            r for r in payroll.payslips(session, staff.payroll, run_id) if r["employee"] == worker
        ]
    sheet = sheets[worker]
    earnings = {line.english: line.amount for line in sheet.earnings}
    assert earnings == {
        "Basic salary": Decimal("10000.00"),
        "Housing allowance": Decimal("2500.00"),
        "Transport allowance": Decimal("600.00"),
    }
    deductions = {line.english: line.amount for line in sheet.deductions}
    # Saudi: 9% + 0.75% of basic plus housing (12,500.00)
    assert deductions == {
        "Social insurance (GOSI)": Decimal("1218.75"),
        "Salary advance recovery": Decimal("200.00"),
    }
    assert sheet.net == slip["net"] == Decimal("13100.00") - Decimal("1418.75")
    assert sheet.total_earnings - sheet.total_deductions == sheet.net
    # October and November
    assert sheet.ytd_net == sheet.net + Decimal("13100.00") - Decimal("1218.75")
    assert sheet.ytd_employee_si == Decimal("2437.50")
    assert sheet.iban.startswith("SA") and "*" in sheet.iban


def test_payslip_pdfs_one_per_employee_or_one_file(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    worker, other, run_id = _two_months(store, staff)
    folder = tmp_path / "slips"
    files = payroll.write_payslips(store, staff.payroll, run_id, folder)
    assert sorted(p.name for p in files) == [
        f"payslip-{worker}-2026-11-run{run_id}.pdf",
        f"payslip-{other}-2026-11-run{run_id}.pdf",
    ]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    (page,) = _text(files[0].read_bytes() if worker in files[0].name else files[1].read_bytes())
    for shown in ("Payslip", worker, "Sami Worker", "Transport allowance", "11,681.25", "2026-11"):
        assert shown in page
    seen: list[tuple[int, int]] = []
    combined = payroll.write_payslips(
        store,
        staff.manager,
        run_id,
        tmp_path / "all.pdf",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert len(_text(combined[0].read_bytes())) == 2 and seen[-1] == (2, 2)
    one = payroll.write_payslips(store, staff.manager, run_id, tmp_path / "one.pdf", employee=other)
    (page,) = _text(one[0].read_bytes())
    assert other in page and worker not in page


def test_only_confidential_readers_print_payslips_and_each_print_is_audited(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    worker, _, run_id = _two_months(store, staff)
    for actor in (staff.clerk, staff.auditor, staff.finance):
        with pytest.raises(PermissionDenied, match="hr.confidential"):
            payroll.write_payslips(store, actor, run_id, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(NotFound, match="E99999 has no payslip"):
        payroll.write_payslips(store, staff.payroll, run_id, tmp_path / "x.pdf", employee="E99999")
    payroll.write_payslips(store, staff.payroll, run_id, tmp_path / "x.pdf", employee=worker)
    with store.read() as session:
        printed = session.exec(
            select(AuditEvent).where(AuditEvent.user_login == "fahad", AuditEvent.action == "print")
        ).all()
    assert len(printed) == 1 and printed[0].entity_id == worker and worker in printed[0].changes
    assert "13100" not in printed[0].changes and "11681" not in printed[0].changes


def test_payslips_in_several_chunks_split_and_join_in_order(
    store: Store, staff: Staff, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.hr.service.payroll import payslip_pdf

    worker, other, run_id = _two_months(store, staff)
    # A chunk a payslip: two chunks, drawn in worker processes where there are two cores.
    monkeypatch.setattr(payslip_pdf, "CHUNK", 1)
    seen: list[tuple[int, int]] = []
    files = payroll.write_payslips(
        store, staff.payroll, run_id, tmp_path / "slips", progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 2), (2, 2)]
    for number, path in zip(sorted((worker, other)), files, strict=True):
        assert number in path.name
        (page,) = _text(path.read_bytes())
        assert number in page and "قسيمة الراتب" in page
    (joined,) = payroll.write_payslips(store, staff.payroll, run_id, tmp_path / "all.pdf")
    pages = _text(joined.read_bytes())
    assert [sorted((worker, other))[i] in pages[i] for i in (0, 1)] == [True, True]
    assert "سامي العامل" in "".join(pages)
