"""The deployment files in deploy/ start only commands and options that exist."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
import pytest

from tests.conftest import REPO
from watchfloor.cli import cli

DEPLOY = REPO / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _resolve(args: list[str]) -> tuple[click.Command, list[str]]:
    """The command that ``watchfloor ARGS`` runs, and the options given to it."""
    command: click.Command = cli
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        assert name in command.commands, f"watchfloor has no command {name!r}"
        command = command.commands[name]
    assert not isinstance(command, click.Group), f"{args} names a group, not a command"
    return command, [a for a in rest if a.startswith("--")]


def _check(args: list[str]) -> None:
    command, options = _resolve(args)
    known = {o for p in command.params for o in getattr(p, "opts", [])}
    for option in options:
        assert option.split("=")[0] in known, f"{command.name} has no option {option}"


def _exec_starts(path: Path) -> list[list[str]]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    found = []
    for key in ("ExecStartPre", "ExecStart", "ExecStartPost"):
        if parser.has_option("Service", key):
            words = shlex.split(parser.get("Service", key))
            assert words[0].endswith("/watchfloor"), words
            found.append(words[1:])
    return found


def test_the_units_are_there() -> None:
    names = {p.name for p in UNITS}
    assert {
        "watchfloor-worker@.service",
        "watchfloor-scheduler.service",
        "watchfloor-serve.service",
    } <= names


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_every_systemd_unit_starts_a_watchfloor_command_that_exists(unit: Path) -> None:
    starts = _exec_starts(unit)
    assert starts, f"{unit.name} starts nothing"
    for args in starts:
        _check(args)


def test_every_compose_service_of_ours_runs_a_command_that_exists() -> None:
    import yaml

    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    ours = {n: s for n, s in compose["services"].items() if "build" in s}
    assert {"migrate", "worker", "scheduler", "web"} <= set(ours)
    for name, service in ours.items():
        assert service["build"]["dockerfile"] == "deploy/Dockerfile", name
        _check(list(service["command"]))
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["watchfloor"]' in dockerfile


def test_a_wrong_command_would_be_caught() -> None:
    with pytest.raises(AssertionError, match="no command"):
        _check(["wroker", "--queues", "collect"])
    with pytest.raises(AssertionError, match="no option"):
        _check(["worker", "--queue", "collect"])
