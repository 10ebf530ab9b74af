"""Every third-party module the package imports is declared in pyproject.toml.

Core modules may use only the base dependencies; a few subpackages may also use the extra
they belong to (installing watchfloor without that extra leaves them unusable, not the
rest). A module that arrives only through another package (pluggy through pytest) fails
here before it fails an installation without the dev extra.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "watchfloor"
PYPROJECT = PACKAGE.parent.parent / "pyproject.toml"

#: Subpackage -> the extras its modules may import from, besides the base dependencies.
EXTRAS_OF = {
    "store": ("pg",),  # psycopg only on a PostgreSQL store, which needs the pg extra
    "enrich": ("nlp",),
    "analyze": ("nlp",),
    "report": ("report", "nlp"),
    "workers": ("scale",),
    "web": ("web", "report"),
}
#: Imported only after checking that they are installed (with a fallback when absent).
OPTIONAL = {"brotli"}  # collect/fetch.py: _brotli_available()


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement string."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    base = {_name(r) for r in project["dependencies"]}
    extras = {
        extra: {_name(r) for r in reqs if not r.startswith("watchfloor")}
        for extra, reqs in project["optional-dependencies"].items()
    }
    return base, extras


def _third_party_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top not in {"watchfloor", "__future__"}:
                found.add(top)
    return found


def test_every_import_is_a_declared_dependency_of_its_module() -> None:
    base, extras = _declared()
    distributions = packages_distributions()
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        allowed = set(base)
        for extra in EXTRAS_OF.get(rel.parts[0], ()):
            allowed |= extras[extra]
        for module in sorted(_third_party_imports(path) - OPTIONAL):
            dists = {_name(d) for d in distributions.get(module, [module])}
            if not dists & allowed:
                problems.append(f"{rel}: imports {module} ({', '.join(sorted(dists))})")
    assert not problems, "undeclared run-time imports:\n" + "\n".join(problems)


def test_the_check_sees_the_imports_it_must() -> None:
    # Guards the scanner itself: a known base import and a known extra import are found.
    assert "pluggy" in _third_party_imports(PACKAGE / "backends" / "registry.py")
    assert "spacy" in _third_party_imports(PACKAGE / "enrich" / "entities.py")
    base, extras = _declared()
    assert "pluggy" in base and "pytest" not in base | extras["nlp"] | extras["report"]
