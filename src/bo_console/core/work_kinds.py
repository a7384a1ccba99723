"""Kinds of work item: each department contributes the kinds of work that land in its inbox.

A kind names its owning department (whose inbox it lands in; None lets the sender choose, as
for the ``general`` kind), its states and the moves allowed between them, which states close an
item, and a service level: how many days after it is raised an item is due when the sender
gives no date. Departments declare their kinds in a ``kinds`` module of their own;
:func:`bo_console.departments.work_kinds` lists them all, and the registry here reads that list
once, on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bo_console.core.errors import ValidationFailed

STANDARD_MOVES: Mapping[str, tuple[str, ...]] = {
    "open": ("in_progress", "done", "cancelled"),
    "in_progress": ("open", "done", "cancelled"),
    "done": ("open",),
    "cancelled": ("open",),
}
"""Open, being worked, done or cancelled; a closed item can be reopened."""

STANDARD_CLOSED = frozenset({"done", "cancelled"})


@dataclass(frozen=True)
class WorkKind:
    """One kind of work item and its small state machine."""

    code: str
    title: str
    dept: str | None = None
    sla_days: int | None = None
    moves: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(STANDARD_MOVES))
    closed: frozenset[str] = STANDARD_CLOSED
    start: str = "open"
    working: str = "in_progress"
    """The state an open item moves to when someone takes it (assignment)."""
    by_service: frozenset[str] = frozenset()
    """States only the department's own service sets, as it does the work (an approval)."""
    service_hint: str = ""
    """How to reach those states instead (shown when someone tries to move there by hand)."""

    @property
    def states(self) -> tuple[str, ...]:
        """Every state, the start first."""
        seen = [self.start]
        for state, targets in self.moves.items():
            for s in (state, *targets):
                if s not in seen:
                    seen.append(s)
        return tuple(seen)

    def next_states(self, state: str) -> tuple[str, ...]:
        """Where an item in ``state`` may go."""
        return tuple(self.moves.get(state, ()))

    def allows(self, before: str, after: str) -> bool:
        return after in self.moves.get(before, ())

    def is_closed(self, state: str) -> bool:
        return state in self.closed


GENERAL = WorkKind("general", "General request")
"""Free-text work for any department: what every item was before kinds existed."""

_registry: dict[str, WorkKind] | None = None


def _check(kind: WorkKind) -> None:
    states = kind.states
    missing = [s for s in (*kind.closed, kind.working) if s not in states]
    if missing:
        raise ValueError(f"work kind {kind.code}: unknown states {missing}")
    if kind.is_closed(kind.start):
        raise ValueError(f"work kind {kind.code}: starts closed")


def install(kinds: Iterable[WorkKind]) -> None:
    """Use exactly ``kinds`` (plus ``general``) as the registry."""
    global _registry
    registry = {GENERAL.code: GENERAL}
    for kind in kinds:
        _check(kind)
        if kind.code in registry and registry[kind.code] != kind:
            raise ValueError(f"work kind {kind.code!r} is declared twice")
        registry[kind.code] = kind
    _registry = registry


def registry() -> dict[str, WorkKind]:
    """Every kind, by code (read from the departments on first use)."""
    if _registry is None:
        # The composition root (``departments``) lists each department's kinds. It is found by
        # name, as the app shell finds department screens, so the core imports no department
        # and each department's kinds module stays in its own slice.
        departments = importlib.import_module("bo_console.departments")
        install(departments.work_kinds())
    assert _registry is not None
    return _registry


def kind(code: str) -> WorkKind:
    """The kind ``code``.

    Raises:
        ValidationFailed: no such kind (the known ones are listed).
    """
    found = registry().get(code)
    if found is None:
        raise ValidationFailed(f"unknown kind {code!r} (one of: {', '.join(sorted(registry()))})")
    return found


def kind_of(code: str) -> WorkKind:
    """The kind of a stored item; an item of a kind this build no longer declares reads as
    ``general`` (so it can still be worked and closed)."""
    return registry().get(code, GENERAL)
