"""Schema helpers shared by the table modules.

:func:`partial_index` declares an index over the rows a condition lets through, in SQLite and
PostgreSQL alike. Written as ``Index(..., postgresql_where=...)``, SQLAlchemy checks that
keyword against the PostgreSQL dialect when the class is built, which imports the whole dialect
(about 17 ms) into every process, SQLite ones included. Here the PostgreSQL condition waits in
the index's ``info`` until a ``CREATE INDEX`` is compiled for PostgreSQL, when the dialect is
loaded anyway; the DDL is the same.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateIndex

_POSTGRESQL_WHERE = "bo_postgresql_where"


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """``CREATE [UNIQUE] INDEX name ON table (columns) WHERE where`` (SQLite, PostgreSQL)."""
    return Index(
        name,
        *columns,
        unique=unique,
        sqlite_where=text(where),
        info={_POSTGRESQL_WHERE: where},
    )


@compiles(CreateIndex, "postgresql")
def _create_partial_index(element: CreateIndex, compiler: Any, **kw: Any) -> str:
    index = element.element
    where = index.info.get(_POSTGRESQL_WHERE)
    if where is not None:
        index.dialect_options["postgresql"]["where"] = text(where)
    return str(compiler.visit_create_index(element, **kw))
