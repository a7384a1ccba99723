"""The Queries tab (the saved-query library, run with parameters) and the SQL tab (one
SELECT typed and run on the read-only console); both show the result in a ReportPane."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from bo_console.core.errors import BoError
from bo_console.ui.base import bo_app
from bo_console.ui.kit import (
    ColumnSpec,
    FormField,
    FormScreen,
    ListRow,
    ReportPane,
    ShortListPane,
    show_error,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.data.models import ResultSet


class ResultArea(Vertical):
    """Where a query's result goes: a ReportPane (virtual, filter and export) once run."""

    DEFAULT_CSS = """
    ResultArea { height: 1fr; }
    ResultArea > .result-note { height: 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", classes="result-note")

    def show(self, name: str, title: str, result: ResultSet) -> None:
        """Replace what is shown with ``result``."""
        from bo_console.data import service

        for old in self.query(ReportPane):
            old.remove()
        note = f"{len(result.rows):,} rows"
        if result.revealed:
            note += " · confidential columns read (audited)"
        self.query_one(".result-note", Static).update(note)
        self.mount(
            ReportPane(
                service.result_source(result),
                name=name,
                title=title,
                export_rows=result.as_dicts(),
                export_columns=result.columns,
                id=None,
            )
        )

    def run(self, name: str, title: str, call: Query) -> None:
        """Run ``call`` in a worker (a query may take up to its time limit) and show it."""
        self.query_one(".result-note", Static).update("running ...")
        self._run(name, title, call)

    @work(thread=True, exclusive=True, group="data-query", exit_on_error=False)
    def _run(self, name: str, title: str, call: Query) -> None:
        app = bo_app(self)
        try:
            with app.store.write() as session:
                result = call(session, app.actor)
        except BoError as exc:
            app.call_from_thread(self._failed, exc)
            return
        app.call_from_thread(self.show, name, title, result)

    def _failed(self, exc: BoError) -> None:
        self.query_one(".result-note", Static).update(f"refused: {exc.message}")
        show_error(self, exc)


if TYPE_CHECKING:
    from collections.abc import Callable

    Query = Callable[[Session, Actor], ResultSet]


class QueriesPane(Vertical):
    """The saved queries over the result of the last one run."""

    DEFAULT_CSS = """
    QueriesPane > SavedQueriesList { height: 8; }
    """

    def compose(self) -> ComposeResult:
        yield SavedQueriesList()
        yield ResultArea(id="query-result")


class SavedQueriesList(ShortListPane):
    """The library; enter asks for the parameters and runs the query."""

    COLUMNS = (
        ColumnSpec("Query", 26),
        ColumnSpec("Dept", 9),
        ColumnSpec("Title", 36),
    )
    PERMS = {"run": "data.query", "pivot": "data.query"}
    BINDINGS = [
        Binding("g", "run", "Run", id="data.queries.run", tooltip="Run (or enter)"),
        Binding("p", "pivot", "Pivot", id="data.queries.pivot", tooltip="Pivot by two columns"),
    ]
    TABLE_ID = "queries-table"
    STATUS_ID = "queries-status"

    def __init__(self) -> None:
        super().__init__(id="queries-pane")

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.data import service

        return [ListRow(q.name, (q.name, q.dept, q.title)) for q in service.list_queries(actor)]

    def status_text(self, rows: Sequence[ListRow]) -> str:
        return f"Saved queries: {len(rows)} · enter runs one · p pivots one"

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_run()

    def action_run(self) -> None:
        from bo_console.data import service

        name = self.selected_key
        if name is None:
            return
        query = service.get_query(name)
        defaults = service.query_defaults(query)

        def submit(values: dict[str, str]) -> dict[str, str]:
            return {k: v.strip() for k, v in values.items()}

        fields = [
            FormField(p.name, p.description, value=defaults[p.name], required=True)
            for p in query.params
        ]
        self.app.push_screen(
            FormScreen(query.title, fields, submit, save_label="Run"),
            lambda values: self._start(name, query.title, values),
        )

    def action_pivot(self) -> None:
        from bo_console.data import service

        name = self.selected_key
        if name is None:
            return
        query = service.get_query(name)
        defaults = service.query_defaults(query)

        def submit(values: dict[str, str]) -> dict[str, str]:
            return {k: v.strip() for k, v in values.items()}

        fields = [
            FormField(p.name, p.description, value=defaults[p.name], required=True)
            for p in query.params
        ]
        fields += [
            FormField("rows", "Rows: column", required=True),
            FormField("columns", "Columns: column", required=True),
            FormField("values", "Values: column", required=True),
            FormField("agg", "Aggregate", value="sum", required=True),
        ]
        self.app.push_screen(
            FormScreen(f"Pivot {query.title.lower()}", fields, submit, save_label="Pivot"),
            lambda values: self._start_pivot(name, query.title, values),
        )

    def _start_pivot(self, name: str, title: str, values: dict[str, str] | None) -> None:
        from bo_console.data import service

        if values is None:
            return
        shape = {k: values.pop(k) for k in ("rows", "columns", "values", "agg")}
        area = self.screen.query_one("#query-result", ResultArea)
        area.run(
            f"{name}-pivot",
            f"{title} by {shape['rows']} and {shape['columns']}",
            lambda s, a: service.pivot_query(
                s,
                a,
                name,
                values,
                rows=shape["rows"],
                columns=shape["columns"],
                values=shape["values"],
                agg=shape["agg"],
            ),
        )

    def _start(self, name: str, title: str, values: dict[str, str] | None) -> None:
        from bo_console.data import service

        if values is None:
            return
        area = self.screen.query_one("#query-result", ResultArea)
        area.run(name, title, lambda s, a: service.run_query(s, a, name, values))


class SqlPane(Vertical):
    """One SELECT typed and run on the read-only console; the result below it."""

    BINDINGS = [Binding("ctrl+r", "run", "Run again", id="data.sql.run")]
    DEFAULT_CSS = """
    SqlPane > Input { height: 3; }
    """

    def compose(self) -> ComposeResult:
        yield Input(placeholder="SELECT ... FROM v_fin_document (enter runs it)", id="sql-input")
        yield ResultArea(id="sql-result")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_run()

    def action_run(self) -> None:
        from bo_console.data import service

        text = self.query_one("#sql-input", Input).value
        if not text.strip():
            return
        area = self.query_one("#sql-result", ResultArea)
        area.run("sql", "Query", lambda s, a: service.run_sql(s, a, text))
