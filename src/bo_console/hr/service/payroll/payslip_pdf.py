"""Payslip documents: one bilingual (English and Arabic) page per employee and pay run.

A payslip shows the earnings by salary component (the components in force on the month's last
day, prorated as the run paid them), the other earnings of the month, the deductions (unpaid
leave, the employee's social insurance share, benefit contributions, advance recoveries and
other deductions), net pay and the year to date. Every figure comes from the stored payslip,
so a document printed again later shows the same amounts. Printing needs ``hr.confidential``
and is audited as a view of each employee's pay (purpose ``print``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.money import from_minor
from bo_console.core.security import Actor
from bo_console.hr.service.common import currency_of, format_days
from bo_console.hr.service.payroll.runs import get_run
from bo_console.hr.service.payslip_layout import (
    ChunkJob,
    PayslipSheet,
    SlipLine,
    draw,
    draw_chunk,
    split_pages,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.hr.models import Payslip

__all__ = ["PayslipSheet", "SlipLine", "payslip_sheets", "render", "split_pages", "write_payslips"]

Progress = Callable[[int, int], None]


def _masked(iban: str | None) -> str:
    """An IBAN as a payslip shows it: country code and the last four characters."""
    if not iban:
        return ""
    return f"{iban[:2]}{'*' * (len(iban) - 6)}{iban[-4:]}"


def _components(
    session: Session, employee_ids: Iterable[int], on: date
) -> dict[int, list[tuple[str, str, str, int]]]:
    """Per employee: (code, name, Arabic name, monthly amount) of the components in force."""
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import PayComponent, SalaryLine

    ids = list(employee_ids)
    latest: dict[tuple[int, int], int] = {}
    for employee_id, component_id, amount in session.execute(
        select(col(SalaryLine.employee_id), col(SalaryLine.component_id), col(SalaryLine.amount))
        .where(col(SalaryLine.effective_from) <= on, col(SalaryLine.employee_id).in_(ids))
        .order_by(col(SalaryLine.effective_from), col(SalaryLine.id))
    ).all():
        latest[(int(employee_id), int(component_id))] = int(amount)
    kinds = {
        int(r[0]): (str(r[1]), str(r[2]), str(r[3]))
        for r in session.execute(
            select(
                col(PayComponent.id),
                col(PayComponent.code),
                col(PayComponent.name),
                col(PayComponent.name_ar),
            )
        ).all()
    }
    out: dict[int, list[tuple[str, str, str, int]]] = {}
    for (employee_id, component_id), amount in sorted(latest.items()):
        if amount:
            out.setdefault(employee_id, []).append((*kinds[component_id], amount))
    return out


def _other_components(
    slip: Payslip, lines: list[tuple[str, str, str, int]]
) -> list[tuple[str, str, int]]:
    """The allowances other than housing, split over their components in proportion to the
    monthly amounts (the last one takes the rounding), so they add up to what was paid."""
    others = [(n, a, amount) for code, n, a, amount in lines if code not in ("BASIC", "HOUSING")]
    paid = slip.allowances - slip.housing
    if not paid:
        return []
    monthly = sum(amount for _, _, amount in others)
    if not monthly:
        return [("Other allowances", "بدلات أخرى", paid)]
    split = []
    left = paid
    for i, (name, name_ar, amount) in enumerate(others):
        part = left if i == len(others) - 1 else paid * amount // monthly
        left -= part
        split.append((name, name_ar, part))
    return split


def _sheet(
    slip: Payslip,
    employee: tuple[str, str, str],
    lines: list[tuple[str, str, str, int]],
    ytd: tuple[int, int, int],
    currency: str,
    exponent: int,
) -> PayslipSheet:
    def money(minor: int) -> Decimal:
        return from_minor(minor, exponent)

    number, name, name_ar = employee
    by_code = {code: (n, a) for code, n, a, _ in lines}
    basic = by_code.get("BASIC", ("Basic salary", "الراتب الأساسي"))
    housing = by_code.get("HOUSING", ("Housing allowance", "بدل السكن"))
    earnings: list[tuple[str, str, int]] = [
        (*basic, slip.base),
        (*housing, slip.housing),
        *_other_components(slip, lines),
        ("Overtime", "العمل الإضافي", slip.overtime),
        ("Other earnings", "مستحقات أخرى", slip.other_earnings),
        ("Benefits paid in cash", "مزايا نقدية", slip.benefit_cash),
        ("Leave encashment", "بدل الإجازات", slip.leave_encashment),
        ("End-of-service award", "مكافأة نهاية الخدمة", slip.eos_award),
        ("Compensation (art. 77)", "التعويض (المادة 77)", slip.compensation),
        (
            "Final settlement",
            "المخالصة النهائية",
            slip.settlement - slip.leave_encashment - slip.eos_award - slip.compensation,
        ),
    ]
    deductions: list[tuple[str, str, int]] = [
        ("Unpaid leave and sick leave", "إجازة غير مدفوعة ومرضية", slip.unpaid_deduction),
        ("Social insurance (GOSI)", "التأمينات الاجتماعية", slip.employee_si),
        ("Benefit contributions", "اشتراكات المزايا", slip.benefit_employee),
        ("Salary advance recovery", "استرداد سلفة", slip.advance_recovery),
        ("Other deductions", "استقطاعات أخرى", slip.other_deductions - slip.advance_recovery),
    ]
    shown_earnings = [SlipLine(e, a, money(v)) for e, a, v in earnings if v]
    shown_deductions = [SlipLine(e, a, money(v)) for e, a, v in deductions if v]
    total_earnings = sum(v for *_, v in earnings)
    total_deductions = sum(v for *_, v in deductions)
    # The stored equations (gross and net) make these agree; keep the document honest anyway.
    assert total_earnings - total_deductions == slip.net, slip.employee_id
    return PayslipSheet(
        run_id=slip.run_id,
        period=slip.period,
        employee=number,
        name=name,
        name_ar=name_ar,
        org_unit=slip.org_unit,
        currency=currency,
        days_paid=slip.days_paid,
        days_in_period=slip.days_in_period,
        unpaid_days=format_days(slip.unpaid_days),
        iban=_masked(slip.iban),
        earnings=shown_earnings,
        deductions=shown_deductions,
        total_earnings=money(total_earnings),
        total_deductions=money(total_deductions),
        net=money(slip.net),
        ytd_gross=money(ytd[0]),
        ytd_employee_si=money(ytd[1]),
        ytd_net=money(ytd[2]),
        note=slip.note,
    )


def payslip_sheets(
    session: Session, actor: Actor, run_id: int, *, employee: str | None = None
) -> list[PayslipSheet]:
    """The printable payslips of a run (or of one employee in it), audited as printed.

    Raises:
        PermissionDenied: without ``hr.confidential``.
        NotFound: no such run, or the employee has no payslip in it.
    """
    from sqlalchemy import func, select
    from sqlmodel import col

    from bo_console.hr.models import Employee, PayRun, Payslip
    from bo_console.hr.service.common import parse_period

    actor.require("hr.confidential", "print payslips")
    run = get_run(session, run_id)
    currency, exponent = currency_of(session)
    stmt = (
        select(Payslip, col(Employee.number), col(Employee.name), col(Employee.name_ar))
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .where(col(Payslip.run_id) == run.id)
        .order_by(col(Employee.number))
    )
    if employee:
        stmt = stmt.where(col(Employee.number) == employee.strip().upper())
    rows = [(r[0], (str(r[1]), str(r[2]), str(r[3] or ""))) for r in session.execute(stmt).all()]
    if employee and not rows:
        raise NotFound(f"{employee.upper()} has no payslip in pay run {run_id}")
    period = parse_period(run.period)
    ids = [slip.employee_id for slip, _ in rows]
    ytd = {
        int(r[0]): (int(r[1] or 0), int(r[2] or 0), int(r[3] or 0))
        for r in session.execute(
            select(
                col(Payslip.employee_id),
                func.sum(col(Payslip.gross)),
                func.sum(col(Payslip.employee_si)),
                func.sum(col(Payslip.net)),
            )
            .join(PayRun, col(PayRun.id) == col(Payslip.run_id))
            .where(
                col(PayRun.status) != "discarded",
                col(Payslip.employee_id).in_(ids),
                col(Payslip.period) >= f"{period.year:04d}-01",
                col(Payslip.period) <= run.period,
            )
            .group_by(col(Payslip.employee_id))
        ).all()
    }
    components = _components(session, ids, period.end)
    sheets = [
        _sheet(
            slip,
            who,
            components.get(slip.employee_id, []),
            ytd.get(slip.employee_id, (0, 0, 0)),
            currency,
            exponent,
        )
        for slip, who in rows
    ]
    audit.record_view(
        session,
        actor,
        entity="employee",
        entity_ids=[s.employee for s in sheets],
        fields=("payslip",),
        purpose="print",
    )
    return sheets


def render(
    sheets: list[PayslipSheet], font: Path, company: str, progress: Progress | None = None
) -> bytes:
    """The payslips as one PDF, a page each; ``progress`` hears (pages drawn, pages)."""
    return draw(sheets, font, company, progress)


CHUNK = 250
"""Payslips drawn into one document at a time, a chunk per worker process: the labels are
shaped and the font read and subset once a chunk, not once a file."""


def cores() -> int:
    """The CPUs this process may run on: the default number of worker processes."""
    import os

    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def render_chunks(
    sheets: list[PayslipSheet],
    font: Path,
    company: str,
    progress: Progress | None = None,
    *,
    split: bool = False,
    jobs: int | None = None,
) -> Iterator[tuple[list[PayslipSheet], list[bytes]]]:
    """The payslips ``CHUNK`` at a time, in order: each chunk as one PDF of a page each, or
    (``split``) as a PDF per payslip. Drawn in up to ``jobs`` worker processes (default: one
    per CPU) when there is more than one chunk."""
    tasks = [
        ChunkJob(sheets[i : i + CHUNK], str(font), company, split)
        for i in range(0, len(sheets), CHUNK)
    ]
    done = 0
    workers = max(1, min(jobs or cores(), len(tasks)))
    if workers == 1:
        for task in tasks:

            def step(drawn: int, _: int, before: int = done) -> None:
                if progress is not None:
                    progress(before + drawn, len(sheets))

            data = draw(task.sheets, font, company, step)
            done += len(task.sheets)
            yield task.sheets, split_pages(data) if split else [data]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent holds a database connection and the progress bar's thread.
    # The workers import only payslip_layout (no database code).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for task, drawn in zip(tasks, pool.map(draw_chunk, tasks), strict=True):
            done += len(task.sheets)
            if progress is not None:
                progress(done, len(sheets))
            yield task.sheets, drawn


def join_pdfs(parts: list[bytes]) -> bytes:
    """PDFs one after the other as one PDF."""
    import io

    import pypdfium2 as pdfium

    joined = pdfium.PdfDocument.new()
    try:
        for part in parts:
            source = pdfium.PdfDocument(part)
            try:
                joined.import_pages(source)
            finally:
                source.close()
        buffer = io.BytesIO()
        joined.save(buffer)
        return buffer.getvalue()
    finally:
        joined.close()


def file_name(sheet: PayslipSheet) -> str:
    """The file one payslip is written to inside a directory."""
    return f"payslip-{sheet.employee}-{sheet.period}-run{sheet.run_id}.pdf"


def write_payslips(
    store: Store,
    actor: Actor,
    run_id: int,
    output: Path,
    *,
    employee: str | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Write a run's payslips: into ``output`` as one PDF when it ends in ``.pdf``, else one
    file per employee in the directory ``output`` (created when missing). Each file is
    readable by its owner only. A large run is drawn in up to ``jobs`` worker processes
    (default: one per CPU). Returns the files written.

    Raises:
        PermissionDenied: without ``hr.confidential``.
        NotFound: no such run or payslip.
        ValidationFailed: the run has no payslips, or the output cannot be written.
        FontMissing: the PDF font is missing.
    """
    from bo_console.core import settings
    from bo_console.core.io import private_output
    from bo_console.core.pdf import FONT_SETTING, font_path

    if jobs is not None and jobs < 1:
        raise ValidationFailed(f"jobs: at least 1 worker process, not {jobs}")
    with store.write() as session:
        sheets = payslip_sheets(session, actor, run_id, employee=employee)
        font = font_path(settings.get(session, FONT_SETTING))
        company = settings.get(session, "company_name")
    if not sheets:
        raise ValidationFailed(f"pay run {run_id} has no payslips")

    def save(path: Path, data: bytes) -> Path:
        try:
            with private_output(path) as partial:
                partial.write_bytes(data)
        except OSError as exc:
            raise ValidationFailed(f"cannot write {path}: {exc.strerror}") from None
        return path

    if output.suffix.lower() == ".pdf":
        if len(sheets) <= CHUNK:
            return [save(output, render(sheets, font, company, progress))]
        parts = [
            data
            for _, chunk in render_chunks(sheets, font, company, progress, jobs=jobs)
            for data in chunk
        ]
        return [save(output, join_pdfs(parts))]
    try:
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationFailed(f"cannot write {output}: {exc.strerror}") from None
    written = []
    for chunk, pages in render_chunks(sheets, font, company, progress, split=True, jobs=jobs):
        for sheet, page in zip(chunk, pages, strict=True):
            written.append(save(output / file_name(sheet), page))
    return written
