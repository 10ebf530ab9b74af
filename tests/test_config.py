"""Settings layering: defaults < TOML < environment < flags."""

from __future__ import annotations

import pytest

from watchfloor.config import load_settings, parse_duration
from watchfloor.errors import ConfigError


def test_defaults_are_safe_and_offline(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={})
    assert s.db == "sqlite:///./watchfloor.db"
    assert s.collect.allow_private is False
    assert s.collect.max_bytes == 10 * 1024 * 1024
    assert s.collect.max_redirects == 5
    assert s.report.backend == "extractive"


def test_each_layer_overrides_the_one_below(tmp_path) -> None:
    cfg = tmp_path / "wf.toml"
    cfg.write_text(
        'db = "sqlite:///file.db"\n[collect]\nretries = 7\nper_host_limit = 2\n'
        'allow_hosts = ["feeds.internal:8080"]\n'
    )
    env = {"WATCHFLOOR_COLLECT_RETRIES": "3", "WATCHFLOOR_DB": "sqlite:///env.db"}
    s = load_settings(cfg, env=env, overrides={"db": "sqlite:///flag.db"})
    assert s.db == "sqlite:///flag.db"  # flag beats env beats file
    assert s.collect.retries == 3  # env beats file
    assert s.collect.per_host_limit == 2  # file beats default
    assert s.collect.allow_hosts == ("feeds.internal:8080",)
    assert s.config_file == str(cfg)


def test_watchfloor_toml_in_the_working_directory_is_read(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "watchfloor.toml").write_text('[collect]\ndefault_every = "2h"\n')
    assert load_settings(env={}).collect.default_every == 7200


def test_unknown_keys_and_bad_values_are_clear_errors(tmp_path) -> None:
    cfg = tmp_path / "wf.toml"
    cfg.write_text("[collect]\nmax_bites = 5\n")
    with pytest.raises(ConfigError, match="unknown setting 'max_bites'"):
        load_settings(cfg, env={})
    cfg.write_text("[collect]\nallow_private = 'maybe'\n")
    with pytest.raises(ConfigError, match="not a boolean"):
        load_settings(cfg, env={})
    cfg.write_text("[collect\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(cfg, env={})
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", env={})


def test_boolean_environment_values() -> None:
    s = load_settings(env={"WATCHFLOOR_COLLECT_ALLOW_PRIVATE": "yes"})
    assert s.collect.allow_private is True


@pytest.mark.parametrize(
    ("text", "seconds"), [("30m", 1800), ("2h", 7200), ("1d", 86400), ("45", 45), (90, 90)]
)
def test_durations(text, seconds) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "-5m", "0", "5y"])
def test_bad_durations(text) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)
