"""Column widths that use the width a table is given.

A table declares each column's natural width. On a wide terminal the text columns (names,
subjects, memos) take the spare cells, in proportion to their natural width; on a narrow one
they give cells up, down to a floor, so the table fits without a horizontal scrollbar. Amounts,
dates and short codes keep their width either way.
"""

from __future__ import annotations

from collections.abc import Sequence

FLEX_FROM = 12
"""A left-aligned column at least this wide is text that may grow or shrink."""
FLOOR = 6
"""A shrinking column keeps at least this many cells."""


def cells_used(widths: Sequence[int], *, gap: int = 1, padding: int = 0) -> int:
    """The cells columns of ``widths`` take: each its width and ``padding`` (a DataTable's
    cell padding on both sides of every column), and ``gap`` between two neighbours."""
    return sum(widths) + padding * len(widths) + gap * max(0, len(widths) - 1)


def fit_widths(
    widths: Sequence[int],
    flexible: Sequence[bool],
    available: int,
    *,
    gap: int = 1,
    padding: int = 0,
) -> list[int]:
    """``widths`` adjusted so that the columns, their ``padding`` and the gaps between them
    fill ``available`` (see :func:`cells_used`).

    Only the ``flexible`` columns change. When even the floors do not fit, the columns keep
    their floors (the table is then wider than the space).
    """
    result = list(widths)
    flex = [i for i, f in enumerate(flexible) if f]
    if not flex or available <= 0:
        return result
    spare = available - cells_used(widths, gap=gap, padding=padding)
    if spare == 0:
        return result
    total = sum(widths[i] for i in flex)
    if spare > 0 and total > 0:
        given = 0
        for i in flex:
            share = spare * widths[i] // total
            result[i] += share
            given += share
        for i in flex[: spare - given]:
            result[i] += 1
        return result
    if spare > 0:
        return result
    need = -spare
    # The first text column (a name, a subject) says which row this is: the others give
    # their cells first, and it gives up cells only when they are down to their floor.
    primary, others = flex[0], flex[1:]
    while need > 0:
        shrinkable = [i for i in others if result[i] > FLOOR]
        if not shrinkable:
            shrinkable = [primary] if result[primary] > FLOOR else []
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: result[i])
        result[widest] -= 1
        need -= 1
    return result


def flexible_columns(
    widths: Sequence[int],
    right: Sequence[bool],
    flex: Sequence[bool | None] | None = None,
) -> list[bool]:
    """Which columns are text that may change width: left-aligned, at least
    :data:`FLEX_FROM` wide and not the first (or, when none is, every left-aligned one but the
    first).

    ``flex`` overrides that guess column by column: False for a code or a status that must be
    read whole (an order number, a SKU: never cut, never widened), True for text of any width;
    None leaves the guess.
    """
    said = list(flex) if flex is not None else [None] * len(widths)
    # The first column is the row's key (a number, a code): it keeps its width.
    wide = [
        i > 0 and not r and w >= FLEX_FROM
        for i, (w, r) in enumerate(zip(widths, right, strict=True))
    ]
    guess = wide if any(wide) else [i > 0 and not r for i, r in enumerate(right)]
    decided = [g if s is None else s for g, s in zip(guess, said, strict=True)]
    if any(decided) or not any(s is None for s in said):
        return decided
    # Every guessed text column was declared a code: the undeclared left-aligned ones give.
    return [s is None and i > 0 and not r for i, (s, r) in enumerate(zip(said, right, strict=True))]


def visible_widths(
    widths: Sequence[int],
    right: Sequence[bool],
    optional: Sequence[bool],
    available: int,
    *,
    gap: int = 1,
    padding: int = 0,
    flex: Sequence[bool | None] | None = None,
) -> list[int | None]:
    """Each column's width in ``available`` cells, or None for an ``optional`` column left out
    (the rightmost first) because the columns would not fit with it, or only by squeezing the
    first text column (the subject, the name: what says which row this is). ``flex``: as for
    :func:`flexible_columns`."""
    said = list(flex) if flex is not None else [None] * len(widths)
    shown = list(range(len(widths)))
    while True:
        natural = [widths[i] for i in shown]
        flexible = flexible_columns(natural, [right[i] for i in shown], [said[i] for i in shown])
        fitted = fit_widths(natural, flexible, available, gap=gap, padding=padding)
        fits = cells_used(fitted, gap=gap, padding=padding) <= available
        primary = flexible.index(True) if any(flexible) else None
        squeezed = primary is not None and fitted[primary] < natural[primary]
        droppable = [i for i in shown if optional[i]]
        if (fits and not squeezed) or not droppable:
            break
        shown.remove(droppable[-1])
    result: list[int | None] = [None] * len(widths)
    for i, w in zip(shown, fitted, strict=True):
        result[i] = w
    return result


__all__ = ["cells_used", "fit_widths", "flexible_columns", "visible_widths"]
