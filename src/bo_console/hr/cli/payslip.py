"""``bo hr payslip``: payslip documents (bilingual PDF) of a pay run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import open_store, progress_bar, say

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Worker processes drawing a large run (default: one per CPU); fewer leaves "
        "cores for others on a shared machine.",
    ),
]


def payslip_command(
    ctx: typer.Context,
    run: Annotated[int, typer.Option("--run", help="The pay run's id.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="A .pdf file (every payslip, a page each) or a directory (a file each).",
        ),
    ],
    employee: Annotated[
        str | None, typer.Option("--employee", help="Only this employee's payslip.")
    ] = None,
    jobs: JobsOption = None,
) -> None:
    """Print a run's payslips as bilingual PDFs (needs hr.confidential; audited)."""
    write_pdfs(ctx, run, output, employee=employee, jobs=jobs)


def write_pdfs(
    ctx: typer.Context,
    run: int,
    output: Path,
    *,
    employee: str | None = None,
    jobs: int | None = None,
) -> None:
    """Write the payslip PDFs with a progress bar and say where they went (shared by
    ``bo hr payslip`` and ``bo hr payroll payslips RUN --pdf DIR``)."""
    from bo_console.hr.service import payroll

    store, actor = open_store(ctx)
    with progress_bar(f"payslips of run {run}") as progress:
        files = payroll.write_payslips(
            store, actor, run, output, employee=employee, progress=progress, jobs=jobs
        )
    where = str(files[0]) if len(files) == 1 else f"{len(files)} files in {output}"
    say(f"wrote {where}")
