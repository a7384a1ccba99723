"""The Assets tab: the register as a virtual table, an asset's dialog, and the check-out and
check-in forms a barcode scanner types into (the tag, then Enter); t starts a stock-take
(``stocktake.py``); d posts a month's depreciation in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget

from bo_console.ui.kit import (
    ActionKey,
    Choice,
    ColumnSpec,
    FormField,
    FormScreen,
    JobStrip,
    ListPane,
    RecordDialog,
    RecordSpec,
    Row,
    TableSpec,
    announce,
    read,
    start_job,
    try_write,
    write,
)
from bo_console.ui.widgets.confirm import ConfirmDialog

if TYPE_CHECKING:
    from bo_console.it.assets import AssetView
    from bo_console.it.ledger import DepreciationRun
    from bo_console.ui.app import BoApp

ASSETS = "it.assets"


class AssetDialog(RecordDialog["AssetView"]):
    """An asset, its book value and its custodians."""

    def record_spec(self, view: AssetView) -> RecordSpec:
        row = view.row
        return RecordSpec(
            header=[
                f"{row.tag}   {row.status.replace('_', ' ')}   {row.category}",
                f"{row.model} · serial {row.serial} · {row.location or 'no location'}",
                f"Holder: {row.custodian or 'nobody'}",
                f"Cost {row.cost} · depreciated {view.accumulated_depreciation} · book value "
                f"{view.book_value}"
                + (f" · warranty to {row.warranty_end}" if row.warranty_end else ""),
            ],
            header_id="asset-header",
            table=TableSpec(
                (
                    ColumnSpec("Holder", 8),
                    ColumnSpec("Name", 22),
                    ColumnSpec("Out", 16),
                    ColumnSpec("Back", 16),
                ),
                [
                    (
                        c.employee,
                        c.name,
                        f"{c.out_at:%Y-%m-%d %H:%M}",
                        f"{c.returned_at:%Y-%m-%d %H:%M}" if c.returned_at else "holds it",
                    )
                    for c in view.custody
                ],
                max_height=8,
            ),
            actions=[
                ActionKey("o", "check_out", "Check out", "o check out", id="it.asset.out"),
                ActionKey("i", "check_in", "Check in", "i check in", id="it.asset.in"),
                ActionKey("p", "in_repair", "Repair", "p to repair", id="it.asset.repair"),
                ActionKey("s", "in_stock", "Stock", "s back to stock", id="it.asset.stock"),
                ActionKey("z", "retired", "Retire", "z retire", id="it.asset.retire"),
            ],
        )


def check_out_form(widget: Widget, tag: str = "", employee: str = "") -> None:
    """Ask for the employee, then the tag (the scanner's Enter checks it out); the form comes
    back for the next asset of the same employee until Escape."""
    from bo_console.it import service

    def submit(values: dict[str, str]) -> str:
        view = write(widget, lambda s, a: service.check_out(s, a, values["tag"], values["to"]))
        announce(widget, ASSETS)
        return values["to"] if view else ""

    def done(who: str | None) -> None:
        if who:
            widget.notify(f"checked out to {who}")
            check_out_form(widget, employee=who)

    fields = [
        FormField("to", "Employee", value=employee, required=True, placeholder="E00042"),
        FormField("tag", "Asset tag", value=tag, required=True, placeholder="scan the tag"),
    ]
    widget.app.push_screen(FormScreen("Check out", fields, submit, save_label="Check out"), done)


def check_in_form(widget: Widget) -> None:
    """Scan tags one after another to take them back into stock, until Escape."""
    from bo_console.it import service

    def submit(values: dict[str, str]) -> str:
        view = write(widget, lambda s, a: service.check_in(s, a, values["tag"]))
        announce(widget, ASSETS)
        return view.row.tag

    def done(tag: str | None) -> None:
        if tag:
            widget.notify(f"{tag} is back in stock")
            check_in_form(widget)

    fields = [FormField("tag", "Asset tag", required=True, placeholder="scan the tag")]
    widget.app.push_screen(FormScreen("Check in", fields, submit, save_label="Check in"), done)


def add_asset_form(widget: Widget) -> None:
    from bo_console.it import service
    from bo_console.it.common import validated

    def submit(values: dict[str, str]) -> str:
        data = validated(service.AssetCreate, {k: v for k, v in values.items() if v.strip()})
        view = write(widget, lambda s, a: service.add_asset(s, a, data))
        announce(widget, ASSETS)
        return view.row.tag

    fields = [
        FormField("tag", "Tag", required=True),
        FormField("serial", "Serial", required=True),
        FormField("model", "Model", required=True),
        FormField(
            "category",
            "Category",
            required=True,
            value="LAPTOP",
            suggestions=("LAPTOP", "DESKTOP", "MONITOR", "PHONE", "PRINTER", "NETWORK", "SERVER"),
        ),
        FormField("location", "Location"),
    ]
    widget.app.push_screen(
        FormScreen("Register an asset", fields, submit, save_label="Register"),
        lambda tag: widget.notify(f"registered {tag}") if tag else None,
    )


class AssetsPane(ListPane):
    """The register: / finds a tag, serial or model; enter opens; c and i check out and in."""

    WORK_ITEMS = ("asset", "tag")

    BINDINGS = [
        Binding("c", "check_out", "Check out", id="it.assets.out"),
        Binding("i", "check_in", "Check in", id="it.assets.in"),
        Binding("n", "new", "New", id="it.assets.new"),
        Binding("t", "stocktake", "Stock-take", id="it.assets.stocktake"),
        Binding(
            "d",
            "depreciate",
            "Depreciate",
            id="it.assets.depreciate",
            tooltip="Post a month's depreciation of the register (once a month)",
        ),
    ]
    PERMS = {
        "check_out": "it.write",
        "check_in": "it.write",
        "new": "it.write",
        "stocktake": "it.write",
        "depreciate": "it.manage",
    }
    LISTENS = frozenset({ASSETS})

    def __init__(self, app: BoApp) -> None:
        from bo_console.it.sources import asset_source

        super().__init__(
            asset_source(app.store, app.actor),
            name="assets",
            title="Assets",
            filter_hint="tag, serial or part of the model",
            id="assets-pane",
        )

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield JobStrip(busy_message="the depreciation is still running", id="assets-job")

    def open_row(self, key: str, row: Row) -> None:
        open_asset(self, str(row["tag"]))

    def action_depreciate(self) -> None:
        depreciate_form(self)

    def action_check_out(self) -> None:
        row = self.current_row()
        check_out_form(self, tag=str(row["tag"]) if row and row["status"] == "in_stock" else "")

    def action_check_in(self) -> None:
        check_in_form(self)

    def action_new(self) -> None:
        add_asset_form(self)

    def action_stocktake(self) -> None:
        from bo_console.it.screen.stocktake import start_stocktake

        start_stocktake(self)


def open_asset(widget: Widget, tag: str) -> None:
    from bo_console.it import service

    view = read(widget, lambda s, a: service.get_asset(s, a, tag))
    if view is None:
        return
    app: BoApp = widget.app  # type: ignore[assignment]

    def chosen(choice: Choice | None) -> None:
        if choice is None:
            return
        if choice.action == "check_out":
            check_out_form(widget, tag=tag)
            return
        if choice.action == "check_in":
            work = lambda s, a: service.check_in(s, a, tag)  # noqa: E731
        else:
            work = lambda s, a: service.set_status(s, a, tag, choice.action)  # noqa: E731
        if try_write(widget, work, ASSETS) is not None:
            open_asset(widget, tag)

    widget.app.push_screen(AssetDialog(view, service.asset_actions(view, app.actor)), chosen)


def _last_month() -> str:
    from bo_console.core.clock import today

    first = today().replace(day=1)
    return f"{first.year - (first.month == 1):04d}-{(first.month - 2) % 12 + 1:02d}"


def depreciate_form(pane: Widget) -> None:
    """Ask for the month (last month by default), show what it would post, confirm, then run
    the depreciation job on the pane's strip: the bar follows the assets weighed."""
    from bo_console.it import service

    app: BoApp = pane.app  # type: ignore[assignment]

    def submit(values: dict[str, str]) -> DepreciationRun:
        # The dry run refuses a month already posted or closed beside the field.
        with app.store.read() as session:
            return service.depreciate(session, app.actor, values["period"], dry_run=True)

    def confirmed(preview: DepreciationRun, yes: bool | None) -> None:
        if not yes:
            return
        start_job(
            pane,
            f"Depreciation {preview.period}",
            lambda progress: service.run_depreciation(
                app.store, app.actor, preview.period, progress=progress
            ),
            lambda run: pane.notify(run.summary),
            topics=(ASSETS,),
        )

    def chosen(preview: DepreciationRun | None) -> None:
        if preview is None:
            return
        app.push_screen(
            ConfirmDialog(
                f"Post {preview.period}'s depreciation: {preview.assets:,} assets, "
                f"{preview.total:,} to the ledger? A month is posted once; it cannot be undone.",
                title="Post depreciation",
                confirm_label="Post",
            ),
            lambda yes: confirmed(preview, yes),
        )

    app.push_screen(
        FormScreen(
            "Post a month's depreciation",
            [FormField("period", "Month", value=_last_month(), required=True, help="YYYY-MM")],
            submit,
            save_label="Next",
        ),
        chosen,
    )
