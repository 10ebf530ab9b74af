"""Settings, layered: packaged defaults < TOML file < ``WATCHFLOOR_*`` environment < flags.

Settings are built once by :func:`load_settings` in the CLI (or a test) and passed
explicitly to the stages; nothing reads them at import time.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from watchfloor.errors import ConfigError

DEFAULT_CONFIG_FILE = "watchfloor.toml"
ENV_PREFIX = "WATCHFLOOR_"
#: Names the data directory root (generated data: gazetteer index, web assets).
DATA_ENV = "WATCHFLOOR_DATA"

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Return the root of watchfloor's generated data (never inside the installed package).

    ``WATCHFLOOR_DATA`` when set, else the platform's user data directory
    (``platformdirs.user_data_dir("watchfloor")``: ``~/.local/share/watchfloor`` on Linux).
    The gazetteer index lives in ``gazetteer/`` below it, the fetched web assets in
    ``web-assets/``. Nothing is created here; writers create what they write.

    Args:
        env: the environment to read (``os.environ`` when None).
    """
    env = os.environ if env is None else env
    override = env.get(DATA_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("watchfloor", appauthor=False))


def web_assets_dir(env: Mapping[str, str] | None = None) -> Path:
    """Return where ``scripts/fetch_web_assets.py`` puts Leaflet and the map outlines."""
    return data_dir(env) / "web-assets"


def parse_duration(value: str | int | float) -> int:
    """Turn ``"30m"``, ``"2h"``, ``"1d"`` or a number of seconds into seconds."""
    if isinstance(value, int | float):
        seconds = int(value)
    else:
        match = _DURATION.match(value)
        if not match:
            raise ConfigError(
                f"cannot read duration {value!r}: use a number with s, m, h, d or w, e.g. 30m"
            )
        seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ConfigError(f"duration {value!r} must be positive")
    return seconds


def _bounded(default: Any, low: float | None = None, high: float | None = None) -> Any:
    """A dataclass field whose loaded value must lie in [low, high] (checked on load)."""
    return field(default=default, metadata={"low": low, "high": high})


def _share(default: float) -> Any:
    """A probability, weight share or factor between 0 and 1."""
    return _bounded(default, 0.0, 1.0)


def _positive(default: Any) -> Any:
    return _bounded(default, 0.0)


@dataclass(frozen=True, slots=True)
class CollectSettings:
    """How the collector fetches. These are the one source of the fetch defaults:
    :class:`watchfloor.collect.fetch.FetchPolicy` takes its defaults from here."""

    max_bytes: int = _bounded(10 * 1024 * 1024, 1)
    connect_timeout: float = _bounded(10.0, 0.001)
    read_timeout: float = _bounded(20.0, 0.001)
    total_timeout: float = _bounded(60.0, 0.001)
    retries: int = _positive(2)
    max_redirects: int = _positive(5)
    per_host_limit: int = _bounded(4, 1)
    max_concurrency: int = _bounded(32, 1)
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()
    default_every: int = 1800
    enrich: bool = True
    retry_after: int = _bounded(300, 1)
    max_backoff: int = _bounded(21600, 1)
    fast_parse: bool = True


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """The watch floor left running (``watchfloor run``, the workers and their scheduler):
    how often it collects and looks for due reports, where scheduled reports go, and the
    alert webhook."""

    collect_every: int = 300
    check_every: int = 60
    report_dir: str = ""
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_timeout: float = _bounded(10.0, 0.001)
    task_time_limit: int = _bounded(1800, 1)
    task_retries: int = _positive(5)
    redelivery_after: int = _bounded(3600, 1)
    host_interval: float = _positive(1.0)
    raw_retention_days: int = _positive(0)
    enrich_batch: int = _bounded(64, 1)
    enrich_lease: int = _bounded(300, 1)
    enrich_threads: int = _bounded(2, 1, 2)


@dataclass(frozen=True, slots=True)
class WebSettings:
    """``watchfloor serve`` (docs/web.md): where it binds, where its jobs run, its limits."""

    host: str = "127.0.0.1"
    port: int = _bounded(8000, 0, 65535)
    jobs: str = "thread"
    """Where collect-now and report-now jobs run: ``thread`` (the server process) or
    ``celery`` (the workers, over ``broker``)."""
    reads_need_token: bool = False
    """Reads need the token on loopback too (a reverse proxy on the same machine); off
    loopback they always do."""
    secure_cookies: bool = False
    max_body: int = _bounded(64 * 1024, 1)
    body_timeout: float = _bounded(10.0, 0.001)
    keep_alive: float = _bounded(5.0, 0.001)
    max_connections: int = _bounded(200, 1)
    max_head_bytes: int = _bounded(16 * 1024, 1024)
    event_interval: float = _bounded(0.5, 0.05, 60.0)
    """Seconds between two looks at a job's row while its events are streamed."""
    event_stream_seconds: float = _bounded(3600.0, 1.0)
    """Longest a job's event stream stays open (the page then reconnects or polls)."""

    def check(self, where: str) -> None:
        """Raise ConfigError for an unknown jobs backend."""
        if self.jobs not in WEB_JOB_BACKENDS:
            raise ConfigError(
                f"{where}: jobs = {self.jobs!r} is not one of {', '.join(WEB_JOB_BACKENDS)}"
            )


WEB_JOB_BACKENDS = ("thread", "celery")


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """How reports are written by default."""

    backend: str = "extractive"
    formats: tuple[str, ...] = ("md", "html", "json", "geojson")


@dataclass(frozen=True, slots=True)
class RelevanceSettings:
    """Country relevance (:mod:`watchfloor.enrich.relevance`): evidence probabilities
    combined by noisy-OR, and the cut-offs around them."""

    about_threshold: float = _bounded(0.5, 0.001, 1.0)
    lead_chars: int = _positive(300)
    title_subject_first: float = _share(0.70)
    title_subject_further: float = _share(0.30)
    title_place_first: float = _share(0.40)
    title_place_further: float = _share(0.20)
    lead: float = _share(0.20)
    body_base: float = _share(0.06)
    body_dominance: float = _share(0.10)
    max_body_mentions: int = _positive(8)
    actor_title: float = _share(0.50)
    actor_body: float = _share(0.10)
    max_actor_body: int = _positive(3)
    source_same_language: float = _share(0.75)
    source_other_language: float = _share(0.35)
    max_source_countries: int = _positive(2)
    secondary_factor: float = _share(0.8)
    title_place_alone: float = _share(0.60)
    source_foreign: float = _share(0.10)
    dominant: float = _share(0.45)
    dominant_share: float = _share(0.5)
    dominant_min: int = _positive(1)
    dominant_over_next: float = _positive(2.0)
    """A country short of ``dominant_share`` is still dominant with this many times the
    evidence of the next country."""
    local_cue: float = _share(0.50)
    """Each kind of United States local-news wording (a "... County", a sheriff, a board of
    selectmen, "R-Ohio") in an English story from a world feed."""
    min_local_cues: int = _positive(1)
    max_local_cues: int = _positive(4)
    local_namesake_factor: float = _share(0.5)
    """A country known only by places (no name, demonym or actor) in a story with United
    States local-news wording gets this share of its score: Athens, Paris, Hamilton."""
    place_leader: float = _share(0.20)
    place_leader_ratio: float = _positive(1.5)
    """In a world feed, the country of at least two geoparser places and this many times the
    places of the next gets ``place_leader``."""
    body_led_min: int = _positive(3)
    body_led_ratio: float = _positive(2.0)
    """A country the title does not name keeps its whole score when the body mentions it
    at least ``body_led_min`` times and ``body_led_ratio`` times as often as each country the
    title names."""
    local_distinct_places: int = _positive(3)
    """...unless the geoparser found this many distinct places of it: London with St. Thomas
    (Ontario), Cambridge with Peterborough and Huntingdon are no namesake towns."""


_FEATURE_PRIOR = {
    "country": 7.0,
    "continent": 6.5,
    "admin1": 6.0,
    "region": 5.5,
    "sea": 5.5,
    "island": 5.0,
    "range": 5.0,
    "base": 3.0,
    "poi": 2.0,
    "city": 0.0,
}


@dataclass(frozen=True, slots=True)
class GeoparseSettings:
    """Scores the geoparser gives a candidate place (:mod:`watchfloor.enrich.geoparse`)."""

    alt_name_penalty: float = _positive(2.5)
    country_context_bonus: float = _positive(2.0)
    hint_bonus: float = _positive(2.0)
    admin1_context_bonus: float = _positive(2.5)
    qualifier_bonus: float = _positive(6.0)
    near_km: float = _positive(250.0)
    near_bonus: float = _positive(1.5)
    hashtag_min_population: int = _positive(10_000)
    capital_bonus: float = _positive(1.5)
    unit_bonus: float = _positive(3.0)
    weak_threshold: float = _positive(3.0)
    weak_kind: float = _positive(2.0)
    weak_preposition: float = _positive(2.0)
    weak_verb: float = _positive(2.0)
    weak_unit: float = _positive(2.5)
    weak_country: float = _positive(1.5)
    weak_near: float = _positive(1.0)
    weak_list: float = _positive(1.5)
    weak_unique: float = _positive(1.5)
    pair_bonus: float = _positive(3.0)
    feature_prior: dict[str, float] = field(default_factory=lambda: dict(_FEATURE_PRIOR))
    """Score of each kind of place before any evidence; kinds not listed score 0."""
    user_gazetteer: str = ""
    """A user gazetteer file read on top of the packaged one ("" = ``user.tsv`` in the
    gazetteer directory when it exists, "off" = none); docs/geoparsing.md."""


@dataclass(frozen=True, slots=True)
class EnrichSettings:
    """Tuning of the enrich stage."""

    relevance: RelevanceSettings = field(default_factory=RelevanceSettings)
    geoparse: GeoparseSettings = field(default_factory=GeoparseSettings)


@dataclass(frozen=True, slots=True)
class DevelopmentSettings:
    """Which stories become developments and how they are ranked
    (:mod:`watchfloor.analyze.developments`)."""

    about_score: float = _bounded(0.5, 0.001, 1.0)
    category_share: float = _share(0.15)
    partner_score: float = _share(0.25)
    max_sentences: int = _bounded(3, 1)
    w_severity: float = _positive(3.0)
    w_outlets: float = _positive(1.5)
    w_articles: float = _positive(1.0)
    w_recency: float = _positive(0.5)
    w_attack: float = _positive(1.0)
    w_about: float = _positive(1.0)
    max_harm: float = _positive(2.0)
    """Cap on the casualty term, log1p(killed + injured/2) / 2."""
    max_developments: int = _bounded(15, 1)
    max_also_reported: int = _positive(30)
    w_level: float = _positive(4.0)
    w_novelty: float = _positive(0.5)
    w_source_grade: float = _positive(1.0)
    w_corroboration: float = _positive(2.0)
    abroad_severity: float = _share(0.3)
    merge_shared_words: int = _bounded(4, 1)
    """Two security stories of the same family that share this many word stems rare in the
    period are one event the clusterer split: they are joined before ranking."""
    incident_days: float = _positive(2.0)
    """Two security stories of one family that count the same people and share a rare word
    join as one incident only when told within this many days of each other."""
    led_elsewhere_score: float = _share(0.1)
    """An own-outlet article scoring the country at or under this was attributed away by its
    content (enrich.relevance dropped the source prior): not "under the relevance bar"."""


@dataclass(frozen=True, slots=True)
class HotspotSettings:
    """Hotspots on the map (:mod:`watchfloor.analyze.hotspots`)."""

    max_hotspots: int = _positive(15)
    max_abroad: int = _positive(5)
    merge_km: float = _positive(30.0)
    intensity_high: float = _positive(0.85)
    intensity_medium: float = _positive(0.45)


@dataclass(frozen=True, slots=True)
class OutlookSettings:
    """The outlook section (:mod:`watchfloor.analyze.outlook`)."""

    horizon_days: int = _positive(92)
    flashpoint_severity: float = _share(0.45)
    max_flashpoints: int = _positive(3)
    max_indicators: int = _positive(6)
    recommendation_severity: float = _share(0.3)
    trend_ratio: float = _positive(1.5)
    trend_min_articles: int = _positive(2)


@dataclass(frozen=True, slots=True)
class ThreatSettings:
    """The threat score and its bands (:mod:`watchfloor.analyze.threat`, docs/threat.md)."""

    w_severity: float = _positive(40.0)
    w_casualties: float = _positive(25.0)
    w_attacks: float = _positive(15.0)
    w_novelty: float = _positive(10.0)
    w_volume: float = _positive(10.0)
    guarded: float = _bounded(20.0, 0.0, 100.0)
    elevated: float = _bounded(40.0, 0.0, 100.0)
    high: float = _bounded(60.0, 0.0, 100.0)
    severe: float = _bounded(80.0, 0.0, 100.0)
    steady: float = _positive(5.0)
    top: int = _bounded(5, 1)
    attacks_for_full: int = _bounded(3, 1)
    min_baseline: float = _bounded(5.0, 0.001)
    min_articles: int = _positive(3)
    """Fewer articles about the country than this in the period: insufficient data."""
    low_source_share: float = _share(0.5)
    """Under this share of the country's sources working: low confidence."""
    low_volume_share: float = _share(1 / 3)
    """Volume under this share of the usual: low confidence."""
    high_source_share: float = _share(0.75)
    """High confidence needs at least this share of the country's sources working ..."""
    high_volume_share: float = _share(2 / 3)
    """... volume at least this share of the usual (a history is needed) ..."""
    high_corroborated_share: float = _share(0.5)
    """... and at least this share of the key developments corroborated (grade 1 or 2)."""

    def check(self, where: str) -> None:
        """Raise ConfigError unless the band bounds rise from guarded to severe."""
        bounds = [self.guarded, self.elevated, self.high, self.severe]
        if bounds != sorted(bounds):
            raise ConfigError(
                f"{where}: guarded <= elevated <= high <= severe must hold, got {bounds}"
            )


@dataclass(frozen=True, slots=True)
class AnalyzeSettings:
    """Tuning of the analysis behind a report."""

    developments: DevelopmentSettings = field(default_factory=DevelopmentSettings)
    hotspots: HotspotSettings = field(default_factory=HotspotSettings)
    outlook: OutlookSettings = field(default_factory=OutlookSettings)
    threat: ThreatSettings = field(default_factory=ThreatSettings)


@dataclass(frozen=True, slots=True)
class OpenAISettings:
    """The ``openai`` analyst: any OpenAI-compatible chat endpoint (docs/llm.md).

    The API key is read from the environment variable named by ``api_key_env`` when a
    report is written; it is never stored, logged or printed.
    """

    base_url: str = "http://127.0.0.1:8080/v1"
    model: str = "local-model"
    api_key_env: str = "WATCHFLOOR_OPENAI_API_KEY"
    allow_remote: bool = False
    connect_timeout: float = _bounded(5.0, 0.001)
    read_timeout: float = _bounded(120.0, 0.001)
    retries: int = _positive(2)
    backoff: float = _positive(1.0)
    concurrency: int = _bounded(2, 1)
    context_tokens: int = _bounded(4096, 512)
    pack_tokens: int = _bounded(1200, 100)
    max_output_tokens: int = _bounded(400, 16)
    token_budget: int = _bounded(60000, 1000)
    temperature: float = _bounded(0.0, 0.0, 2.0)
    seed: int = 7
    json_schema: bool = True
    similarity: float = _share(0.89)
    similarity_cross: float = _share(0.79)


#: The settings of OpenAISettings that tune the writing itself (the same for every writing
#: backend), as opposed to the openai backend's transport.
WRITER_KEYS = frozenset(
    {
        "concurrency",
        "context_tokens",
        "pack_tokens",
        "max_output_tokens",
        "token_budget",
        "temperature",
        "seed",
        "similarity",
        "similarity_cross",
    }
)


@dataclass(frozen=True, slots=True)
class BackendsSettings:
    """Settings of the analyst backends that need any (``[backends.NAME]``).

    ``[backends.openai]`` is the built-in writer's. A table for any other name (a plugin's
    backend, ``[backends.inhouse]``) is kept as given in ``plugins`` for that backend to
    read in its ``configure()``; its writing keys (:data:`WRITER_KEYS`) tune the writing of
    that backend's reports (:meth:`writer_settings`).
    """

    openai: OpenAISettings = field(default_factory=OpenAISettings)
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)

    def writer_settings(self, backend_id: str) -> OpenAISettings:
        """The writing settings of *backend_id*: ``[backends.openai]`` for openai; for any
        other backend the writing keys of its own table over the defaults (never openai's).

        Raises:
            ConfigError: a writing key of the table is invalid or out of bounds.
        """
        if backend_id == "openai":
            return self.openai
        table = self.plugins.get(backend_id, {})
        chosen = {k: v for k, v in table.items() if k in WRITER_KEYS}
        tuned: OpenAISettings = _apply(OpenAISettings(), chosen, f"[backends.{backend_id}]")
        return tuned

    def check(self, where: str) -> None:
        """Raise ConfigError when a plugin's table has an invalid writing setting."""
        for name in self.plugins:
            self.writer_settings(name)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with safe offline defaults."""

    db: str = "sqlite:///./watchfloor.db"
    broker: str = "redis://127.0.0.1:6379/0"
    collect: CollectSettings = field(default_factory=CollectSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    enrich: EnrichSettings = field(default_factory=EnrichSettings)
    analyze: AnalyzeSettings = field(default_factory=AnalyzeSettings)
    backends: BackendsSettings = field(default_factory=BackendsSettings)
    web: WebSettings = field(default_factory=WebSettings)
    config_file: str | None = None


def _coerce(name: str, current: Any, value: Any) -> Any:
    """Convert a TOML or environment value to the type of the default it replaces."""
    try:
        if isinstance(current, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"not a boolean: {value!r}")
        if isinstance(current, tuple):
            if isinstance(value, str):
                return tuple(part.strip() for part in value.split(",") if part.strip())
            return tuple(str(v) for v in value)
        if isinstance(current, dict):
            if not isinstance(value, Mapping):
                raise ValueError(f"expected a table of names to numbers, got {value!r}")
            merged = dict(current)
            for key, number in value.items():
                merged[str(key)] = _number(f"{name}.{key}", number, float)
            return merged
        if name.endswith("every"):
            return parse_duration(value)
        if isinstance(current, int):
            return _number(name, value, int)
        if isinstance(current, float):
            return _number(name, value, float)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: {exc}") from exc


def _number(name: str, value: Any, kind: type[int] | type[float]) -> int | float:
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    if kind is int:
        if number != int(number):
            raise ValueError(f"not a whole number: {value!r}")
        return int(number)
    return number


def _check_bounds(section: Any, where: str) -> None:
    for f in fields(section):
        low, high = f.metadata.get("low"), f.metadata.get("high")
        value = getattr(section, f.name)
        values = value.values() if isinstance(value, dict) else [value]
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int | float):
                continue
            if (low is not None and v < low) or (high is not None and v > high):
                span = (
                    f"[{low if low is not None else '-inf'}, {high if high is not None else 'inf'}]"
                )
                raise ConfigError(f"{where}: {f.name} = {v!r} is outside {span}")
    check = getattr(section, "check", None)
    if check is not None:
        check(where)


def _apply(section: Any, values: Mapping[str, Any], where: str) -> Any:
    """Return *section* with *values* applied; sub-sections (dataclasses) recurse."""
    if not isinstance(values, Mapping):
        raise ConfigError(f"{where}: expected a table of settings, got {values!r}")
    known = {f.name: f for f in fields(section)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(section, BackendsSettings) and key != "openai":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: [backends.{key}] must be a table, got {value!r}")
            plugins = dict(changes.get("plugins", section.plugins))
            plugins[key] = {**plugins.get(key, {}), **value}
            changes["plugins"] = plugins
            continue
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(known)})")
        current = getattr(section, key)
        if is_dataclass(current):
            changes[key] = _apply(current, value, f"{where[:-1]}.{key}]")
        else:
            changes[key] = _coerce(key, current, value)
    updated = replace(section, **changes)
    _check_bounds(updated, where)
    return updated


def _packaged_defaults() -> dict[str, Any]:
    text = resources.files("watchfloor").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_SECTIONS = ("collect", "schedule", "report", "enrich", "analyze", "backends", "web")


def _merge(settings: Settings, data: Mapping[str, Any], where: str) -> Settings:
    top: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            top[key] = _apply(getattr(settings, key), value, f"{where} [{key}]")
        elif key in ("db", "broker"):
            top[key] = str(value)
        else:
            raise ConfigError(f"{where}: unknown setting {key!r}")
    return replace(settings, **top)


def _env_paths(section: Any, prefix: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Map ``enrich_relevance_lead`` and the like to the path of the setting."""
    out: dict[str, tuple[str, ...]] = {}
    for f in fields(section):
        current = getattr(section, f.name)
        if is_dataclass(current):
            out.update(_env_paths(current, (*prefix, f.name)))
        elif not isinstance(current, dict):
            out["_".join((*prefix, f.name))] = (*prefix, f.name)
    return out


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Read ``WATCHFLOOR_DB``, ``WATCHFLOOR_COLLECT_MAX_BYTES``,
    ``WATCHFLOOR_ANALYZE_THREAT_STEADY`` and the like."""
    data: dict[str, Any] = {}
    defaults = Settings()
    paths: dict[str, tuple[str, ...]] = {}
    for section in _SECTIONS:
        paths.update(_env_paths(getattr(defaults, section), (section,)))
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name in ("db", "broker"):
            data[name] = value
            continue
        path = paths.get(name)
        if path is None:
            continue
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return data


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build Settings from defaults, a TOML file, the environment and flag overrides.

    Args:
        config_file: a TOML file; when None, ``WATCHFLOOR_CONFIG`` or ``./watchfloor.toml``
            if it exists.
        env: the environment to read (``os.environ`` when None).
        overrides: values from command-line flags, shaped like the TOML file
            (``{"db": ..., "collect": {"allow_private": True}}``); None values are ignored.
    """
    env = os.environ if env is None else env
    settings = _merge(Settings(), _packaged_defaults(), "packaged defaults")
    path: Path | None = None
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"config file {path} not found")
    elif env.get(ENV_PREFIX + "CONFIG"):
        path = Path(env[ENV_PREFIX + "CONFIG"])
        if not path.is_file():
            raise ConfigError(f"config file {path} (from WATCHFLOOR_CONFIG) not found")
    elif Path(DEFAULT_CONFIG_FILE).is_file():
        path = Path(DEFAULT_CONFIG_FILE)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        settings = _merge(settings, data, str(path))
        settings = replace(settings, config_file=str(path))
    settings = _merge(settings, _from_env(env), "environment")
    if overrides:
        cleaned: dict[str, Any] = {}
        for key, value in overrides.items():
            if isinstance(value, Mapping):
                sub = {k: v for k, v in value.items() if v is not None}
                if sub:
                    cleaned[key] = sub
            elif value is not None:
                cleaned[key] = value
        settings = _merge(settings, cleaned, "command line")
    return settings
