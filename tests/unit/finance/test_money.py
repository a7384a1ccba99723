"""Money: parsing, formatting, the one rounding rule and allocation (with property tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bo_console.core import money
from bo_console.core.money import Currency


@pytest.mark.parametrize(
    ("text", "exponent", "minor"),
    [
        ("1234.5", 2, 123450),
        ("1,234.50", 2, 123450),
        ("-12", 2, -1200),
        ("(12.00)", 2, -1200),
        ("+0.01", 2, 1),
        (".5", 2, 50),
        ("7.", 2, 700),
        ("1.250", 2, 125),  # trailing zeros are not extra decimals
        ("0.125", 3, 125),
        ("١٢٣٫٤٥", 2, 12345),  # Arabic-Indic digits and decimal mark
        ("1 000.00", 2, 100000),
        ("12", 0, 12),
    ],
)
def test_parse_amount(text: str, exponent: int, minor: int) -> None:
    assert money.parse_amount(text, exponent) == minor


@pytest.mark.parametrize(
    "text", ["", "-", ".", "abc", "1e5", "1,23", "12,34.5", "1.2.3", "--1", "nan", "inf", "1.234"]
)
def test_parse_amount_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        money.parse_amount(text, 2)


def test_more_decimals_than_the_currency_is_refused_not_rounded() -> None:
    with pytest.raises(ValueError, match="more than 2 decimals"):
        money.parse_amount("0.005", 2)
    with pytest.raises(ValueError, match="more than 2 decimals"):
        money.to_minor(Decimal("0.005"), 2)
    assert money.to_minor(Decimal("0.005"), 3) == 5


def test_float_is_refused() -> None:
    with pytest.raises(TypeError):
        money.to_minor(0.1, 2)  # type: ignore[arg-type]


def test_format_and_from_minor() -> None:
    assert money.format_amount(-123456, 2) == "-1,234.56"
    assert money.format_amount(5, 3) == "0.005"
    assert money.format_amount(123456, 2, grouping=False) == "1234.56"
    assert str(money.from_minor(1250, 2)) == "12.50"
    assert str(money.from_minor(-7, 3)) == "-0.007"


def test_round_half_up_away_from_zero() -> None:
    assert money.round_minor(Decimal("0.125"), 2) == 13
    assert money.round_minor(Decimal("-0.125"), 2) == -13
    assert money.round_minor(Decimal("0.1249999"), 2) == 12
    assert money.apply_rate(1003, Decimal("0.15")) == 150  # 150.45
    assert money.apply_rate(1010, "0.15") == 152  # 151.5 rounds up


def test_currency_exponent() -> None:
    assert Currency.of("kwd").exponent == 3
    assert Currency.of("SAR").exponent == 2
    assert Currency.of("SAR").format(100000) == "1,000.00"
    assert Currency.of("KWD").parse("1.5") == 1500


def test_allocate_examples() -> None:
    assert money.allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert money.allocate(5, [70, 30]) == [4, 1]
    assert money.allocate(-5, [70, 30]) == [-4, -1]
    assert money.allocate(0, [1, 2]) == [0, 0]
    assert money.allocate(10, [0, 1]) == [0, 10]
    with pytest.raises(ValueError):
        money.allocate(10, [])
    with pytest.raises(ValueError):
        money.allocate(10, [0, 0])
    with pytest.raises(ValueError):
        money.allocate(10, [1, -1])


@given(
    total=st.integers(min_value=-(10**15), max_value=10**15),
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30).filter(
        lambda ws: sum(ws) > 0
    ),
)
def test_allocation_never_loses_or_creates_a_minor_unit(total: int, weights: list[int]) -> None:
    parts = money.allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / whole
        assert abs(Decimal(part) - exact) < 1
        if weight == 0:
            assert part == 0


@given(
    total=st.integers(min_value=0, max_value=10**12),
    rates=st.lists(
        st.decimals(min_value=0, max_value=1, places=4, allow_nan=False), min_size=1, max_size=8
    ).filter(lambda rs: sum(rs) > 0),
)
def test_allocation_by_decimal_weights_sums_to_the_whole(total: int, rates: list[Decimal]) -> None:
    assert sum(money.allocate(total, rates)) == total


@given(
    minor=st.integers(min_value=-(10**15), max_value=10**15), exponent=st.sampled_from([0, 2, 3])
)
def test_format_then_parse_round_trips(minor: int, exponent: int) -> None:
    assert money.parse_amount(money.format_amount(minor, exponent), exponent) == minor
    assert money.to_minor(money.from_minor(minor, exponent), exponent) == minor


@given(
    net=st.integers(min_value=0, max_value=10**12),
    rate=st.decimals(min_value=0, max_value=1, places=4, allow_nan=False),
)
def test_tax_rounding_is_within_half_a_unit(net: int, rate: Decimal) -> None:
    tax = money.apply_rate(net, rate)
    assert abs(Decimal(tax) - Decimal(net) * rate) <= Decimal("0.5")
