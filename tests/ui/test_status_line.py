"""The status line: plain text drawn as Textual draws a Static, never read as markup."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from bo_console.ui.widgets.status_line import StatusLine

TEXTS = [
    "Assets: row 1 of 100,000 · by Tag ↑",
    'filter "[/]" and [b]bold[/b]',
    "",
    "a status line far too long to fit in the forty cells of this test's screen",
    "عميل 12 · row 3",
    "tab\there",
]


class Pair(App[None]):
    CSS = ".status-line { height: 1; padding: 0 1; color: $text-muted; }"

    def compose(self) -> ComposeResult:
        yield Static(id="static", classes="status-line", markup=False)
        yield StatusLine(id="status", classes="status-line")


async def test_the_status_line_draws_what_a_static_draws() -> None:
    app = Pair()
    async with app.run_test(size=(40, 6)) as pilot:
        static = app.query_one("#static", Static)
        status = app.query_one("#status", StatusLine)
        for text in TEXTS:
            static.update(text)
            status.update(text, layout=False)
            await pilot.pause()
            drawn = status.render_lines(status.size.region)
            assert drawn == static.render_lines(static.size.region), text
            assert status.text == text and str(status.render()) == text
        status.update('filter "[/]"')
        await pilot.pause()
        assert status.render_lines(status.size.region)[0].text.strip() == 'filter "[/]"'
