"""Writing many rows at once: PostgreSQL's COPY, one prepared statement on SQLite.

SQLAlchemy's ``conn.execute(insert(table), rows)`` builds and type-processes a parameter
dictionary per row, which costs more than the database's own work for narrow rows such as
an article's places and categories. :func:`insert_rows` converts each value once with the
column type's own bind processor (so what is stored is exactly what SQLAlchemy would store)
and hands the rows to the driver in one call: ``COPY ... FROM STDIN`` on PostgreSQL, one
``executemany`` of a prepared ``INSERT`` on SQLite.

Use it for plain inserts that break no constraint; inserts that may conflict (sightings)
or need the new ids back (articles) keep SQLAlchemy's ``INSERT ... ON CONFLICT`` and
``RETURNING`` forms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Column, Table

from watchfloor.store.db import Connection

__all__ = ["insert_rows", "reserve_ids"]


def _default(column: Column[Any]) -> Any:
    """The value a missing key gets: the column's scalar Python default, else NULL."""
    default = column.default
    arg = getattr(default, "arg", None)
    if default is not None and getattr(default, "is_scalar", False):
        return arg
    return None


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """*n* unused ids of *table*'s integer primary key ``id``, ascending, for rows the caller
    then inserts with :func:`insert_rows` (which, unlike ``INSERT ... RETURNING``, gives
    no ids back).

    PostgreSQL draws them from the column's sequence, so concurrent writers never get the
    same id. SQLite gives the ids after the largest one, as it would itself; a second writer
    cannot slip in before the insert, because SQLite refuses to let a transaction write
    after another one has committed since it read.
    """
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
            "FROM generate_series(1, %(n)s)",
            {"n": n},
        )
        return sorted(int(r[0]) for r in rows)
    top = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table.name}").scalar()
    return list(range(int(top or 0) + 1, int(top or 0) + 1 + n))


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert *rows* (dicts keyed by column name) into *table* in one driver call.

    Keys missing from a row take the column's scalar default, or NULL. Return the
    number of rows written.
    """
    if not rows:
        return 0
    names = list(dict.fromkeys(k for row in rows[:1] for k in row))
    for row in rows:
        if len(row) != len(names):
            names = list(dict.fromkeys([*names, *row]))
    columns = [table.c[n] for n in names]
    dialect = conn.dialect
    processors: list[Callable[[Any], Any] | None] = [
        _json_processor()
        if dialect.name == "postgresql" and isinstance(c.type, JSON)
        else c.type.dialect_impl(dialect).bind_processor(dialect)
        for c in columns
    ]
    spec = [(n, _default(c), p) for n, c, p in zip(names, columns, processors, strict=True)]
    values = [
        tuple([v if (v := row.get(n, d)) is None or p is None else p(v) for n, d, p in spec])
        for row in rows
    ]
    if dialect.name == "postgresql":
        quoted = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        return len(values)
    quoted = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
    marks = ", ".join("?" for _ in names)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({quoted}) VALUES ({marks})", values)
    return len(values)


def _json_processor() -> Callable[[Any], Any]:
    # psycopg's SQLAlchemy dialect casts JSON parameters in SQL; COPY needs the wrapper.
    from psycopg.types.json import Json

    return Json
