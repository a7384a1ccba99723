"""Payslip documents: earnings by component, deductions, net and the year to date, Arabic
shaped, one file per employee or one file for the run, printed only with ``hr.confidential``
and audited."""

from __future__ import annotations

import stat
from collections.abc import Callable
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


def _sheet(number: str, amount: str, *, transport: bool = False) -> payroll.PayslipSheet:
    from bo_console.hr.service.payslip_layout import SlipLine

    earnings = [SlipLine("Basic salary", "الراتب الأساسي", Decimal(amount))]
    if transport:
        earnings.append(SlipLine("Transport allowance", "بدل النقل", Decimal("600.00")))
    return payroll.PayslipSheet(
        run_id=7, period="2026-11", employee=number, name=f"Person {number}",
        name_ar="سامي العامل", org_unit="FIN", currency="SAR", days_paid=30,
        days_in_period=30, unpaid_days="0", iban="SA**1234", earnings=earnings,
        total_earnings=sum((e.amount for e in earnings), Decimal(0)),
        net=sum((e.amount for e in earnings), Decimal(0)),
    )  # fmt: skip


def test_labels_are_the_template_and_figures_the_values_of_a_page() -> None:
    from bo_console.hr.service.payslip_layout import layout

    first = layout(_sheet("E00001", "10000.00"), "Test Co")
    second = layout(_sheet("E00002", "7654.32"), "Test Co")
    other = layout(_sheet("E00003", "10000.00", transport=True), "Test Co")
    # Same lines, other figures and names: one template, drawn once for both.
    assert first.template == second.template != other.template
    template = {box.text for box in first.template}
    assert {"Payslip", "قسيمة الراتب", "Basic salary", "الراتب الأساسي", "Test Co"} <= template
    values = {box.text for box in second.values}
    assert {"E00002 Person E00002", "سامي العامل", "7,654.32"} <= values
    assert not values & template


def test_a_long_note_stays_on_its_payslip_page() -> None:
    from bo_console.core.pdf import font_path
    from bo_console.hr.service.payslip_layout import draw

    long = _sheet("E00001", "10000.00")
    long.note = "Settlement details. " * 400
    pages = _text(draw([long, _sheet("E00002", "7654.32")], font_path(), "Test Co"))
    assert len(pages) == 2 and "E00002" in pages[1] and "E00002" not in pages[0]


def _open_forms(data: bytes) -> list[list[tuple[int, int]]]:
    """Per page: the form XObjects it draws (object numbers)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            [x.objgen for x in page.resources.get("/XObject", {}).values()] for page in pdf.pages
        ]


def _embedded_fonts(data: bytes) -> int:
    """How many font programs the PDF itself holds (after a check of its syntax)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        return sum(
            1 for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj
        )


def test_each_file_is_a_self_contained_pdf_with_its_own_figures_and_arabic(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    third = add_employee(store, staff.admin, "Third Person", n=3, national_id="2000000003")
    worker, other, run_id = _two_months(store, staff)
    with store.write() as session:
        nets = {
            r["employee"]: f"{r['net']:,.2f}"
            for r in payroll.payslips(session, staff.payroll, run_id)
        }
    files = {p.name.split("-")[1]: p for p in payroll.write_payslips(
        store, staff.payroll, run_id, tmp_path / "slips"
    )}  # fmt: skip
    assert sorted(files) == sorted((worker, other, third))
    for number, path in files.items():
        data = path.read_bytes()
        (page,) = _text(data)
        # The template's labels and the page's own figures, as text of one page.
        assert "قسيمة الراتب" in page and "Payslip" in page and "Net pay" in page
        assert number in page and f"{nets[number]} SAR" in page
        assert not [n for n in files if n != number and n in page]
        (page_forms,) = _open_forms(data)
        assert len(page_forms) == 1  # the template, inside the file with its fonts
        assert _embedded_fonts(data) >= 2
    worker_page, other_page = (
        _text(files[worker].read_bytes())[0],
        _text(files[other].read_bytes())[0],
    )
    # The Arabic name extracted in reading order (logical), not reversed letter by letter.
    assert "سامي العامل" in worker_page and "لماعلا يماس" not in worker_page
    assert "Transport allowance" in worker_page and "Transport allowance" not in other_page
    # One file for the run: the two payslips with the same lines share one template.
    (joined,) = payroll.write_payslips(store, staff.payroll, run_id, tmp_path / "all.pdf")
    forms = _open_forms(joined.read_bytes())
    order = sorted((worker, other, third))
    by_number = dict(zip(order, forms, strict=True))
    assert by_number[other] == by_number[third] != by_number[worker]


def test_fewer_worker_processes_on_request(
    store: Store, staff: Staff, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.core.errors import ValidationFailed
    from bo_console.hr.service.payroll import payslip_pdf

    worker, other, run_id = _two_months(store, staff)
    with pytest.raises(ValidationFailed, match="at least 1 worker"):
        payroll.write_payslips(store, staff.payroll, run_id, tmp_path / "x", jobs=0)
    with store.read() as session:
        printed = session.exec(select(AuditEvent).where(AuditEvent.action == "print")).all()
    assert printed == [] and not (tmp_path / "x").exists()
    from bo_console.hr.service import payslip_layout

    drawn_here: list[int] = []

    def counted(
        sheets: list[payroll.PayslipSheet],
        font: Path,
        company: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> bytes:
        drawn_here.append(len(sheets))
        return payslip_layout.draw(sheets, font, company, progress)

    monkeypatch.setattr(payslip_pdf, "CHUNK", 1)
    monkeypatch.setattr(payslip_pdf, "draw", counted)
    seen: list[tuple[int, int]] = []
    files = payroll.write_payslips(
        store, staff.payroll, run_id, tmp_path / "slips", jobs=1,
        progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    # One process: both chunks drawn here, one after the other, each reporting progress.
    assert drawn_here == [1, 1] and seen == [(1, 2), (2, 2)]
    assert sorted(p.name.split("-")[1] for p in files) == sorted((worker, other))


def test_the_drawing_workers_import_no_database_code() -> None:
    import subprocess
    import sys

    # Each worker process imports the module that draws; the database stack would cost
    # every worker about a second of start-up.
    code = (
        "import sys, bo_console.hr.service.payslip_layout;"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'bo_console.hr.service.payroll')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
