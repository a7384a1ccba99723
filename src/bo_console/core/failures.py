"""How a ``bo`` process ends when something goes wrong: one line on stderr and an exit code.

Shared by the command line and the console's own fast start (:mod:`bo_console.console`), and
free of the command-line machinery so that the console need not import it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
    full = _disk_full(exc)
    if full is not None:
        return fail(full, int(ExitCode.ERROR))
    if _is_locked(exc):
        return fail(
            "busy: the database is held by another writer; try again when it ends, "
            "or pass --wait SECONDS to queue behind it",
            int(ExitCode.BUSY),
        )
    known = _known_store_error(exc)
    if known is not None:
        return fail(known, int(ExitCode.STORE))
    if os.environ.get("BO_DEBUG"):
        raise exc
    return fail(crash_message(exc), int(ExitCode.INTERNAL))


def crash_message(exc: BaseException) -> str:
    """One line for an unexpected error: its kind and where the full report went.

    The exception's own text stays out of it (it may quote a record: a name, a salary), and
    so do the program's internals; the traceback goes to a crash log that only the person
    running ``bo`` can read (:func:`write_crash_log`).
    """
    kind = exc.__class__.__name__
    try:
        log = write_crash_log(exc)
    except OSError as problem:
        return (
            f"internal error ({kind}); no crash log could be written ({problem.strerror}). "
            "Set BO_DEBUG=1 and run the command again to see the details"
        )
    return f"internal error ({kind}); the details are in {log} (readable by you only)"


def crash_dir() -> Path:
    """Where crash logs go: the user's state directory (``$XDG_STATE_HOME/bo-console``)."""
    from platformdirs import user_state_path

    return user_state_path("bo-console") / "crashes"


def write_crash_log(exc: BaseException) -> Path:
    """Write ``exc``'s traceback to a new file that only its owner may read; return its path.

    The file is created exclusively (never through a link someone left there) in a
    directory that is the owner's alone.
    """
    import traceback
    from datetime import UTC, datetime

    folder = crash_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(f"bo-console crash at {stamp}, pid {os.getpid()}\n")
        fh.write(f"command line: {' '.join(sys.argv)}\n\n")
        fh.write("".join(traceback.format_exception(exc)))
    return path


def _disk_full(exc: BaseException) -> str | None:
    """A full disk or exhausted quota, as one line (the user's to fix, not a bug)."""
    import errno

    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError) and orig.errno in (errno.ENOSPC, errno.EDQUOT):
        where = f" writing {orig.filename}" if orig.filename else ""
        if _is_stdout_failure(orig):
            _drop_stdout()
            where = " writing the output"
        return f"no space left on the device{where}; nothing more was written"
    if type(orig).__name__ == "OperationalError" and "database or disk is full" in str(orig):
        return "the database's disk is full; nothing was changed. Free some space and try again"
    return None


def _is_stdout_failure(exc: OSError) -> bool:
    return exc.filename is None


def _drop_stdout() -> None:
    """Throw away what could not be written, so the exit does not try (and fail) again."""
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # lives until the process ends
    except OSError:
        pass


def _is_locked(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None) or exc
    return type(orig).__name__ == "OperationalError" and "database is locked" in str(orig)


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
