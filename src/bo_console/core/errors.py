"""Errors that services raise and both faces (CLI and TUI) know how to show.

Every expected failure is a :class:`BoError`; its ``exit_code`` is what the CLI exits with.
This module imports nothing heavy so the CLI can use it at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    ERROR = 1  # business rule or validation error, or a record not found
    USAGE = 2  # wrong command line (Click's own code for usage errors)
    PERMISSION = 3  # permission denied, or an OS user who is not a console user
    BUSY = 4  # another copy of the job holds the lock
    INTEGRITY = 5  # a check found the store damaged or tampered with
    STORE = 6  # no database, or its schema is older or newer than this program
    INTERNAL = 70  # a bug: an unexpected exception


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (or one cell of an imported file)."""

    field: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


class BoError(Exception):
    """Base class of every expected failure."""

    exit_code: ExitCode = ExitCode.ERROR
    title: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(BoError):
    """Input does not satisfy the rules; ``errors`` names each field."""

    title = "invalid input"

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.errors: list[FieldError] = errors or []


class NotFound(BoError):
    """The record asked for does not exist."""

    title = "not found"


class RuleViolation(BoError):
    """A business rule forbids the change (a posted entry, a closed period, ...)."""

    title = "not allowed"


class PermissionDenied(BoError):
    """The acting user lacks a permission."""

    exit_code = ExitCode.PERMISSION
    title = "permission denied"


class UnknownUser(PermissionDenied):
    """The OS account is not registered as a console user, or is disabled."""

    title = "unknown user"


class Busy(BoError):
    """Another copy of a job holds its lock."""

    exit_code = ExitCode.BUSY
    title = "busy"


class StoreLocked(Busy):
    """Another writer held the store for longer than this unit of work would wait."""


class IntegrityProblem(BoError):
    """A check found damaged or tampered data."""

    exit_code = ExitCode.INTEGRITY
    title = "integrity problem"


class StoreUnavailable(BoError):
    """The database is missing, unreadable, or its schema does not match this program."""

    exit_code = ExitCode.STORE
    title = "database"


class UsageProblem(BoError):
    """The command line is wrong in a way Click cannot see (for example a missing --yes)."""

    exit_code = ExitCode.USAGE
    title = "usage"


class AlreadyDone(BoError):
    """A job already ran for this key; nothing was changed. Not a failure (exit 0)."""

    exit_code = ExitCode.OK
    title = "nothing to do"
