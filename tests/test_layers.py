"""Imports run one way, from the bottom up (docs/architecture.md).

Every module of the package is parsed (not imported) and each ``watchfloor`` import it
makes, at module level or inside a function, is checked against the layer table below: a
module may import from its own layer or a lower one, never a higher one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import watchfloor

PACKAGE = Path(watchfloor.__file__).parent

#: The layers, bottom first. A top-level package or module of watchfloor is in exactly one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__init__", "__main__", "models", "errors", "config", "countries"),
    ("text",),
    ("store",),
    ("collect", "enrich"),
    ("backends",),
    ("analyze",),
    ("report",),
    ("services",),
    ("cli", "web", "workers"),
)
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _unit(module: str) -> str:
    """The top-level part of ``watchfloor.a.b`` ("a"), or "__init__" for the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every watchfloor module that *path* imports."""
    text = path.read_text(encoding="utf-8")
    return _imports_in(text, _module_name(path), is_package=path.name == "__init__.py")


def _imports_in(text: str, module: str, *, is_package: bool) -> list[tuple[int, str]]:
    tree = ast.parse(text)
    own = module.split(".")
    package = own if is_package else own[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == "watchfloor":
                # "from watchfloor import x": x is itself a unit
                found.extend((node.lineno, f"watchfloor.{a.name}") for a in node.names)
            elif target.startswith("watchfloor."):
                found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found.extend(
                (node.lineno, a.name) for a in node.names if a.name.startswith("watchfloor")
            )
    return found


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_every_unit_has_a_layer() -> None:
    units = {_unit(_module_name(p)) for p in _sources()}
    missing = sorted(units - RANK.keys())
    assert not missing, f"add these to LAYERS in {__file__}: {missing}"


def test_imports_run_one_way() -> None:
    upward: list[str] = []
    for path in _sources():
        here = _unit(_module_name(path))
        for line, target in _imports(path):
            there = _unit(target)
            if there in RANK and RANK[there] > RANK[here]:
                rel = path.relative_to(PACKAGE.parent)
                upward.append(f"{rel}:{line} imports {target} ({there} is above {here})")
    assert not upward, "upward imports:\n" + "\n".join(upward)


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("from watchfloor.text import stems\n", False),
        ("from .developments import x\n", False),
        ("from watchfloor.report import build\n", True),
        ("def f():\n    from watchfloor.cli import main\n", True),
        ("from watchfloor import cli\n", True),
        ("from ..report.model import Report\n", True),
    ],
)
def test_the_check_sees_upward_imports(source: str, bad: bool) -> None:
    """The checker itself: an upward import from analyze/ is found, however it is written."""
    found = _imports_in(source, "watchfloor.analyze.probe", is_package=False)
    assert found, "the probe's import was not seen"
    assert any(RANK[_unit(t)] > RANK["analyze"] for _, t in found) is bad
