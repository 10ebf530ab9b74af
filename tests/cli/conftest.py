"""A demo folder built once by ``watchfloor demo``, and a CliRunner helper."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from watchfloor.cli import cli


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke ``watchfloor ARGS`` in-process, as a user would from a shell."""
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@dataclass(frozen=True)
class DemoRun:
    folder: Path
    output: str

    @property
    def db(self) -> str:
        return f"sqlite:///{self.folder / 'watchfloor.db'}"


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """``watchfloor demo --out FOLDER``, once per session."""
    folder = tmp_path_factory.mktemp("cli-demo") / "out"
    result = run("demo", "--out", str(folder))
    assert result.exit_code == 0, result.output
    return DemoRun(folder, result.output)


@pytest.fixture
def demo_db(demo_run: DemoRun, tmp_path: Path) -> Iterator[str]:
    """A private copy of the demo database, as a --db URL."""
    path = tmp_path / "watchfloor.db"
    shutil.copyfile(demo_run.folder / "watchfloor.db", path)
    yield f"sqlite:///{path}"
