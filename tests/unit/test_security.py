"""Identity, users and roles, and the role x action matrix over the core's actions."""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from bo_console.core import audit, inbox, jobs, maintenance, security
from bo_console.core.db import Store
from bo_console.core.errors import (
    NotFound,
    PermissionDenied,
    RuleViolation,
    UnknownUser,
    ValidationFailed,
)
from bo_console.core.security import ROLES, Actor, Identity


def test_identity_is_the_os_account_not_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "admin")
    monkeypatch.setenv("LOGNAME", "admin")
    assert security.os_identity().os_user == pwd.getpwuid(os.getuid()).pw_name


def test_origin_names_the_ssh_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.1.2.3 52514 10.0.0.1 22")
    assert security.session_origin() == "ssh 10.1.2.3"


def test_unknown_os_user_is_refused_with_the_fix(store: Store) -> None:
    with store.read() as session, pytest.raises(UnknownUser, match="bo users add mallory"):
        security.sign_in(session, Identity("mallory", "test"))


def test_disabled_user_is_refused(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    make_user("omar", "finance-clerk")
    with store.write() as session:
        security.set_active(session, admin, login="omar", active=False)
    with store.read() as session, pytest.raises(UnknownUser, match="disabled"):
        security.sign_in(session, Identity("omar", "test"))


def test_user_rules(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> None:
    with store.write() as session:
        with pytest.raises(ValidationFailed, match="invalid login"):
            security.add_user(session, admin, login="Bad Name", roles=["analyst"])
        with pytest.raises(ValidationFailed, match="unknown role"):
            security.add_user(session, admin, login="x", roles=["wizard"])
        with pytest.raises(ValidationFailed, match="at least one role"):
            security.add_user(session, admin, login="x", roles=[])
        with pytest.raises(RuleViolation, match="already exists"):
            security.add_user(session, admin, login="boadmin", roles=["analyst"])
        with pytest.raises(RuleViolation, match="last active admin"):
            security.revoke_role(session, admin, login="boadmin", role="admin")
        with pytest.raises(RuleViolation, match="yourself"):
            security.set_active(session, admin, login="boadmin", active=False)
        with pytest.raises(NotFound):
            security.grant_role(session, admin, login="ghost", role="analyst")
    second = make_user("root2", "admin")
    with store.write() as session:
        assert security.revoke_role(session, second, login="boadmin", role="admin")
        # ``admin`` still holds its signed-in permissions; the rule is about the target.
        with pytest.raises(RuleViolation, match="last active admin"):
            security.set_active(session, admin, login="root2", active=False)
        assert not security.grant_role(session, second, login="root2", role="admin")


def test_every_role_uses_known_permissions() -> None:
    for role in ROLES.values():
        assert role.permissions <= set(security.PERMISSIONS), role.name
    assert ROLES["auditor"].permissions.isdisjoint(
        {p for p in security.PERMISSIONS if not p.endswith(".read")} - {"audit.read"}
    )


# -- the matrix ------------------------------------------------------------------------------

Action = Callable[[Store, Actor, Path], object]


def _add_user(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.add_user(s, actor, login="newbie", roles=["analyst"])


def _grant(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.grant_role(s, actor, login="target", role="analyst")


def _revoke(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.revoke_role(s, actor, login="target", role="it-clerk")


def _disable(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.set_active(s, actor, login="target", active=False)


def _list_users(store: Store, actor: Actor, tmp: Path) -> object:
    with store.read() as s:
        return security.list_users(s, actor)


def _audit_log(store: Store, actor: Actor, tmp: Path) -> object:
    with store.read() as s:
        return audit.query_log(s, actor, audit.AuditFilter())


def _jobs_list(store: Store, actor: Actor, tmp: Path) -> object:
    with store.read() as s:
        return jobs.list_runs(s, actor)


def _backup(store: Store, actor: Actor, tmp: Path) -> object:
    return maintenance.backup(store, actor, tmp / f"b-{actor.login}.db")


def _check(store: Store, actor: Actor, tmp: Path) -> object:
    return maintenance.check(store, actor)


def _inbox_read(dept: str) -> Action:
    def act(store: Store, actor: Actor, tmp: Path) -> object:
        with store.read() as s:
            return inbox.list_items(s, actor, dept=dept)

    return act


def _inbox_done(dept: str) -> Action:
    def act(store: Store, actor: Actor, tmp: Path) -> object:
        with store.write() as s:
            item = inbox.create_item(
                s,
                _admin(s),
                from_dept="front",
                item=inbox.NewWorkItem(to_dept=dept, kind="k", subject="s"),
            )
            assert item.id is not None
            return inbox.set_status(s, actor, item.id, "done")

    return act


def _admin(session: object) -> Actor:
    from sqlmodel import Session

    assert isinstance(session, Session)
    return security.actor_for_login(session, "boadmin")


ACTIONS: dict[str, tuple[Action, set[str]]] = {
    "add user": (_add_user, {"admin"}),
    "grant": (_grant, {"admin"}),
    "revoke": (_revoke, {"admin"}),
    "disable": (_disable, {"admin"}),
    "list users": (_list_users, {"admin", "auditor"}),
    "audit log": (_audit_log, {"admin", "auditor"}),
    "jobs list": (_jobs_list, {"admin", "auditor"}),
    "db backup": (_backup, {"admin"}),
    "db check": (_check, {"admin", "auditor"}),
    "finance inbox read": (
        _inbox_read("finance"),
        {"admin", "auditor", "analyst", "finance-clerk", "finance-manager"},
    ),
    "hr inbox read": (
        _inbox_read("hr"),
        {"admin", "auditor", "analyst", "hr-clerk", "hr-manager", "payroll-officer"},
    ),
    "it inbox done": (_inbox_done("it"), {"admin", "it-clerk", "it-manager"}),
    "data inbox done": (_inbox_done("data"), {"admin", "data-manager"}),
}


def _footprint(store: Store) -> tuple[int, ...]:
    tables = ["audit_event", "console_user", "user_role", "work_item", "job_run"]
    with store.read() as s:
        return tuple(
            int(s.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0) for t in tables
        )


@pytest.mark.parametrize("action_name", list(ACTIONS))
def test_role_action_matrix(
    store: Store, admin: Actor, make_user: Callable[..., Actor], tmp_path: Path, action_name: str
) -> None:
    action, allowed = ACTIONS[action_name]
    make_user("target", "it-clerk")
    for role in ROLES:
        actor = make_user(f"u-{role}", role)
        before = _footprint(store)
        if role in allowed:
            action(store, actor, tmp_path)
            # Undo what a successful write did so the next role starts from the same place.
            with store.write() as s:
                s.execute(text("UPDATE console_user SET active = 1 WHERE login = 'target'"))
                s.execute(
                    text(
                        "DELETE FROM user_role WHERE user_id IN (SELECT id FROM "
                        "console_user WHERE login IN ('newbie'))"
                    )
                )
                s.execute(text("DELETE FROM console_user WHERE login = 'newbie'"))
                s.execute(
                    text(
                        "DELETE FROM user_role WHERE role = 'analyst' AND user_id = "
                        "(SELECT id FROM console_user WHERE login = 'target')"
                    )
                )
                s.execute(
                    text(
                        "INSERT OR IGNORE INTO user_role (user_id, role, granted_at, "
                        "granted_by) SELECT id, 'it-clerk', '2026-01-01', 'test' FROM "
                        "console_user WHERE login = 'target'"
                    )
                )
        else:
            with pytest.raises(PermissionDenied):
                action(store, actor, tmp_path)
            assert _footprint(store) == before, f"{role} changed something on a denied action"
