"""TOML -> typed, frozen settings.

One table of sections drives parsing, defaults and the documentation test (every key must be
documented in config.example.toml). A bad key raises ConfigError naming the key and the file.
Secrets never live here: keys ending in `_env` hold the *name* of an environment variable.
This module reads files and the environment it is given; it keeps no global state.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from monitor.errors import ConfigError
from monitor.model import CHECK_LABEL_BELOW

DEFAULT_DATABASE_URL = "sqlite:///complaint-monitor.db"
DATABASE_URL_ENV = "COMPLAINT_MONITOR_DATABASE_URL"
CONFIG_ENV = "COMPLAINT_MONITOR_CONFIG"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(value: str | int | float, *, key: str, path: str | None = None) -> float:
    """'90s', '2m', '1h', '1d' or a number of seconds -> seconds (> 0)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError("expected a duration such as \"2m\"", key=key, path=path)
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(value)
        if not match:
            raise ConfigError(
                f"{value!r} is not a duration; write it like \"30s\", \"2m\", \"1h\"",
                key=key, path=path,
            )
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ConfigError("a duration must be more than zero", key=key, path=path)
    return seconds


@dataclass(frozen=True)
class BrandSettings:
    name: str = "Northwind Kettles"
    handles: tuple[str, ...] = ("@northwindkettles",)
    keywords: tuple[str, ...] = ("northwind", "northwind kettles")
    products: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = DEFAULT_DATABASE_URL
    echo: bool = False


@dataclass(frozen=True)
class ClassifierSettings:
    kind: str = "rules"
    model_path: str | None = None
    topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Items whose label the classifier gave with a confidence under this are marked
    # "check the label" (queue, item page, API, CLI).
    check_below: float = CHECK_LABEL_BELOW


@dataclass(frozen=True)
class RepliesSettings:
    signature: str = ""
    support_url: str | None = None
    status_url: str | None = None
    dm_wording: str = "We have sent you a DM"
    response_window: str | None = None
    templates_dir: str | None = None


@dataclass(frozen=True)
class IncidentSettings:
    active: bool = False
    summary: str = ""
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key_env: str = "COMPLAINT_MONITOR_SECRET_KEY"  # noqa: S105 (a variable name)
    https: bool = False
    session_hours: float = 12.0
    page_size: int = 50


@dataclass(frozen=True)
class SchedulerSettings:
    jitter_seconds: float = 10.0
    http_timeout_seconds: float = 20.0
    workers: int = 8


@dataclass(frozen=True)
class PublishSettings:
    """Posting approved replies back to their networks; off unless `enabled`."""

    enabled: bool = False
    feeds: tuple[str, ...] = ()  # empty: every feed whose network can take replies
    interval_seconds: float = 60.0
    batch_size: int = 20
    # Long enough for any network's attempt at the default timeout and retries (Reddit's
    # is the longest, about 11 minutes at worst); App.check_publish_lease checks the rest.
    lease_seconds: float = 900.0
    recheck_seconds: float = 300.0


@dataclass(frozen=True)
class LoggingSettings:
    level: str = "INFO"


@dataclass(frozen=True)
class FeedSettings:
    """One `[[feeds]]` entry. `options` holds the adapter's own keys, checked by the adapter."""

    name: str
    kind: str
    every: float = 300.0
    enabled: bool = True
    max_pages: int | None = None
    platform: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def key(self, option: str) -> str:
        """The config key of one of this feed's options, as error messages name it."""
        return f"feeds[{self.name}].{option}"


@dataclass(frozen=True)
class Settings:
    brand: BrandSettings = field(default_factory=BrandSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    classifier: ClassifierSettings = field(default_factory=ClassifierSettings)
    replies: RepliesSettings = field(default_factory=RepliesSettings)
    incident: IncidentSettings = field(default_factory=IncidentSettings)
    web: WebSettings = field(default_factory=WebSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    feeds: tuple[FeedSettings, ...] = ()
    source: str = "built-in demo config"
    base_dir: str = "."

    def feed(self, name: str) -> FeedSettings:
        for feed in self.feeds:
            if feed.name == name:
                return feed
        known = ", ".join(f.name for f in self.feeds) or "none"
        raise ConfigError(f"no feed named {name!r} (feeds: {known})", key="--feed")

    def resolve_path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else Path(self.base_dir) / path


SECTIONS: dict[str, type[Any]] = {
    "brand": BrandSettings,
    "database": DatabaseSettings,
    "classifier": ClassifierSettings,
    "replies": RepliesSettings,
    "incident": IncidentSettings,
    "web": WebSettings,
    "scheduler": SchedulerSettings,
    "logging": LoggingSettings,
    "publish": PublishSettings,
}
FEED_COMMON_KEYS = ("name", "kind", "every", "enabled", "max_pages", "platform")
_FEED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp) if a is not type(None))
    if origin is tuple:
        return f"a list of {_type_name(get_args(tp)[0])}s"
    if origin in (Mapping, dict):
        return "a table"
    return {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, str(tp)
    )


def coerce(value: Any, tp: Any, *, key: str, path: str | None) -> Any:
    """`value` checked against type `tp` (lists become tuples, tables read-only mappings);
    ConfigError naming `key` otherwise. Adapters use it for their own keys."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return coerce(value, args[0], key=key, path=path)
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"expected {_type_name(tp)}", key=key, path=path)
        item = get_args(tp)[0]
        return tuple(coerce(v, item, key=f"{key}[{i}]", path=path) for i, v in enumerate(value))
    if origin in (Mapping, dict):
        if not isinstance(value, dict):
            raise ConfigError("expected a table", key=key, path=path)
        _, vt = get_args(tp)
        return types.MappingProxyType(
            {str(k): coerce(v, vt, key=f"{key}.{k}", path=path) for k, v in value.items()}
        )
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(value, tp):
        return value
    raise ConfigError(
        f"expected {_type_name(tp)}, got {type(value).__name__} {value!r}"[:160], key=key, path=path
    )


def _section(cls: type[Any], data: Any, *, name: str, path: str | None) -> Any:
    if not isinstance(data, dict):
        raise ConfigError("expected a table", key=name, path=path)
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(
                f"unknown key (known: {', '.join(sorted(known))})", key=f"{name}.{key}", path=path
            )
        kwargs[key] = coerce(value, hints[key], key=f"{name}.{key}", path=path)
    return cls(**kwargs)


def _feed(data: Any, index: int, *, path: str | None) -> FeedSettings:
    if not isinstance(data, dict):
        raise ConfigError("expected a table", key=f"feeds[{index}]", path=path)
    label = f"feeds[{index}]"
    for required in ("name", "kind"):
        if required not in data:
            raise ConfigError("missing required key", key=f"{label}.{required}", path=path)
    name = data["name"]
    if not isinstance(name, str) or not _FEED_NAME.match(name):
        raise ConfigError(
            "a feed name is 1-64 letters, digits, '.', '_' or '-'", key=f"{label}.name", path=path
        )
    label = f"feeds[{name}]"
    kind = coerce(data["kind"], str, key=f"{label}.kind", path=path)
    every = parse_duration(data.get("every", 300), key=f"{label}.every", path=path)
    enabled = coerce(data.get("enabled", True), bool, key=f"{label}.enabled", path=path)
    max_pages = data.get("max_pages")
    if max_pages is not None:
        max_pages = coerce(max_pages, int, key=f"{label}.max_pages", path=path)
    if max_pages is not None and max_pages < 1:
        raise ConfigError("must be at least 1", key=f"{label}.max_pages", path=path)
    platform = data.get("platform")
    if platform is not None:
        platform = coerce(platform, str, key=f"{label}.platform", path=path)
    options = {k: v for k, v in data.items() if k not in FEED_COMMON_KEYS}
    return FeedSettings(
        name=name, kind=kind, every=every, enabled=enabled, max_pages=max_pages,
        platform=platform, options=types.MappingProxyType(options),
    )


def parse(data: Mapping[str, Any], *, path: str | None = None, base_dir: str = ".") -> Settings:
    """Validate a parsed TOML document into Settings (pure: no file or environment access)."""
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key == "feeds":
            if not isinstance(value, list):
                raise ConfigError("write feeds as [[feeds]] tables", key="feeds", path=path)
            feeds = tuple(_feed(item, i, path=path) for i, item in enumerate(value))
            seen: set[str] = set()
            for feed in feeds:
                if feed.name in seen:
                    raise ConfigError("duplicate feed name", key=f"feeds[{feed.name}].name",
                                      path=path)
                seen.add(feed.name)
            kwargs["feeds"] = feeds
        elif key in SECTIONS:
            kwargs[key] = _section(SECTIONS[key], value, name=key, path=path)
        else:
            known = ", ".join([*SECTIONS, "feeds"])
            raise ConfigError(f"unknown section (known: {known})", key=key, path=path)
    settings = Settings(**kwargs, source=path or "built-in demo config", base_dir=base_dir)
    if not 0.0 <= settings.classifier.check_below <= 1.0:
        raise ConfigError("must be a confidence from 0 to 1 (0 never marks an item, 1 marks "
                          "every item the classifier was not sure of)",
                          key="classifier.check_below", path=path)
    if settings.web.port < 0 or settings.web.port > 65535:
        raise ConfigError("must be a port number 0-65535", key="web.port", path=path)
    pub = settings.publish
    for key in ("interval_seconds", "lease_seconds", "recheck_seconds"):
        if getattr(pub, key) <= 0:
            raise ConfigError("must be more than zero", key=f"publish.{key}", path=path)
    # That the lease outlasts a publish attempt is checked by App.check_publish_lease: it
    # depends on the requests each adapter makes, and this module may not import adapters.
    if pub.batch_size < 1:
        raise ConfigError("must be at least 1", key="publish.batch_size", path=path)
    names = {f.name for f in settings.feeds}
    for name in pub.feeds:
        if name not in names:
            raise ConfigError(f"no feed named {name!r}", key="publish.feeds", path=path)
    return settings


def demo_settings(base_dir: str = ".") -> Settings:
    """The built-in config: SQLite in the current folder and the bundled demo feed."""
    return Settings(
        brand=BrandSettings(products=("Aria", "Brewline", "Descale Club", "Northwind app")),
        feeds=(FeedSettings(name="demo", kind="demo", every=300.0),),
        replies=RepliesSettings(
            signature="^NK",
            support_url="https://northwind.example/help",
            status_url="https://status.northwind.example",
        ),
        base_dir=base_dir,
    )


def load(path: str | Path) -> Settings:
    """Read and validate one TOML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config file not found", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", path=str(p)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(p)) from exc
    return parse(data, path=str(p), base_dir=str(p.resolve().parent))


def resolve(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Settings:
    """--config, else $COMPLAINT_MONITOR_CONFIG, else ./config.toml, else the built-in demo.

    $COMPLAINT_MONITOR_DATABASE_URL overrides the database URL in every case.
    """
    chosen = explicit or environ.get(CONFIG_ENV)
    if chosen:
        settings = load(chosen)
    elif (cwd / "config.toml").is_file():
        settings = load(cwd / "config.toml")
    else:
        settings = demo_settings(str(cwd))
    override = environ.get(DATABASE_URL_ENV)
    if override:
        settings = dataclasses.replace(
            settings, database=dataclasses.replace(settings.database, url=override)
        )
    return settings


def secret(name: str, environ: Mapping[str, str], *, key: str) -> str:
    """Read the secret held in environment variable `name`; the error names both."""
    value = environ.get(name)
    if not value:
        raise ConfigError(f"environment variable {name} is not set", key=key)
    return value
