"""Settings, layered: packaged defaults < TOML file < ``WATCHFLOOR_*`` environment < flags.

Settings are built once by :func:`load_settings` in the CLI (or a test) and passed
explicitly to the stages; nothing reads them at import time.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
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


@dataclass(frozen=True, slots=True)
class CollectSettings:
    """How the collector fetches."""

    max_bytes: int = 10 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    retries: int = 2
    max_redirects: int = 5
    per_host_limit: int = 4
    max_concurrency: int = 32
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()
    default_every: int = 1800
    enrich: bool = True


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """How reports are written by default."""

    backend: str = "extractive"
    formats: tuple[str, ...] = ("md", "html", "json", "geojson")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with safe offline defaults."""

    db: str = "sqlite:///./watchfloor.db"
    collect: CollectSettings = field(default_factory=CollectSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
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
        if name.endswith("every"):
            return parse_duration(value)
        if isinstance(current, int):
            return int(value)
        if isinstance(current, float):
            return float(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: {exc}") from exc


def _apply(section: Any, values: Mapping[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(section)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(known)})")
        changes[key] = _coerce(key, getattr(section, key), value)
    return replace(section, **changes)


def _packaged_defaults() -> dict[str, Any]:
    text = resources.files("watchfloor").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _merge(settings: Settings, data: Mapping[str, Any], where: str) -> Settings:
    top: dict[str, Any] = {}
    collect, report = settings.collect, settings.report
    for key, value in data.items():
        if key == "collect":
            collect = _apply(collect, value, f"{where} [collect]")
        elif key == "report":
            report = _apply(report, value, f"{where} [report]")
        elif key == "db":
            top["db"] = str(value)
        else:
            raise ConfigError(f"{where}: unknown setting {key!r}")
    return replace(settings, collect=collect, report=report, **top)


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Read ``WATCHFLOOR_DB``, ``WATCHFLOOR_COLLECT_MAX_BYTES`` and the like."""
    data: dict[str, Any] = {}
    sections = {"collect": CollectSettings, "report": ReportSettings}
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name == "db":
            data["db"] = value
            continue
        for section, cls in sections.items():
            if name.startswith(section + "_"):
                option = name[len(section) + 1 :]
                if option in {f.name for f in fields(cls)}:
                    data.setdefault(section, {})[option] = value
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
