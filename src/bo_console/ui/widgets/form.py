"""A modal form: validation as you type, the error beside each field, ctrl+s to save.

A form is a list of :class:`FormField`; each field validates its own text as the person types
(``check`` returns an error message or None). On save, the form calls ``on_submit`` with the
values; that function calls a service, and a :class:`ValidationFailed` it raises is shown beside
the fields it names (any other :class:`BoError` on the form's message line). Escape cancels, and
asks first when something was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from bo_console.core.errors import BoError, ValidationFailed
from bo_console.ui.widgets.inputs import FieldInput

Check = Callable[[str], str | None]


@dataclass
class FormField:
    """One field of a form."""

    name: str
    label: str
    value: str = ""
    required: bool = False
    check: Check | None = None
    placeholder: str = ""
    suggestions: Sequence[str] = field(default_factory=tuple)
    password: bool = False
    help: str = ""

    def error_for(self, text: str) -> str | None:
        """The problem with ``text``, or None when it is acceptable."""
        if not text.strip():
            return f"{self.label} is required" if self.required else None
        return self.check(text) if self.check else None


def one_of(choices: Sequence[str], what: str = "value") -> Check:
    """A check that accepts only ``choices`` (for fields that complete from a list)."""
    allowed = set(choices)

    def check(text: str) -> str | None:
        return None if text.strip() in allowed else f"unknown {what} {text.strip()!r}"

    return check


def date_check(text: str) -> str | None:
    """Accept what ``core.dates.parse_date`` accepts (t, +5, -1m, ISO)."""
    from bo_console.core.dates import parse_date

    try:
        parse_date(text)
    except ValueError as exc:
        return str(exc)
    return None


Submit = Callable[[dict[str, str]], Any]


class FormScreen(ModalScreen[Any]):
    """A modal form; dismisses with whatever ``on_submit`` returned, or None when cancelled."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormScreen .form-title { text-style: bold; padding: 1 0 0 0; }
    FormScreen VerticalScroll { height: auto; max-height: 18; }
    FormScreen .field { height: auto; margin-top: 1; }
    FormScreen .field-error.-empty { display: none; }
    FormScreen .field Label { width: 16; padding: 0 1 0 0; text-align: right; }
    FormScreen .field Input { width: 1fr; background: $boost; }
    FormScreen .field-error { color: $error; padding-left: 17; height: auto; }
    FormScreen .field-help { color: $text-muted; padding-left: 17; height: auto; }
    FormScreen #form-message { color: $error; height: auto; }
    FormScreen .buttons { height: auto; align-horizontal: right; margin: 1 0; }
    FormScreen Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        on_submit: Submit,
        *,
        save_label: str = "Save",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = {f.name: f for f in fields}
        self.on_submit = on_submit
        self.save_label = save_label
        self._initial = {f.name: f.value for f in fields}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, classes="form-title")
            last = list(self.fields)[-1]
            with VerticalScroll(can_focus=False):
                for f in self.fields.values():
                    with Horizontal(classes="field"):
                        yield Label(f.label + (" *" if f.required else ""), id=f"label-{f.name}")
                        yield FieldInput(
                            value=f.value,
                            placeholder=f.placeholder,
                            id=f"field-{f.name}",
                            advance_on_enter=f.name != last,
                            password=f.password,
                            compact=True,
                            suggester=SuggestFromList(f.suggestions, case_sensitive=False)
                            if f.suggestions
                            else None,
                        )
                    if f.help:
                        yield Static(f.help, classes="field-help")
                    yield Static("", id=f"error-{f.name}", classes="field-error -empty")
            yield Static("", id="form-message")
            with Horizontal(classes="buttons"):
                yield Button(
                    f"{self.save_label} (ctrl+s)", id="form-save", variant="primary", compact=True
                )
                yield Button("Cancel (esc)", id="form-cancel", compact=True)

    def on_mount(self) -> None:
        first = next(iter(self.fields))
        self.query_one(f"#field-{first}", Input).focus()

    def values(self) -> dict[str, str]:
        """The text of every field, as typed (trimmed)."""
        return {name: self.query_one(f"#field-{name}", Input).value.strip() for name in self.fields}

    def show_error(self, name: str, message: str | None) -> None:
        target = self.query_one(f"#error-{name}", Static)
        target.update(message or "")
        target.set_class(not message, "-empty")
        self.query_one(f"#field-{name}", Input).set_class(bool(message), "-invalid")

    @on(Input.Changed)
    def _validate_as_typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        spec = self.fields.get(name)
        if spec is None:
            return
        # An empty required field is only an error once the person tries to save.
        text = event.value
        self.show_error(name, spec.error_for(text) if text.strip() else None)
        self.query_one("#form-message", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter in the last field saves; in the others the field itself moved the focus on.
        if (event.input.id or "").removeprefix("field-") == list(self.fields)[-1]:
            self.action_save()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        values = self.values()
        problems = {name: spec.error_for(values[name]) for name, spec in self.fields.items()}
        for name, problem in problems.items():
            self.show_error(name, problem)
        if any(problems.values()):
            bad = next(name for name, problem in problems.items() if problem)
            self.query_one(f"#field-{bad}", Input).focus()
            self.query_one("#form-message", Static).update("Correct the fields marked in red.")
            return
        try:
            result = self.on_submit(values)
        except ValidationFailed as exc:
            shown = False
            for err in exc.errors:
                if err.field in self.fields:
                    self.show_error(err.field, err.message)
                    shown = True
            self.query_one("#form-message", Static).update(
                "" if shown and not exc.message else exc.message
            )
            return
        except BoError as exc:
            self.query_one("#form-message", Static).update(f"{exc.title}: {exc.message}")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        if self.values() == {k: v.strip() for k, v in self._initial.items()}:
            self.dismiss(None)
            return
        from bo_console.ui.widgets.confirm import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard what you typed?",
                title="Unsaved changes",
                confirm_label="Discard",
                cancel_label="Keep editing",
            ),
            answered,
        )
