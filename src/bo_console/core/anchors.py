"""Audit anchors: the chain's head, written from cron where the database's writers cannot reach.

The hash chain proves that no audit row was changed or removed from the middle, but someone who
can write the database file can delete the newest rows and fix the sequence, and the shorter
chain is still whole. ``bo audit anchor`` appends the head (``ID:HASH``) to an anchor file
that belongs to the account running it (mode 0600 or 0644 in a directory only it can write:
root's cron, or a dedicated account's), and optionally to the system log. ``bo audit verify``
then checks the chain against the newest anchor by default: a row deleted or rewritten since
is found.

The anchor directory is ``--anchor-dir``, else ``$BO_AUDIT_ANCHORS``, else the user's state
directory (``$XDG_STATE_HOME/bo-console/anchors``). One file per database, named after it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bo_console.core.errors import RuleViolation, ValidationFailed

ENV_DIR = "BO_AUDIT_ANCHORS"


@dataclass(frozen=True)
class Anchor:
    """One recorded head: when, and the row id and hash it was."""

    at: str
    row_id: int
    digest: str


def anchor_dir(option: Path | None = None) -> Path:
    """The directory anchors go to (and are read from)."""
    if option is not None:
        return option
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    from platformdirs import user_state_path

    return user_state_path("bo-console") / "anchors"


def anchor_file(store_label: str, folder: Path) -> Path:
    """The file holding the anchors of the database ``store_label`` in ``folder``."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(store_label).name)
    digest = hashlib.sha256(store_label.encode()).hexdigest()[:12]
    return folder / f"{stem[:40]}-{digest}.anchors"


def loose(path: Path) -> str | None:
    """Why ``path`` (a file or directory) cannot be trusted to hold anchors, or None: anyone
    but its owner may write it, or its owner is neither root nor this account."""
    info = path.stat()
    if info.st_uid not in (0, os.geteuid()):
        return f"{path} belongs to another account (uid {info.st_uid})"
    if stat.S_IMODE(info.st_mode) & 0o022:
        return f"{path} can be written by others than its owner (mode {info.st_mode & 0o777:o})"
    return None


def append(path: Path, store_label: str, row_id: int, digest: str) -> Anchor:
    """Append an anchor line to ``path``, created 0600 in a 0700 directory if need be.

    Raises:
        RuleViolation: the file or its directory can be written by someone else (an anchor
            that others may rewrite proves nothing).
    """
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    for place in (folder, path):
        problem = loose(place) if place.exists() else None
        if problem is not None:
            raise RuleViolation(f"{problem}; anchors must be writable by their owner only")
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, f"{at} {row_id}:{digest} {store_label}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return Anchor(at, row_id, digest)


def to_syslog(store_label: str, row_id: int, digest: str) -> None:
    """Send the anchor to the system log too (auth facility), where ``bo`` users cannot edit it."""
    import syslog

    syslog.openlog("bo-console", 0, syslog.LOG_AUTH)
    syslog.syslog(syslog.LOG_NOTICE, f"audit anchor {row_id}:{digest} db={store_label}")
    syslog.closelog()


def latest(path: Path) -> Anchor | None:
    """The newest anchor in ``path``; None when the file does not exist.

    Raises:
        ValidationFailed: the file cannot be read or its last line is not an anchor.
    """
    if not path.exists():
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"cannot read the anchor file {path}: {exc}") from exc
    lines = [line for line in lines if line.strip()]
    if not lines:
        return None
    try:
        at, head = lines[-1].split()[:2]
        rid, digest = head.split(":", 1)
        return Anchor(at, int(rid), digest)
    except ValueError as exc:
        raise ValidationFailed(f"{path}: its last line is not an anchor") from exc
