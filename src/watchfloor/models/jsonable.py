"""JSON for command output: records (dataclasses) and datetimes written as plain JSON.

It lives at the bottom layer so that any entry point (CLI, web, workers) can format the
store's records the same way; the store itself only returns dataclasses.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

__all__ = ["dumps", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """What ``json.dumps`` cannot write by itself, as something it can."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def dumps(value: Any) -> str:
    """JSON for ``--json`` output (records as objects, datetimes as ISO 8601)."""
    return json.dumps(value, default=to_jsonable, ensure_ascii=False, indent=2)
