"""Text input that keeps keystrokes in order when they arrive in a burst.

Over SSH, from a wedge barcode scanner or from a fast typist, several keys reach the program
in one read. Textual's stock Input inserts printable keys at once but runs editing keys
(backspace, arrows) and focus keys (tab, enter) later, as bindings, so a burst such as
``ab<BS>c<TAB>d`` comes out wrong. This input handles those keys itself, in arrival order, runs the
form's own keys (ctrl+s, ctrl+n, escape) in their place in that order too, and hands keys that
arrive after the focus has moved on to the widget that now has it.

With the ``bidi`` setting on, a field that is not being edited draws its Arabic in visual
order, as tables and cards do (:mod:`bo_console.ui.widgets.bidi`); the field with the cursor
shows the stored order it edits, so the cursor stands where the next letter goes.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Input

from bo_console.ui.widgets import bidi

_EDIT_ACTIONS = {
    "backspace": "delete_left",
    "delete": "delete_right",
    "left": "cursor_left",
    "right": "cursor_right",
    "home": "home",
    "end": "end",
    "ctrl+left": "cursor_left_word",
    "ctrl+right": "cursor_right_word",
    "ctrl+w": "delete_left_word",
    "ctrl+u": "delete_left_all",
    "ctrl+k": "delete_right_all",
}


class FieldInput(Input):
    """An Input for forms and filters; ``advance_on_enter`` moves to the next field on Enter."""

    def __init__(self, *args: object, advance_on_enter: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.advance_on_enter = advance_on_enter

    @property
    def _value(self) -> Text:
        """The value as drawn: in visual order (bidi on) unless the cursor is in the field."""
        if self.password or self.has_focus or not bidi.enabled():
            return super()._value
        shown = bidi.visual(self.value)
        if shown == self.value:
            return super()._value
        return Text(shown, no_wrap=True, overflow="ignore", end="")

    def _reordered(self) -> bool:
        """Whether the value is drawn otherwise at rest than while edited."""
        return bidi.enabled() and not self.password and bidi.visual(self.value) != self.value

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if self._reordered():
            self.refresh(layout=True)

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        if self._reordered():
            self.refresh(layout=True)

    async def _on_key(self, event: events.Key) -> None:
        target = self.app.focused
        if target is not self:
            # Typed ahead of a focus change: give the key to whoever has the focus now.
            event.stop()
            event.prevent_default()
            (target or self.app.screen).post_message(events.Key(event.key, event.character))
            return
        action = _EDIT_ACTIONS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)
            return
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            if self.advance_on_enter:
                self.screen.focus_next()
            return
        if not event.is_printable:
            # A form's own keys (ctrl+s, ctrl+n, escape...) would otherwise run only once the
            # key has bubbled up to the app, after the keys queued behind it here were typed.
            active = self.screen.active_bindings.get(event.key)
            if active is not None and active.enabled:
                event.stop()
                event.prevent_default()
                await self.app.run_action(active.binding.action, active.node)
                return
        await super()._on_key(event)
