"""Every command answers -h, has help text, and is shown in README.md or docs/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest

from tests.cli.conftest import run
from tests.conftest import REPO
from watchfloor.cli import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


COMMANDS = list(_commands(cli))
DOCS = "\n".join(
    p.read_text(encoding="utf-8")
    for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
)


def test_the_walk_finds_every_command():
    assert len(COMMANDS) >= 30
    assert ("sources", "add") in COMMANDS and ("gazetteer", "build") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_has_help_and_docs(path: tuple[str, ...]):
    res = run(*path, "-h")
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"Usage: cli {' '.join(path)}")
    help_text = _command(path).help or ""
    assert len(help_text.split()) >= 4, f"'watchfloor {' '.join(path)}' needs help text"
    if isinstance(_command(path), click.Group):
        return  # a group is documented through its commands
    # "watchfloor", maybe global flags, then the command words, e.g.
    # "watchfloor --db sqlite:///x.db reports show 3" or "watchfloor sources add URL".
    shown = re.compile(r"watchfloor(?: +--?[\w-]+(?: +[^\s`-]\S*)?)* +" + r" +".join(path) + r"\b")
    assert shown.search(DOCS), f"'watchfloor {' '.join(path)}' is not shown in README.md or docs/"
