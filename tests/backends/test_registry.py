"""The backend registry: built-ins, plugins found by entry point, and its errors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from watchfloor.backends.extractive import ExtractiveBackend
from watchfloor.backends.openai import OpenAIBackend
from watchfloor.backends.registry import (
    BUILTINS,
    ENTRY_POINT_GROUP,
    backends,
    get_backend,
    make_plugin_manager,
)
from watchfloor.errors import UnknownBackendError, WatchfloorError

PLUGIN = """
from watchfloor.backends.base import Backend
from watchfloor.backends.hookspecs import hookimpl


class ShoutBackend(Backend):
    backend_id = "shout"

    def complete(self, prompt, *, system=None, max_tokens=400):
        return prompt.upper()


@hookimpl
def register_llm_backends(register):
    register(ShoutBackend())
"""


def _install_plugin(root: Path, dist: str, entry: str) -> None:
    """Lay out an installed distribution (dist-info with an entry point) under ROOT."""
    info = root / f"{dist}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\n{dist} = {entry}\n", encoding="utf-8"
    )


def test_only_existing_builtins_are_listed() -> None:
    assert BUILTINS == ("watchfloor.backends.extractive", "watchfloor.backends.openai")
    found = backends(make_plugin_manager())
    assert isinstance(found["extractive"], ExtractiveBackend)
    assert isinstance(found["openai"], OpenAIBackend) and found["openai"].writes


def test_a_listed_builtin_that_is_missing_is_an_error() -> None:
    with pytest.raises(WatchfloorError, match=r"watchfloor\.backends\.llamacpp.*missing"):
        make_plugin_manager(builtins=(*BUILTINS, "watchfloor.backends.llamacpp"))


def test_a_builtin_without_the_hook_is_an_error() -> None:
    with pytest.raises(WatchfloorError, match="no register_llm_backends hook"):
        make_plugin_manager(builtins=("watchfloor.backends.base",))


def test_plugins_are_found_by_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "wf_shout_plugin.py").write_text(PLUGIN, encoding="utf-8")
    _install_plugin(tmp_path, "wf_shout", "wf_shout_plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = backends(make_plugin_manager())
    assert set(found) >= {"extractive", "shout"}
    assert found["shout"].complete("steppe") == "STEPPE"


def test_a_broken_plugin_leaves_the_builtins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _install_plugin(tmp_path, "wf_broken", "wf_module_that_does_not_exist")
    monkeypatch.syspath_prepend(str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="watchfloor.backends.registry"):
        found = backends(make_plugin_manager())
    assert "extractive" in found
    assert "could not load watchfloor.backends plugins" in caplog.text


def test_unknown_backend_names_the_known_ones() -> None:
    with pytest.raises(UnknownBackendError, match=r"'gpt-9'.*known backends: .*extractive"):
        get_backend("gpt-9")
    assert get_backend("extractive").backend_id == "extractive"


def test_a_third_party_writer_has_its_own_settings_table(tmp_path: Path) -> None:
    """``[backends.inhouse]`` is the plugin's: its writing keys tune its reports, never
    ``[backends.openai]``'s, and its own keys reach its configure()."""
    from watchfloor.config import ConfigError, load_settings

    toml = tmp_path / "watchfloor.toml"
    toml.write_text(
        "[backends.openai]\nmax_output_tokens = 100\ntoken_budget = 5000\n"
        '[backends.inhouse]\nurl = "http://10.0.0.20:9000/generate"\n'
        "max_output_tokens = 700\ncontext_tokens = 16384\n",
        encoding="utf-8",
    )
    settings = load_settings(toml, env={}).backends
    assert settings.plugins["inhouse"]["url"] == "http://10.0.0.20:9000/generate"
    own = settings.writer_settings("inhouse")
    assert (own.max_output_tokens, own.context_tokens, own.token_budget) == (700, 16384, 60000)
    assert settings.writer_settings("openai").max_output_tokens == 100
    assert settings.writer_settings("other").max_output_tokens == 400  # no table: defaults
    toml.write_text("[backends.inhouse]\nmax_output_tokens = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"backends\.inhouse.*max_output_tokens"):
        load_settings(toml, env={})
