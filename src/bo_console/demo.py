"""The demo database: deterministic, realistic sample data (Arabic and Latin names)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.core.security import Identity


def build_demo(store: Store, identity: Identity) -> str:
    raise NotImplementedError
