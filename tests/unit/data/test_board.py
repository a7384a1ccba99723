"""The dashboard drawn as text: bars, compact amounts, 80 columns, JSON amounts."""

from __future__ import annotations

from datetime import date

from bo_console.data import board
from bo_console.data.dashboard import Dashboard, MonthFigures, UnitFigures


def sample() -> Dashboard:
    return Dashboard(
        as_of=date(2026, 12, 4),
        currency="SAR",
        exponent=2,
        months=[
            MonthFigures("2026-10", 812_345_678, 600_000_000, True, 750_000_000, 1),
            MonthFigures("2026-11", 406_172_839, 700_000_000, False),
        ],
        cash=802_413_261,
        receivables={"current": 100, "1-30": 200, "31-60": 0, "61-90": 0, "90+": 5},
        payables={"current": 0, "1-30": 0, "31-60": 0, "61-90": 0, "90+": 0},
        payroll_period="2026-11",
        units=[UnitFigures("EXEC", 2, None), UnitFigures("OPS", 40, 123_456)],
        open_tickets=12,
        sla_breaches=3,
        stock_value=1_000_000,
        below_reorder=4,
        quality_findings={"hr": 2},
        overdue_inbox={"finance": 1, "hr": 0},
    )


def test_bars_scale_to_the_largest_value() -> None:
    assert board.bar(100, 100) == "█" * 20
    assert board.bar(50, 100) == "█" * 10
    assert board.bar(1, 160) == "▏"
    assert board.bar(0, 100) == ""
    assert board.bar(50, 100, fill="░") == "░" * 10


def test_the_text_fits_80_columns_and_says_every_figure() -> None:
    text = board.text(sample())
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "2026-10 c    8.12M ████████████████████" in text
    assert "2026-11      4.06M ██████████" in text
    assert "Cash and banks: 8,024,132.61 SAR" in text
    assert "EXEC" in text and "masked" in text and "1,234.56" in text
    assert "IT: 12 open tickets, 3 past SLA" in text
    assert "Data-quality findings open: hr 2" in text
    assert "Inbox items overdue: finance 1" in text


def test_line_charts_draw_revenue_expenses_and_cash_without_colour() -> None:
    from bo_console.data import charts

    figures = sample()
    lines = charts.month_chart(figures)
    assert lines[0].strip() == "Revenue * and expenses . by month, 2026-10 to 2026-11 (M SAR)"
    assert any("*" in line for line in lines[1:]) and any("." in line for line in lines[1:])
    assert lines[-1].split() == ["Oct", "Nov"]  # months on the x axis
    cash = charts.cash_chart(figures)
    assert cash[0].strip() == "Cash and banks at month end and now, 2026-10 to 2026-11 (M SAR)"
    assert cash[-1].split() == ["Oct", "now"]
    assert any(line.lstrip().startswith("8.0") for line in cash)  # today's 8.02M
    figures.months[0] = MonthFigures("2026-10", 812_345_678, 600_000_000, True)
    assert charts.cash_chart(figures) == []  # today alone is no line
    figures.months = figures.months[:1]
    assert charts.month_chart(figures) == []
    text = board.text(sample())
    assert "\x1b" not in text and "Cash and banks at month end" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_json_gives_amounts_as_decimal_strings() -> None:
    data = board.as_json(sample())
    assert data["cash"] == "8024132.61"
    assert data["months"][0] == {
        "month": "2026-10",
        "revenue": "8123456.78",
        "expenses": "6000000.00",
        "closed": True,
        "cash": "7500000.00",
        "snapshot": 1,
    }
    assert data["months"][1]["cash"] is None and data["months"][1]["snapshot"] is None
    assert data["receivables"]["1-30"] == "2.00"
    assert data["units"][0]["payroll_cost"] is None
    assert data["headcount"] == 42 and data["as_of"] == "2026-12-04"
