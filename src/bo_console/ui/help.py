"""The help screen (? or F1): what this screen is for and every key that works on it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def _key_label(screen: Screen[object], key: str) -> str:
    return screen.app.get_key_display(Binding(key, ""))


def binding_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for every active binding of ``screen``: the screen's own first,
    then the app's, then the focused widget's (cursor keys and the like)."""

    def rank(node: object) -> int:
        return 0 if node is screen else 1 if node is screen.app else 2

    seen: dict[str, list[str]] = {}
    ordered = sorted(screen.active_bindings.items(), key=lambda item: rank(item[1].node))
    for key, active in ordered:
        binding = active.binding
        if binding.system and not binding.description:
            continue
        text = binding.tooltip or binding.description or binding.action
        seen.setdefault(text, []).append(_key_label(screen, key))
    rows = [(" ".join(dict.fromkeys(keys)), text) for text, keys in seen.items()]
    rows.append(("ctrl+p", "Command palette: type to find any screen or command"))
    return rows


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
        width: 78; max-width: 100%; height: auto; max-height: 100%;
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

    def compose(self) -> ComposeResult:
        title = getattr(self.under, "SCREEN_TITLE", "") or "bo-console"
        text = getattr(self.under, "HELP", "")
        with VerticalScroll():
            yield Static(f"Help: {title}", classes="help-title")
            if text:
                yield Static(text, classes="help-body")
            yield Static("Keys", classes="help-title")
            yield Static(_table(self.rows), id="help-keys")
            yield Static(
                "Lists: / filter, enter open, n new, r refresh, x export. Dates accept t (today), "
                "+5, -1m and YYYY-MM-DD. Forms: ctrl+s saves, escape cancels. Escape goes back to "
                "Home; q or ctrl+q quits (after asking).",
                classes="help-body",
            )

    def action_close(self) -> None:
        self.dismiss(None)
