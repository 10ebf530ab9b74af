"""Writing many rows at once: PostgreSQL's COPY and array parameters, one prepared
statement on SQLite.

SQLAlchemy's ``conn.execute(insert(table), rows)`` builds and type-processes a parameter
dictionary per row, which costs more than the database's own work for narrow rows such as
an article's places and categories. These functions convert each value once with the
column type's own bind processor (so what is stored is exactly what SQLAlchemy would store)
and hand the rows to the driver in one call:

- :func:`insert_rows`: ``COPY ... FROM STDIN`` on PostgreSQL, or, for rows that may
  break a unique constraint and are skipped (sightings), one ``INSERT ... SELECT FROM
  unnest(...) ON CONFLICT DO NOTHING`` with one array per column; one ``executemany`` of
  a prepared ``INSERT`` on SQLite.
- :func:`update_rows`: one ``UPDATE ... FROM unnest(...)`` on PostgreSQL, one
  ``executemany`` on SQLite (the enrichment's columns of a batch of articles).
- :func:`delete_where_in`: one ``= ANY(array)`` on PostgreSQL, ``IN`` lists on SQLite.

A statement with array parameters keeps the same text whatever the batch size, so
psycopg prepares it once; ``IN`` lists of literal values are parsed anew every time.
Inserts that need the new ids back (articles) reserve them first with
:func:`reserve_ids`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Column, Table

from watchfloor.store.db import Connection

__all__ = ["delete_where_in", "insert_rows", "reserve_ids", "update_rows"]


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


def _values(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The column names of *rows* and each row as a tuple of values converted by the
    column types' own bind processors; keys missing from a row take the column's scalar
    default, or NULL."""
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
    return names, values


def _pg_arrays(
    conn: Connection, table: Table, names: Sequence[str], values: Sequence[tuple[Any, ...]]
) -> tuple[str, list[list[Any]]]:
    """``unnest(%s::type[], ...)`` over one array per column, and the arrays: a batch of
    rows as one statement with one parameter per column, whatever the number of rows."""
    dialect = conn.dialect
    casts = ", ".join(
        f"%s::{table.c[n].type.dialect_impl(dialect).compile(dialect=dialect)}[]" for n in names
    )
    return f"unnest({casts})", [list(column) for column in zip(*values, strict=True)]


def insert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    skip_conflicts: bool = False,
) -> int:
    """Insert *rows* (dicts keyed by column name) into *table* in one driver call.

    Keys missing from a row take the column's scalar default, or NULL. With
    *skip_conflicts*, a row that would break a unique constraint is skipped (``ON
    CONFLICT DO NOTHING``): one ``INSERT ... SELECT FROM unnest(...)`` on PostgreSQL
    instead of COPY, which cannot skip (no JSON columns then). Return the number of rows
    given.
    """
    if not rows:
        return 0
    names, values = _values(conn, table, rows)
    dialect = conn.dialect
    quoted = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
    if dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            if skip_conflicts:
                source, arrays = _pg_arrays(conn, table, names, values)
                cur.execute(
                    f"INSERT INTO {table.name} ({quoted}) SELECT * FROM {source} "
                    "ON CONFLICT DO NOTHING",
                    arrays,
                )
                return len(values)
            with cur.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        return len(values)
    marks = ", ".join("?" for _ in names)
    conflict = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({quoted}) VALUES ({marks}){conflict}", values)
    return len(values)


def update_rows(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], *, key: str = "id"
) -> int:
    """Set each row's columns in the row of *table* whose *key* column has the row's
    *key* value, in one driver call: an ``UPDATE ... FROM unnest(...)`` on PostgreSQL
    (one statement for the whole batch), one ``executemany`` of a prepared ``UPDATE`` on
    SQLite. Every row must have the same keys. Return the number of rows given.
    """
    if not rows:
        return 0
    names, values = _values(conn, table, rows)
    at = names.index(key)
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    if dialect.name == "postgresql":
        source, arrays = _pg_arrays(conn, table, names, values)
        sets = ", ".join(f"{quote(n)} = v.{quote(n)}" for n in names if n != key)
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.execute(
                f"UPDATE {table.name} SET {sets} FROM {source} "
                f"AS v({', '.join(quote(n) for n in names)}) "
                f"WHERE {table.name}.{quote(key)} = v.{quote(key)}",
                arrays,
            )
        return len(values)
    sets = ", ".join(f"{quote(n)} = ?" for n in names if n != key)
    ordered = [(*v[:at], *v[at + 1 :], v[at]) for v in values]
    conn.exec_driver_sql(f"UPDATE {table.name} SET {sets} WHERE {quote(key)} = ?", ordered)
    return len(values)


def delete_where_in(conn: Connection, table: Table, column: str, ids: Sequence[int]) -> None:
    """Delete the rows of *table* whose integer *column* is one of *ids*: one statement
    with an array on PostgreSQL, ``IN`` lists of 500 (under SQLite's variable limit)."""
    if not ids:
        return
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.execute(
                f"DELETE FROM {table.name} WHERE {column} = ANY(%s::integer[])", [list(ids)]
            )
        return
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        marks = ", ".join("?" for _ in part)
        conn.exec_driver_sql(f"DELETE FROM {table.name} WHERE {column} IN ({marks})", tuple(part))


def _json_processor() -> Callable[[Any], Any]:
    # psycopg's SQLAlchemy dialect casts JSON parameters in SQL; COPY needs the wrapper.
    from psycopg.types.json import Json

    return Json
