"""Table cells as plain text: user data must never be read as Rich markup."""

from __future__ import annotations

from rich.text import Text

from bo_console.ui.widgets.bidi import visual


def cells(*values: object) -> list[Text]:
    """Each value as literal text (``[brackets]`` in a subject stay brackets)."""
    return [Text("" if v is None else visual(str(v))) for v in values]
