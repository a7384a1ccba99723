"""Imports of assets and licences from CSV or XLSX: the whole file is checked first (against
the register and against itself), then written all at once, or nothing is written and every
problem is reported by row and column.

Templates: ``data/it-assets-template.csv`` and ``data/it-licences-template.csv``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import ValidationFailed
from bo_console.it.models import AssetCreate, LicenceCreate

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel import Session

    from bo_console.core.io import ImportReport
    from bo_console.core.security import Actor

ASSET_COLUMNS = (
    "tag",
    "serial",
    "model",
    "category",
    "location",
    "purchase_date",
    "cost",
    "warranty_end",
    "supplier",
)
ASSET_REQUIRED = {"tag", "serial", "model", "category"}
LICENCE_COLUMNS = ("product", "vendor", "seats", "renewal_date", "cost", "key")
LICENCE_REQUIRED = {"product", "seats"}


def _date(value: str) -> date | None:
    from bo_console.core.dates import parse_date

    return parse_date(value) if value.strip() else None


def _amount(value: str, exponent: int) -> int:
    from bo_console.core.money import parse_amount

    return parse_amount(value, exponent) if value.strip() else 0


def _parse(
    model: type[Any],
    number: int,
    record: dict[str, str],
    report: ImportReport,
    converters: dict[str, Any],
) -> Any:
    from pydantic import ValidationError

    values: dict[str, Any] = {}
    bad = False
    for name, text in record.items():
        text = (text or "").strip()
        if name in converters:
            try:
                values[name] = converters[name](text)
            except (ValueError, ValidationFailed) as exc:
                report.add(number, name, getattr(exc, "message", str(exc)))
                bad = True
        else:
            values[name] = text
    if bad:
        return None
    try:
        return model.model_validate({k: v for k, v in values.items() if v not in ("", None)})
    except ValidationError as exc:
        for err in exc.errors():
            column = ".".join(str(p) for p in err["loc"]) or "row"
            report.add(number, column, str(err["msg"]).removeprefix("Value error, "))
        return None


def _read(
    path: Path, columns: tuple[str, ...], required: set[str], parse: Any, progress: Any = None
) -> list[Any]:
    from bo_console.core import io

    return io.read_validated(
        path, [io.Column(c, required=c in required) for c in columns], parse, progress=progress
    )


def import_assets(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Register every asset of the file, or none (it.write); returns how many.
    ``progress(rows read, rows in the file)`` follows the reading.

    Raises:
        ImportRejected: any row is wrong (bad value, tag or serial taken or repeated in the
            file, unknown category); ``report`` lists them all.
    """
    from bo_console.core import io
    from bo_console.core.money import base_currency
    from bo_console.it.assets import check_new_asset, insert_asset

    actor.require("it.write", "import assets")
    exponent = base_currency(session).exponent
    converters = {
        "purchase_date": _date,
        "warranty_end": _date,
        "cost": lambda v: _amount(v, exponent),
    }
    rows: list[tuple[int, AssetCreate]] = []

    def parse(number: int, record: dict[str, str], report: ImportReport) -> AssetCreate | None:
        data = _parse(AssetCreate, number, record, report, converters)
        if data is not None:
            rows.append((number, data))
        return data  # type: ignore[no-any-return]

    report = io.ImportReport()
    try:
        _read(path, ASSET_COLUMNS, ASSET_REQUIRED, parse, progress)
    except io.ImportRejected as exc:
        report = exc.report
    seen: dict[str, dict[str, int]] = {"tag": {}, "serial": {}}
    for number, data in rows:
        for error in check_new_asset(session, data, number):
            report.errors.append(error)
        for name in ("tag", "serial"):
            value = getattr(data, name)
            if value in seen[name]:
                report.add(number, name, f"{value} repeats row {seen[name][value]}")
            seen[name].setdefault(value, number)
    if report.errors:
        report.errors.sort(key=lambda e: (e.row or 0, e.field))
        report.rows = max(report.rows, len(rows))
        raise io.ImportRejected(path, report)
    if not dry_run:
        for _, data in rows:
            insert_asset(session, actor, data)
    return len(rows)


def import_licences(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Record every licence of the file, or none (it.write); returns how many.
    ``progress(rows read, rows in the file)`` follows the reading."""
    from sqlmodel import select

    from bo_console.core import io
    from bo_console.core.money import base_currency
    from bo_console.it.licences import add_licence
    from bo_console.it.models import Licence

    actor.require("it.write", "import licences")
    exponent = base_currency(session).exponent
    converters = {
        "renewal_date": _date,
        "cost": lambda v: _amount(v, exponent),
        "seats": lambda v: int(v) if v.isdigit() else _bad_seats(v),
    }
    rows: list[tuple[int, LicenceCreate]] = []

    def parse(number: int, record: dict[str, str], report: ImportReport) -> LicenceCreate | None:
        data = _parse(LicenceCreate, number, record, report, converters)
        if data is not None:
            rows.append((number, data))
        return data  # type: ignore[no-any-return]

    report = io.ImportReport()
    try:
        _read(path, LICENCE_COLUMNS, LICENCE_REQUIRED, parse, progress)
    except io.ImportRejected as exc:
        report = exc.report
    seen: dict[tuple[str, str], int] = {}
    for number, data in rows:
        key = (data.product, data.vendor)
        if key in seen:
            report.add(number, "product", f"{data.product} repeats row {seen[key]}")
        seen.setdefault(key, number)
        taken = session.exec(
            select(Licence.id).where(Licence.product == data.product, Licence.vendor == data.vendor)
        ).first()
        if taken is not None:
            report.add(number, "product", f"{data.product} is already recorded as L{taken}")
    if report.errors:
        report.errors.sort(key=lambda e: (e.row or 0, e.field))
        report.rows = max(report.rows, len(rows))
        raise io.ImportRejected(path, report)
    if not dry_run:
        for _, data in rows:
            add_licence(session, actor, data)
    return len(rows)


def _bad_seats(value: str) -> int:
    raise ValueError(f"seats is a whole number, not {value!r}")
