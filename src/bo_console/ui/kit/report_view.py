"""A report shown as a list: columns fitted to the figures, the export as the CLI writes it.

:func:`fit_columns` makes every amount column exactly as wide as its widest value (a cut figure
misleads) and lets the text columns give up or take the difference. :class:`ReportPane` is a
:class:`~bo_console.ui.kit.list_pane.ListPane` over rows already in memory::

    layout = [Column("code", "Code", 6), Column("amount", "Amount", 16, "right")]
    columns = fit_columns(layout, rows)
    pane = ReportPane(RowsSource(rows, columns), name="trial-balance", title="Trial balance",
                      export_rows=rows, export_columns=["code", "account", "amount"])

(:class:`bo_console.core.paging.RowsSource`: a ``QuerySource`` over rows in memory; the kit
holds no SQL, so it takes the source ready made.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from bo_console.ui.kit.list_pane import ListPane

if TYPE_CHECKING:
    from bo_console.core.paging import Column, QuerySource

MIN_TEXT_WIDTH = 8
"""A text column is never narrowed below this many cells."""


def fit_columns(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> list[Column]:
    """Amount (right-aligned) columns exactly as wide as their widest value, so no amount is
    ever cut short; text columns give up, or take, the difference, widest first."""
    budget = sum(c.width for c in columns)
    fitted = [
        replace(c, width=max([cell_len(c.title), *(cell_len(c.text(r.get(c.key))) for r in rows)]))
        if c.align == "right"
        else c
        for c in columns
    ]
    texts = [i for i, c in enumerate(fitted) if c.align != "right"]
    spare = budget - sum(c.width for c in fitted)
    if spare > 0 and texts:
        widest = max(texts, key=lambda i: fitted[i].width)
        fitted[widest] = replace(fitted[widest], width=fitted[widest].width + spare)
    while spare < 0:
        shrinkable = [i for i in texts if fitted[i].width > MIN_TEXT_WIDTH]
        if not shrinkable:
            break  # amounts win: the line runs past the right edge rather than cut a figure
        widest = max(shrinkable, key=lambda i: fitted[i].width)
        fitted[widest] = replace(fitted[widest], width=fitted[widest].width - 1)
        spare += 1
    return fitted


class ReportPane(ListPane):
    """A list over a report's rows (totals included, columns fitted with :func:`fit_columns`);
    ``x`` exports ``export_rows`` with ``export_columns`` (every column, as the CLI writes)."""

    def __init__(
        self,
        source: QuerySource,
        *,
        name: str,
        title: str,
        export_rows: Sequence[dict[str, Any]],
        export_columns: Sequence[str],
        id: str | None = "report-list",  # noqa: A002
    ) -> None:
        self.export_rows = list(export_rows)
        self.export_columns = list(export_columns)
        super().__init__(
            source,
            name=name,
            title=title,
            exporter=self._export,
            filter_hint="words in the rows",
            id=id,
        )

    def _export(self, path: Path, fmt: str) -> int:
        from bo_console.core import io

        io.write_file(self.export_rows, self.export_columns, path, fmt)
        return len(self.export_rows)
