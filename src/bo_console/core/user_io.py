"""Importing and exporting console users: the first user of the shared import/export module."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bo_console.core import io
from bo_console.core.errors import ValidationFailed
from bo_console.core.security import (
    ROLES,
    Actor,
    add_user,
    list_users,
    set_active,
    validate_login,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads

COLUMNS = [
    io.Column("login", help="the person's OS account name"),
    io.Column("full_name", required=False, help="full name, Latin or Arabic"),
    io.Column("roles", help="role names separated by ';'"),
    io.Column("active", required=False, help="yes (default) or no: add the user disabled"),
]
EXPORT_COLUMNS = ["login", "full_name", "roles", "active"]
_YES = {"", "yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class UserRow:
    login: str
    full_name: str
    roles: tuple[str, ...]
    active: bool = True


def import_users(session: Session, actor: Actor, path: Path, *, dry_run: bool = False) -> list[str]:
    """Validate the whole file, then add every user in the caller's transaction; returns the
    logins of the file's users (added, or valid on a dry run).

    Raises:
        ImportRejected: any row is wrong (nothing is written); its report names row and column.
    """
    from sqlmodel import select

    from bo_console.core.models import User

    actor.require("users.admin", "import users")
    existing = set(session.exec(select(User.login)).all())
    seen: dict[str, int] = {}

    def parse(number: int, record: dict[str, str], report: io.ImportReport) -> UserRow | None:
        ok = True
        login = record.get("login", "")
        try:
            login = validate_login(login)
        except ValidationFailed as exc:
            report.add(number, "login", exc.message)
            ok = False
        else:
            if login in existing:
                report.add(number, "login", f"{login!r} is already a console user")
                ok = False
            elif login in seen:
                report.add(number, "login", f"{login!r} also appears in row {seen[login]}")
                ok = False
            else:
                seen[login] = number
        roles = tuple(r.strip() for r in record.get("roles", "").split(";") if r.strip())
        if not roles:
            report.add(number, "roles", "at least one role is needed")
            ok = False
        for role in roles:
            if role not in ROLES:
                report.add(number, "roles", f"unknown role {role!r}")
                ok = False
        full_name = record.get("full_name", "")
        if len(full_name) > 120:
            report.add(number, "full_name", "longer than 120 characters")
            ok = False
        active_text = record.get("active", "").lower()
        if active_text not in _YES | _NO:
            report.add(number, "active", f"{record.get('active')!r} is not yes or no")
            ok = False
        return UserRow(login, full_name, roles, active_text in _YES) if ok else None

    rows = io.read_validated(path, COLUMNS, parse)
    if not dry_run:
        for row in rows:
            add_user(session, actor, login=row.login, roles=row.roles, full_name=row.full_name)
            if not row.active:
                set_active(session, actor, login=row.login, active=False)
    return [row.login for row in rows]


def export_users(db: Reads, actor: Actor, path: Path, fmt: str | None = None) -> int:
    """Write every user to ``path`` (format from ``fmt`` or the file suffix), read through a
    Reader or a session."""
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx", "json"):
        raise ValidationFailed(f"cannot tell the format of {path.name}; use --format csv|xlsx|json")
    users = list_users(db, actor)
    rows = [
        {"login": u.login, "full_name": u.full_name, "roles": ";".join(u.roles), "active": u.active}
        for u in users
    ]
    io.write_file(rows, EXPORT_COLUMNS, path, fmt)
    return len(rows)
