"""A modal form for one service call: fields map to a pydantic Create model, saving calls one
:class:`~bo_console.ui.kit.actions.ServiceAction`.

The form validates as you type (each :class:`FormField`'s check), then on ``ctrl+s`` builds the
model from the fields (a ``convert`` turns a field's text into the model's value: a date, a
number, a list of lines); pydantic's refusals and the service's are shown beside the field they
name, or on the form's message line, and the form stays open with what was typed. Nothing is
written on bad input: the service runs in one transaction, committed only when it returns.

    form_dialog(self, FormSpec(
        "Register a customer", CustomerRegistration,
        [FormField("name", "Name", required=True), FormField("tax_number", "VAT number")],
        action=lambda data: ServiceAction(
            "Register customer", "Register",
            work=lambda s, a: service.register_customer(s, a, data),
            message="", done=lambda party: self.notify(f"registered {party.code}"),
            topics=("front.requests",)),
    ))

With ``ask=True`` the action is tried in a rolled-back transaction at save (a refusal stays
beside the fields), then its message asks for confirmation, then it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bo_console.core.errors import FieldError, ValidationFailed
from bo_console.ui.kit.actions import ServiceAction, confirm, dry_run, write
from bo_console.ui.kit.events import announce
from bo_console.ui.widgets.form import FormField, FormScreen

if TYPE_CHECKING:
    # pydantic only when a form is saved: the console opens without loading it.
    from pydantic import BaseModel
    from pydantic import ValidationError as PydanticError
    from textual.widget import Widget

M = TypeVar("M", bound="BaseModel")
T = TypeVar("T")

Convert = Callable[[str], object]


@dataclass(frozen=True)
class FormSpec(Generic[M, T]):
    """A form dialog: its title, the Create model, the fields (named as the model's fields),
    how to convert a field's text, and the action the model becomes."""

    title: str
    model: type[M]
    fields: Sequence[FormField]
    action: Callable[[M], ServiceAction[T]]
    convert: Mapping[str, Convert] = field(default_factory=dict)
    save_label: str = "Save"
    ask: bool = False
    """Confirm with the action's message before it runs (after a dry run at save)."""


def _field_errors(exc: PydanticError, names: Sequence[str]) -> ValidationFailed:
    errors: list[FieldError] = []
    loose: list[str] = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if loc and loc[0] in names:
            errors.append(FieldError(loc[0], message))
        else:
            where = ".".join(loc)
            loose.append(f"{where}: {message}" if where else message)
    return ValidationFailed("; ".join(loose), errors)


def build_model(spec: FormSpec[M, Any], values: Mapping[str, str]) -> M:
    """The Create model from the form's text: empty fields are left to the model's defaults,
    ``convert`` turns text into values; a refusal names the field.

    Raises:
        ValidationFailed: the model or a conversion refused a value.
    """
    data: dict[str, object] = {}
    errors: list[FieldError] = []
    for name, text in values.items():
        if not text.strip():
            continue
        converter = spec.convert.get(name)
        if converter is None:
            data[name] = text
            continue
        try:
            data[name] = converter(text)
        except ValidationFailed as exc:
            # A conversion names its own field ("date"); the form knows it by this name.
            errors += [FieldError(name, e.message) for e in exc.errors] or [
                FieldError(name, exc.message)
            ]
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    if errors:
        raise ValidationFailed("", errors)
    from pydantic import ValidationError as PydanticError

    try:
        return spec.model.model_validate(data)
    except PydanticError as exc:
        raise _field_errors(exc, list(values)) from None


def form_dialog(
    widget: Widget, spec: FormSpec[M, T], *, dismissed: Callable[[T | None], None] | None = None
) -> None:
    """Open the form; on save, build the model and run the action (see the module's text).
    ``dismissed`` gets the action's result, or None when the form was cancelled (or, with
    ``ask``, the confirmation refused)."""

    last: list[ServiceAction[T]] = []

    def after(outcome: tuple[bool, object] | None) -> None:
        if outcome is None:
            if dismissed is not None:
                dismissed(None)
            return
        ran, value = outcome
        if ran:
            action = last[0]
            action.done(value)  # type: ignore[arg-type]
            announce(widget, *action.topics)
            if dismissed is not None:
                dismissed(value)  # type: ignore[arg-type]
            return
        assert isinstance(value, ServiceAction)
        confirm(widget, _reporting(value, dismissed))

    def on_submit(values: dict[str, str]) -> tuple[bool, object]:
        action = spec.action(build_model(spec, values))
        last[:] = [action]
        if spec.ask:
            if action.dry_run:
                dry_run(widget, action.work)
            return False, action
        return True, write(widget, action.work)

    widget.app.push_screen(
        FormScreen(spec.title, spec.fields, on_submit, save_label=spec.save_label), after
    )


def _reporting(
    action: ServiceAction[T], dismissed: Callable[[T | None], None] | None
) -> ServiceAction[T]:
    if dismissed is None:
        return action

    def done(value: T) -> None:
        action.done(value)
        dismissed(value)

    return ServiceAction(
        action.title,
        action.confirm_label,
        action.work,
        action.message,
        done,
        topics=action.topics,
        dry_run=action.dry_run,
        destructive=action.destructive,
    )
