from bo_console.core import audit, security
from bo_console.core.db import Store
from bo_console.core.security import Actor


def test_init_makes_admin_and_valid_chain(store: Store, admin: Actor) -> None:
    assert admin.roles == ("admin",)
    with store.read() as session:
        assert audit.verify(session).ok
        assert [u.login for u in security.list_users(session, admin)] == ["boadmin"]
