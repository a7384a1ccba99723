"""The dashboard as plain text (for ``bo data dashboard`` and the Dashboard tab) and as JSON.

Bars are drawn here, lines by :mod:`bo_console.data.charts` (plotext): all with characters,
not colour, so they read the same under ``NO_COLOR`` and on a ``linux`` console; every line
fits 80 columns.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from bo_console.core.money import from_minor
from bo_console.data.dashboard import Dashboard
from bo_console.data.month import BUCKETS

BAR = 20
"""Cells of the longest bar."""
FULL, PARTS = "█", " ▏▎▍▌▋▊▉"
EXPENSE = "░"


def compact(minor: int, exponent: int) -> str:
    """An amount in a few characters: 8.12M, 950.3K, 12.00."""
    value = from_minor(minor, exponent)
    size = abs(value)
    for limit, suffix in ((Decimal(10**9), "G"), (Decimal(10**6), "M"), (Decimal(10**3), "K")):
        if size >= limit:
            return f"{value / limit:.2f}{suffix}"
    return f"{value:.2f}"


def money(minor: int, exponent: int) -> str:
    return f"{from_minor(minor, exponent):,.{exponent}f}"


def bar(value: int, largest: int, width: int = BAR, fill: str = FULL) -> str:
    """A horizontal bar ``value / largest`` of ``width`` cells (eighths with block characters;
    whole cells only with another fill)."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = round(value * width * 8 / largest)
    if fill != FULL:
        return fill * max(1, round(eighths / 8))
    whole, part = divmod(eighths, 8)
    return FULL * whole + (PARTS[part] if part else "")


def month_lines(board: Dashboard) -> list[str]:
    """One line a month: revenue (█) and expenses (░) as bars; ``c`` marks a closed month."""
    if not board.months:
        return []
    largest = max(max(m.revenue, m.expenses) for m in board.months)
    exp = board.exponent
    lines = [f"Revenue █ and expenses ░ by month ({board.currency}; c = closed month)"]
    for m in board.months:
        lines.append(
            f"{m.month} {'c' if m.closed else ' '} "
            f"{compact(m.revenue, exp):>8} {bar(m.revenue, largest):<{BAR}} "
            f"{compact(m.expenses, exp):>8} {bar(m.expenses, largest, fill=EXPENSE)}".rstrip()
        )
    return lines


def _ages(label: str, ages: dict[str, int], exp: int) -> str:
    cells = "".join(f"{compact(ages[b], exp):>10}" for b in BUCKETS)
    return f"{label:<12}{cells}{compact(sum(ages.values()), exp):>11}"


def figure_lines(board: Dashboard) -> list[str]:
    """Everything but the monthly chart, section by section."""
    exp = board.exponent
    lines: list[str] = []
    if board.cash is not None:
        lines.append(f"Cash and banks: {money(board.cash, exp)} {board.currency}")
    if board.receivables is not None and board.payables is not None:
        lines.append(f"{'Aged':<12}" + "".join(f"{b:>10}" for b in BUCKETS) + f"{'total':>11}")
        lines.append(_ages("Receivable", board.receivables, exp))
        lines.append(_ages("Payable", board.payables, exp))
    if board.units is not None:
        if board.payroll_period:
            lines.append(
                f"Headcount {board.headcount} · payroll cost {board.payroll_period} by unit "
                "(masked: under 3 paid)"
            )
        else:
            lines.append(f"Headcount {board.headcount} · no approved pay run yet")
        for unit in board.units:
            cost = "masked" if unit.payroll_cost is None else money(unit.payroll_cost, exp)
            lines.append(f"  {unit.unit or '(none)':<10}{unit.headcount:>6}{cost:>20}")
    parts = []
    if board.open_tickets is not None:
        parts.append(f"IT: {board.open_tickets} open tickets, {board.sla_breaches} past SLA")
    if board.stock_value is not None:
        parts.append(
            f"Stock: {money(board.stock_value, exp)}, {board.below_reorder} items below reorder"
        )
    lines.extend(parts)
    findings = ", ".join(f"{d} {n}" for d, n in board.quality_findings.items()) or "none"
    lines.append(f"Data-quality findings open: {findings}")
    overdue = ", ".join(f"{d} {n}" for d, n in board.overdue_inbox.items() if n) or "none"
    lines.append(f"Inbox items overdue: {overdue}")
    return lines


def chart_lines(board: Dashboard) -> list[str]:
    """The line charts (:mod:`bo_console.data.charts`): revenue and expenses by month, then
    cash at month end, a blank line after each one drawn."""
    from bo_console.data import charts

    out: list[str] = []
    for drawn in (charts.month_chart(board), charts.cash_chart(board)):
        if drawn:
            out.extend([*drawn, ""])
    return out


def text(board: Dashboard) -> str:
    """The whole dashboard as lines of at most 80 characters."""
    head = f"Management dashboard as of {board.as_of.isoformat()}"
    body = month_lines(board)
    parts = [head, "", *body, *([""] if body else []), *chart_lines(board), *figure_lines(board)]
    return "\n".join(parts) + "\n"


def as_json(board: Dashboard) -> dict[str, Any]:
    """The figures as JSON values: amounts as decimal strings in ``currency``."""
    exp = board.exponent
    amount_keys = {"revenue", "expenses", "cash", "payroll_cost", "stock_value"}

    def convert(key: str, value: Any) -> Any:
        if isinstance(value, dict):
            if key in ("receivables", "payables"):
                return {k: str(from_minor(v, exp)) for k, v in value.items()}
            return {k: convert(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(key, v) for v in value]
        if key in amount_keys and isinstance(value, int):
            return str(from_minor(value, exp))
        return value

    raw = asdict(board)
    out = {k: convert(k, v) for k, v in raw.items()}
    out["as_of"] = board.as_of.isoformat()
    out["headcount"] = board.headcount
    return out


ROW_COLUMNS = ["figure", "value"]
"""The columns of :func:`as_rows`."""


def as_rows(board: Dashboard) -> list[dict[str, Any]]:
    """The figures as (figure, value) rows for a spreadsheet or CSV: amounts as decimals,
    a month's or a unit's figures named after it (``months 2026-11 revenue``)."""
    exp = board.exponent
    amount_keys = {"revenue", "expenses", "cash", "payroll_cost", "stock_value"}
    rows: list[dict[str, Any]] = [{"figure": "as_of", "value": board.as_of}]

    def value_of(key: str, value: Any) -> Any:
        return from_minor(value, exp) if key in amount_keys and isinstance(value, int) else value

    for key, value in asdict(board).items():
        if key in ("as_of", "exponent"):
            continue
        if isinstance(value, dict):
            money = key in ("receivables", "payables")
            for sub, item in value.items():
                shown = from_minor(item, exp) if money else item
                rows.append({"figure": f"{key} {sub}", "value": shown})
        elif isinstance(value, list):
            for entry in value:
                label = next(iter(entry.values()))
                for sub, item in list(entry.items())[1:]:
                    rows.append({"figure": f"{key} {label} {sub}", "value": value_of(sub, item)})
        else:
            rows.append({"figure": key, "value": value_of(key, value)})
    return rows
