"""The help screen (? or F1): what this screen is for and every key that works on it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from bo_console.ui.keys import ORIGIN_TITLES, Origin, key_display, screen_keys


def binding_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action a key runs on ``screen``, one row per action:
    the screen's own keys first, then the kit's list keys, the console's, and Textual's
    generic ones last."""
    rows = [
        (" ".join(dict.fromkeys(key_display(screen, k) for k in entry.keys)), entry.text)
        for entry in screen_keys(screen)
    ]
    rows.append(("ctrl+p", "Command palette: find any screen, tab, report or action"))
    return rows


def grouped_rows(screen: Screen[object]) -> list[tuple[str, list[tuple[str, str]]]]:
    """:func:`binding_rows` under their group titles (This screen, Lists and forms, ...)."""
    groups: dict[Origin, list[tuple[str, str]]] = {}
    for entry in screen_keys(screen):
        keys = " ".join(dict.fromkeys(key_display(screen, k) for k in entry.keys))
        groups.setdefault(entry.origin, []).append((keys, entry.text))
    return [(ORIGIN_TITLES[origin], rows) for origin, rows in sorted(groups.items())]


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("Key", no_wrap=True)
    table.add_column("Does")
    for keys, text in rows:
        table.add_row(Text(keys), Text(text))
    return table


class HelpScreen(ModalScreen[None]):
    """Help for the screen underneath."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .help-title { text-style: bold; padding-top: 1; }
    HelpScreen .help-body { padding-bottom: 1; }
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under
        self.rows = binding_rows(under)
        """The keys shown, as (keys, what they do)."""
        self.groups = grouped_rows(under)

    def compose(self) -> ComposeResult:
        title = getattr(self.under, "SCREEN_TITLE", "") or "bo-console"
        text = getattr(self.under, "HELP", "")
        with VerticalScroll():
            yield Static(f"Help: {title}", classes="help-title")
            for number, (group, rows) in enumerate(self.groups):
                yield Static(group, classes="help-title")
                yield Static(_table(rows), id="help-keys" if number == 0 else None)
            yield Static("ctrl+p  Command palette: find any screen, tab, report or action")
            if text:
                yield Static("About this screen", classes="help-title")
                yield Static(text, classes="help-body")
            yield Static(
                "Lists: / filter, enter open, n new, r refresh, x export. Dates accept t (today), "
                "+5, -1m and YYYY-MM-DD. Forms: ctrl+s saves, escape cancels. Escape goes back; "
                "q or ctrl+q quits (after asking).",
                classes="help-body",
            )

    def action_close(self) -> None:
        self.dismiss(None)
