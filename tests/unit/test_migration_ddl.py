"""The trigger DDL a migration writes stays byte for byte what databases already hold.

SQLite keeps a trigger's text as it was written (``sqlite_master.sql``); a migration that is
tidied up (its triggers built with :mod:`bo_console.core.guards`) must still write the very
same statements, or two stores built before and after would differ. Each revision's statements
are recorded through a stand-in for Alembic's ``op`` and compared with their digest.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest


class RecordingOp:
    """Alembic's ``op`` for one dialect: statements given to ``execute`` are kept, the rest
    (tables, indexes) is accepted and ignored."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.statements: list[str] = []

    def get_bind(self) -> Any:
        return SimpleNamespace(dialect=SimpleNamespace(name=self.dialect))

    def execute(self, statement: object) -> None:
        self.statements.append(str(statement))

    def f(self, name: str) -> str:
        return name

    @contextmanager
    def batch_alter_table(self, *_args: object, **_kwargs: object) -> Iterator[Any]:
        yield SimpleNamespace(
            create_index=lambda *a, **k: None,
            drop_index=lambda *a, **k: None,
            f=self.f,
        )

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def statements(revision: str, dialect: str, step: str, monkeypatch: pytest.MonkeyPatch) -> str:
    module = importlib.import_module(f"bo_console.migrations.versions.{revision}")
    op = RecordingOp(dialect)
    monkeypatch.setattr(module, "op", op)
    getattr(module, step)()
    return "\n;\n".join(op.statements)


# Digests of what 0006 and 0007 wrote when they were first released (sha256 of the
# statements, in order, joined by "\n;\n").
DIGESTS = {
    ("0006_it", "sqlite", "upgrade"): (
        "9a1548bf63f1218e3bc408b500c7e5b726a9f17b0132640182d720ae0d777df3"
    ),
    ("0006_it", "sqlite", "downgrade"): (
        "cff4956a7f30f97d4116e68769c992738de8b8c853079fc2111062f095b4bc28"
    ),
    ("0006_it", "postgresql", "upgrade"): (
        "9cb8f6bac9795338e7a48c354ae71f5e93c5b45f8efc9022d1ac5e4fe2b2ca3f"
    ),
    ("0006_it", "postgresql", "downgrade"): (
        "8428c34d4557bc8fb4e790e8ef594269feb9a29db09c74be7265ddc60003aa2c"
    ),
    ("0007_logistics", "sqlite", "upgrade"): (
        "bc5642bd086fa007ef7b157243fa8d4b61c9db2826a9ce79a3d0373fd11b0ad6"
    ),
    ("0007_logistics", "sqlite", "downgrade"): (
        "d5815628c06517b52f9235b517c994ec9dd764e0109a34ec469f1daaa9b18f98"
    ),
    ("0007_logistics", "postgresql", "upgrade"): (
        "d246688444e305a8b5eedbf3c5370ced01f6810339a794acac5987ec22bbbc4b"
    ),
    ("0007_logistics", "postgresql", "downgrade"): (
        "227ff0085646ca39709c686b1ecc0ee4356e2aa125fd883b5987038efb187187"
    ),
}


@pytest.mark.parametrize(("revision", "dialect", "step"), sorted(DIGESTS))
def test_trigger_ddl_is_unchanged(
    revision: str, dialect: str, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = statements(revision, dialect, step, monkeypatch)
    assert "TRIGGER" in text
    assert hashlib.sha256(text.encode()).hexdigest() == DIGESTS[(revision, dialect, step)]
