"""The stock-take: start one for a location, scan tags (a barcode scanner types the tag and
Enter; the form comes back for the next), and see what is missing or misplaced, then close."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from bo_console.ui.kit import (
    ActionKey,
    Choice,
    ColumnSpec,
    FormField,
    FormScreen,
    RecordDialog,
    RecordSpec,
    TableSpec,
    read,
    try_write,
    write,
)

if TYPE_CHECKING:
    from bo_console.it.stocktake import StocktakeView
    from bo_console.ui.app import BoApp

STOCKTAKES = "it.stocktakes"


class StocktakeDialog(RecordDialog["StocktakeView"]):
    """A stock-take: what was found, found elsewhere or disposed, and what is missing."""

    def record_spec(self, view: StocktakeView) -> RecordSpec:
        return RecordSpec(
            header=[
                f"{view.ref}   {view.status}   {view.location or 'every location'}",
                f"{view.found} of {view.expected} found · {len(view.missing)} missing · "
                f"{len(view.surprises)} found elsewhere or disposed",
            ],
            header_id="stocktake-header",
            table=TableSpec(
                (
                    ColumnSpec("Tag", 12),
                    ColumnSpec("Model", 20),
                    ColumnSpec("Register has it at", 18),
                    ColumnSpec("Result", 10),
                ),
                [(line.tag, line.model, line.location, line.result) for line in view.lines],
                max_height=10,
                id="stocktake-lines",
            ),
            actions=[
                ActionKey("s", "scan", "Scan", "s scan more", id="it.stocktake.scan"),
                ActionKey("c", "close", "Close", "c close the stock-take", id="it.stocktake.close"),
            ],
        )


def start_stocktake(widget: Widget) -> None:
    """Ask for the location, start (or carry on with) its stock-take, then scan."""
    from bo_console.it import service

    def submit(values: dict[str, str]) -> str:
        view = write(widget, lambda s, a: service.start_stocktake(s, a, values["location"]))
        return view.ref

    def done(ref: str | None) -> None:
        if ref:
            scan_form(widget, ref)

    fields = [FormField("location", "Location", placeholder="empty: every location")]
    widget.app.push_screen(FormScreen("Stock-take", fields, submit, save_label="Start"), done)


def scan_form(widget: Widget, ref: str) -> None:
    """Scan tags one after another; Escape shows the stock-take as it stands."""
    from bo_console.it import service

    def submit(values: dict[str, str]) -> str:
        result = write(widget, lambda s, a: service.scan_asset(s, a, ref, values["tag"]))
        return result.message

    def done(message: str | None) -> None:
        if message:
            widget.notify(message)
            scan_form(widget, ref)
        else:
            open_stocktake(widget, ref)

    fields = [FormField("tag", "Asset tag", required=True, placeholder="scan the tag")]
    widget.app.push_screen(
        FormScreen(f"Stock-take {ref}: scan", fields, submit, save_label="Count"), done
    )


def open_stocktake(widget: Widget, ref: str) -> None:
    from bo_console.it import service

    view = read(widget, lambda s, a: service.get_stocktake(s, a, ref))
    if view is None:
        return
    app: BoApp = widget.app  # type: ignore[assignment]
    allowed = (
        frozenset({"scan", "close"})
        if view.status == "open" and app.actor.can("it.write")
        else frozenset()
    )

    def chosen(choice: Choice | None) -> None:
        if choice is None:
            return
        if choice.action == "scan":
            scan_form(widget, ref)
        elif try_write(widget, lambda s, a: service.close_stocktake(s, a, ref), STOCKTAKES):
            widget.notify(f"{ref} closed")
            open_stocktake(widget, ref)

    widget.app.push_screen(StocktakeDialog(view, allowed), chosen)
