"""Settings layering: defaults < TOML < environment < flags."""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields, is_dataclass
from importlib import resources
from pathlib import Path

import pytest

from watchfloor.collect.fetch import FetchPolicy
from watchfloor.config import CollectSettings, OutlookSettings, load_settings, parse_duration
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


def test_enrich_and_analyze_sections_load_from_the_file_and_environment(tmp_path) -> None:
    cfg = tmp_path / "wf.toml"
    cfg.write_text(
        "[enrich.relevance]\nabout_threshold = 0.6\nmax_body_mentions = 4\n"
        "[enrich.geoparse]\nnear_km = 100\n[enrich.geoparse.feature_prior]\ncity = 1.0\n"
        "[analyze.threat]\nw_volume = 0\n[analyze.hotspots]\nmerge_km = 10\n"
    )
    env = {"WATCHFLOOR_ANALYZE_THREAT_STEADY": "2.5", "WATCHFLOOR_ENRICH_RELEVANCE_LEAD": "0.3"}
    s = load_settings(cfg, env=env)
    assert s.enrich.relevance.about_threshold == 0.6
    assert s.enrich.relevance.max_body_mentions == 4
    assert s.enrich.relevance.lead == 0.3
    assert s.enrich.geoparse.near_km == 100.0
    assert s.enrich.geoparse.feature_prior["city"] == 1.0
    assert s.enrich.geoparse.feature_prior["country"] == 7.0  # the others stay
    assert s.analyze.threat.w_volume == 0.0
    assert s.analyze.threat.steady == 2.5
    assert s.analyze.hotspots.merge_km == 10.0
    assert s.analyze.outlook == OutlookSettings()  # untouched sections keep the defaults


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[enrich.relevance]\nlead = 1.5\n", r"\[enrich.relevance\]: lead = 1.5 is outside"),
        ("[enrich.relevance]\nabout_threshold = 0\n", "about_threshold = 0.0 is outside"),
        ("[enrich.relevance]\nleed = 0.2\n", "unknown setting 'leed'"),
        ("[enrich.geoparse]\nnear_km = -1\n", r"\[enrich.geoparse\]: near_km = -1.0"),
        ("[enrich.geoparse]\nhint_bonus = 'big'\n", "setting hint_bonus"),
        ("[enrich.geoparse.feature_prior]\ncity = 'x'\n", "setting feature_prior"),
        ("[analyze.developments]\nmax_sentences = 2.5\n", "not a whole number"),
        ("[analyze.hotspots]\nmax_hotspots = true\n", "setting max_hotspots"),
        ("[analyze.outlook]\nhorizon_days = -3\n", "horizon_days = -3 is outside"),
        ("[analyze.threat]\nhigh = 90\n", r"guarded <= elevated <= high <= severe"),
        ("[analyze.threat]\nw_severity = nan\n", "not a finite number"),
        ("[analyze]\nthreat = 3\n", r"\[analyze.threat\]: expected a table"),
        ("[collect]\nmax_concurrency = 0\n", "max_concurrency = 0 is outside"),
    ],
)
def test_bad_tuning_values_are_clear_errors_naming_the_key(tmp_path, text, message) -> None:
    cfg = tmp_path / "wf.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, env={})


def test_bad_environment_value_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"environment .*steady = -1\.0 is outside"):
        load_settings(env={"WATCHFLOOR_ANALYZE_THREAT_STEADY": "-1"})


def test_fetch_defaults_are_written_once() -> None:
    policy, collect = FetchPolicy(), CollectSettings()
    for name in ("max_bytes", "connect_timeout", "read_timeout", "total_timeout", "retries"):
        assert getattr(policy, name) == getattr(collect, name)
    for name in ("max_redirects", "per_host_limit", "max_concurrency", "allow_private"):
        assert getattr(policy, name) == getattr(collect, name)
    assert FetchPolicy.from_settings(collect) == policy
    packaged = tomllib.loads(
        resources.files("watchfloor").joinpath("defaults.toml").read_text(encoding="utf-8")
    )
    assert not packaged["collect"], "fetch defaults belong in CollectSettings only"


def _documented_defaults() -> dict[str, str]:
    """Setting path -> default as written in the tables of docs/settings.md."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "settings.md").read_text()
    out: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        heading = re.match(r"^## `\[([\w.]+)\]`", line)
        if heading:
            section = heading.group(1)
            continue
        row = re.match(r"^\| `(\w+)` \| `([^`]*)` \|", line)
        if row and section:
            out[f"{section}.{row.group(1)}"] = row.group(2)
    return out


def _leaves(obj: object, prefix: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if is_dataclass(value):
            out.update(_leaves(value, f"{prefix}.{f.name}"))
        else:
            out[f"{prefix}.{f.name}"] = value
    return out


def test_every_setting_is_documented_with_its_default() -> None:
    documented = _documented_defaults()
    defaults = load_settings(None, env={})
    for section in ("collect", "schedule", "report", "enrich", "analyze", "backends", "web"):
        for path, value in _leaves(getattr(defaults, section), section).items():
            assert path in documented, f"{path} missing from docs/settings.md"
            if isinstance(value, dict):
                continue  # a table: documented in the text
            shown = documented[path]
            if isinstance(value, bool):
                assert shown == str(value).lower(), path
            elif isinstance(value, int | float):
                assert float(shown.replace("_", "")) == value, (path, shown, value)
            elif isinstance(value, tuple):
                assert shown == str(list(value)).replace("'", '"'), (path, shown)
            else:
                assert shown == f'"{value}"', (path, shown)
