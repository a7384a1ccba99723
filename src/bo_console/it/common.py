"""What every IT service module shares: the clock, employees seen from IT, and pydantic
refusals turned into the console's own errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from bo_console.core.errors import FieldError, NotFound, ValidationFailed
from bo_console.it.moment import clock_at as clock_at
from bo_console.it.moment import now as now

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.service.directory import Person

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: BaseModel | dict[str, Any]) -> M:
    """``data`` validated as ``model`` (a ``table=True`` model skips validation, so services
    validate what they are given through the Create/Update model)."""
    raw = data.model_dump() if isinstance(data, BaseModel) else data
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = [
            FieldError(".".join(str(p) for p in err["loc"]) or "input", _plain(err["msg"]))
            for err in exc.errors()
        ]
        raise ValidationFailed("; ".join(str(e) for e in errors), errors) from None


def _plain(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def employee(session: Session, number: str) -> Person:
    """The employee with this number (HR's directory; IT reads nothing else of HR).

    Raises:
        NotFound: no such employee.
    """
    from bo_console.hr.service import directory

    return directory.person(session, number)


def employees_by_id(session: Session, ids: set[int]) -> dict[int, Person]:
    """Employees by id (for lists that show custodians)."""
    from bo_console.hr.service import directory

    return directory.people_by_id(session, ids)


def require_found(value: Any, what: str) -> Any:
    if value is None:
        raise NotFound(f"no {what}")
    return value
