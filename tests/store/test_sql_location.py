"""All store SQL lives in ``watchfloor.store`` (issue #8): nothing else talks to the database.

Every module of the package is parsed (not imported). Outside ``store/`` none may import
SQLAlchemy or the table definitions, nor call ``.execute(``. The stages reach the
database only through the store's functions, which return dataclasses.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import watchfloor

PACKAGE = Path(watchfloor.__file__).parent
STORE = PACKAGE / "store"

#: Modules outside store/ allowed to run SQL, each with the reason.
ALLOWED = {
    # The gazetteer's read-only place index is its own SQLite file (built from GeoNames,
    # opened with the standard sqlite3 module), not the store's database.
    PACKAGE / "enrich" / "gazetteer.py",
}

FORBIDDEN_MODULES = ("sqlalchemy", "watchfloor.store.schema")


def _forbidden(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in FORBIDDEN_MODULES)


def _violations(text: str) -> list[tuple[int, str]]:
    """(line, what) for each SQL import or ``.execute(`` call in *text*."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.extend(
                (node.lineno, f"import {a.name}") for a in node.names if _forbidden(a.name)
            )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if _forbidden(node.module):
                found.append((node.lineno, f"from {node.module} import ..."))
            elif node.module == "watchfloor.store" and any(a.name == "schema" for a in node.names):
                found.append((node.lineno, "from watchfloor.store import schema"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany", "executescript")
        ):
            found.append((node.lineno, f".{node.func.attr}(...)"))
    return found


def _outside_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORE not in p.parents and p not in ALLOWED)


def test_no_sql_outside_the_store() -> None:
    bad = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in _outside_store()
        for line, what in _violations(path.read_text(encoding="utf-8"))
    ]
    assert not bad, "SQL outside watchfloor/store/ (move it into a store function):\n" + "\n".join(
        bad
    )


def test_the_allowed_exceptions_still_exist() -> None:
    """An allowance for a file that is gone (or no longer runs SQL) is removed, not kept."""
    for path in ALLOWED:
        assert path.is_file(), path
        assert _violations(path.read_text(encoding="utf-8")), f"{path} runs no SQL any more"


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("from sqlalchemy import select\n", True),
        ("import sqlalchemy.dialects.sqlite\n", True),
        ("def f():\n    from watchfloor.store.schema import articles\n", True),
        ("from watchfloor.store import schema\n", True),
        ("def f(conn):\n    conn.execute(x)\n", True),
        ("from watchfloor.store import queries as q\nq.list_sources(conn)\n", False),
        ("from watchfloor.store.db import Connection, Store\n", False),
        ("import sqlalchemy_utils_like_name\n", False),
    ],
)
def test_the_check_sees_sql(source: str, bad: bool) -> None:
    assert bool(_violations(source)) is bad
