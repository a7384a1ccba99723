"""Report columns on screen: an amount is never cut short, whatever its size."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bo_console.core.paging import Column
from bo_console.ui.kit.report_view import fit_columns as _fit_to_rows


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def test_amount_columns_widen_to_their_widest_value_and_names_give_way() -> None:
    columns = [
        Column("account", "Account", 30),
        Column("debit", "Debit", 10, "right", fmt=_money),
        Column("credit", "Credit", 10, "right", fmt=_money),
    ]
    rows: list[dict[str, Any]] = [
        {"account": "Cash", "debit": Decimal("13106412.44"), "credit": None},
        {"account": "Sales", "debit": None, "credit": Decimal("5.00")},
    ]
    fitted = _fit_to_rows(columns, rows)
    assert [c.width for c in fitted] == [31, 13, 6]
    assert sum(c.width for c in fitted) == sum(c.width for c in columns)
    for column in fitted[1:]:
        for row in rows:
            assert len(column.text(row[column.key])) <= column.width


def test_narrow_amounts_give_their_room_to_the_name() -> None:
    columns = [Column("name", "Name", 20), Column("tax", "Tax", 15, "right", fmt=_money)]
    fitted = _fit_to_rows(columns, [{"name": "Output tax", "tax": Decimal("9284.41")}])
    assert [c.width for c in fitted] == [27, 8]


def test_amounts_win_when_nothing_is_left_to_shrink() -> None:
    columns = [Column("party", "Party", 6), Column("balance", "Balance", 10, "right", fmt=_money)]
    fitted = _fit_to_rows(columns, [{"party": "C0001", "balance": Decimal("1234567890.00")}])
    assert [c.width for c in fitted] == [6, 16]
