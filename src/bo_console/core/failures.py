"""How a ``bo`` process ends when something goes wrong: one line on stderr and an exit code.

Shared by the command line and the console's own fast start (:mod:`bo_console.console`), and
free of the command-line machinery so that the console need not import it.
"""

from __future__ import annotations

import os
import sys

from bo_console.core.errors import BoError, ExitCode, ValidationFailed


def fail(message: str, code: int) -> int:
    """Say ``message`` as ``bo: ...`` on stderr; return ``code``."""
    sys.stderr.write(f"bo: {message}\n")
    return code


def exit_code_for(exc: BaseException) -> int:
    """Report ``exc`` in one line (plus a row per problem of a rejected file or form) and
    return the exit code. Re-raises an unexpected error when ``BO_DEBUG`` is set."""
    if isinstance(exc, BoError):
        code = fail(
            f"{exc.title}: {exc.message}" if exc.exit_code else exc.message, int(exc.exit_code)
        )
        _report_field_errors(exc)
        return code
    if isinstance(exc, KeyboardInterrupt):
        return fail("interrupted", 130)
    if isinstance(exc, BrokenPipeError):
        return 0
    known = _known_store_error(exc)
    if known is not None:
        return fail(known, int(ExitCode.STORE))
    if os.environ.get("BO_DEBUG"):
        raise exc
    return fail(
        f"internal error: {exc.__class__.__name__}: {exc} (set BO_DEBUG=1 for details)",
        int(ExitCode.INTERNAL),
    )


def _report_field_errors(exc: BoError, limit: int = 50) -> None:
    """Under the headline, each problem of an import or a form: row, column, reason."""
    if not isinstance(exc, ValidationFailed) or not exc.errors:
        return
    only = exc.errors[0]
    if len(exc.errors) == 1 and only.row is None and only.message in exc.message:
        return  # the headline already says it: one line is enough
    for error in exc.errors[:limit]:
        where = f"row {error.row}, column {error.field}" if error.row is not None else error.field
        sys.stderr.write(f"  {where}: {error.message}\n")
    if len(exc.errors) > limit:
        sys.stderr.write(f"  ... and {len(exc.errors) - limit} more\n")


def _known_store_error(exc: BaseException) -> str | None:
    """Database errors that are the environment's fault, as one line."""
    module = type(exc).__module__
    # DatabaseError itself is "file is not a database"; its subclass IntegrityError is not here.
    if module.startswith(("sqlalchemy", "sqlite3")) and exc.__class__.__name__ in (
        "OperationalError",
        "DatabaseError",
    ):
        orig = getattr(exc, "orig", None) or exc
        return f"database: {orig}"
    if isinstance(exc, PermissionError | FileNotFoundError | IsADirectoryError):
        return f"{exc.strerror}: {exc.filename}"
    return None
