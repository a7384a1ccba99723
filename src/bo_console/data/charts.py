"""Line charts of the dashboard, drawn with plotext as plain characters.

The charts use plotext's colourless theme and tell their lines apart by marker (``*`` and
``.``), so they read the same under ``NO_COLOR``, on a ``linux`` console and in a file; the
same lines go to ``bo data dashboard`` and the Dashboard tab. plotext is imported only when a
chart is drawn.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.data.dashboard import Dashboard

WIDTH = 78
HEIGHT = 12
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _scale(values: list[int], exponent: int) -> tuple[list[float], str]:
    """Values in the currency, divided to thousands or millions when large: (values, unit)."""
    largest = max((abs(v) for v in values), default=0) / 10**exponent
    for limit, unit in ((10**9, "G"), (10**6, "M"), (10**3, "K")):
        if largest >= limit:
            return [float(Decimal(v).scaleb(-exponent) / limit) for v in values], unit
    return [float(Decimal(v).scaleb(-exponent)) for v in values], ""


def _draw(
    title: str,
    labels: list[str],
    series: list[tuple[str, str, list[tuple[int, float]]]],
    width: int,
    height: int,
) -> list[str]:
    import plotext as plt

    plt.clear_figure()
    plt.theme("clear")
    plt.plot_size(width, height)
    for label, marker, points in series:
        plt.plot([x for x, _ in points], [y for _, y in points], marker=marker, label=label)
    plt.xticks(list(range(1, len(labels) + 1)), labels)
    plt.title(title)
    drawn = _ANSI.sub("", plt.build())
    plt.clear_figure()
    return [line.rstrip() for line in drawn.splitlines()]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _labels(board: Dashboard) -> list[str]:
    """Three letters a month: twelve five-character labels do not all fit 78 columns."""
    return [_MONTHS[int(m.month[5:]) - 1] for m in board.months]


def _span(board: Dashboard) -> str:
    return f"{board.months[0].month} to {board.months[-1].month}"


def month_chart(board: Dashboard, width: int = WIDTH, height: int = HEIGHT) -> list[str]:
    """Revenue (``*``) and expenses (``.``) by month as lines; empty without months."""
    if len(board.months) < 2:
        return []
    scaled, unit = _scale(
        [m.revenue for m in board.months] + [m.expenses for m in board.months], board.exponent
    )
    n = len(board.months)
    revenue = list(enumerate(scaled[:n], start=1))
    expenses = list(enumerate(scaled[n:], start=1))
    labels = _labels(board)
    title = (
        f"Revenue * and expenses . by month, {_span(board)} "
        f"({unit}{' ' if unit else ''}{board.currency})"
    )
    return _draw(
        title, labels, [("revenue", "*", revenue), ("expenses", ".", expenses)], width, height
    )


def cash_chart(board: Dashboard, width: int = WIDTH, height: int = HEIGHT - 2) -> list[str]:
    """Cash and banks at each closed month's end (from its snapshot) and today; empty with
    fewer than two points."""
    points = [(i, m.cash) for i, m in enumerate(board.months, start=1) if m.cash is not None]
    if board.cash is not None and board.months:
        points.append((len(board.months), board.cash))
    if len(points) < 2:
        return []
    scaled, unit = _scale([v for _, v in points], board.exponent)
    labels = _labels(board)
    labels[-1] = "now"
    title = (
        f"Cash and banks at month end and now, {_span(board)} "
        f"({unit}{' ' if unit else ''}{board.currency})"
    )
    series = [("cash", "*", [(x, y) for (x, _), y in zip(points, scaled, strict=True)])]
    return _draw(title, labels, series, width, height)
