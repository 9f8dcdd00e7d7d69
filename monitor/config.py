"""TOML -> typed, frozen settings.

One table of sections drives parsing, defaults and the documentation test (every key must be
documented in config.example.toml). A bad key raises ConfigError naming the key and the file.
Secrets never live here: keys ending in `_env` hold the *name* of an environment variable.
This module reads files and the environment it is given; it keeps no global state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tomllib
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from monitor.errors import ConfigError
from monitor.model import CHECK_LABEL_BELOW, Label

DEFAULT_DATABASE_URL = "sqlite:///complaint-monitor.db"
DATABASE_URL_ENV = "COMPLAINT_MONITOR_DATABASE_URL"
CONFIG_ENV = "COMPLAINT_MONITOR_CONFIG"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION_HINT = 'write it with a unit, like "30s", "5m", "1h" or "1d"'


def parse_duration(value: str | int | float, *, key: str, path: str | None = None) -> float:
    """'90s', '2m', '1h', '1d' -> seconds (> 0). A bare number is refused: `every = 5` read
    as five seconds polled a network twelve times a minute when five minutes was meant."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f"expected a duration; {_DURATION_HINT}", key=key, path=path)
    if isinstance(value, int | float):
        raise ConfigError(f"{value!r} has no unit; {_DURATION_HINT}", key=key, path=path)
    match = _DURATION.match(value)
    if not match:
        bare = re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value)
        raise ConfigError(
            f"{value!r} has no unit; {_DURATION_HINT}" if bare
            else f"{value!r} is not a duration; {_DURATION_HINT}",
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
    kind: str = "model"
    model_path: str | None = None
    topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Items whose label the classifier gave with a confidence under this are marked
    # "check the label" (queue, item page, API, CLI).
    check_below: float = CHECK_LABEL_BELOW
    # The brand's own head, learned from its reviewers (`complaint-monitor learn`), relative
    # to the config's folder; "model" uses it when it is there. "" turns learning off.
    brand_head: str = "brand-head.npz"
    # `run` learns this often ("" or "0": never) once learn_min_new new labels exist.
    learn_every: str = "1d"
    learn_min_new: int = 50
    # kind = "model": venting that names and addresses no one (no brand name, keyword,
    # handle or product, no @handle), states no concrete problem and asks nothing is filed
    # as chatter when the gate reads it as everyday griping. False keeps the head's venting.
    everyday_gate: bool = True

    def learn_seconds(self, path: str | None = None) -> float | None:
        """`learn_every` in seconds; None when scheduled learning is off."""
        if self.learn_every.strip() in ("", "0"):
            return None
        return parse_duration(self.learn_every, key="classifier.learn_every", path=path)


@dataclass(frozen=True)
class WriterSettings:
    """`[replies.writer]`: an OpenAI-compatible chat endpoint the brand runs itself, asked to
    rewrite each template draft. Off while `url` is empty (the default)."""

    url: str = ""
    model: str = ""
    api_key_env: str | None = None
    timeout_seconds: float = 20.0
    max_tokens: int = 300


@dataclass(frozen=True)
class RepliesSettings:
    signature: str = ""
    support_url: str | None = None
    status_url: str | None = None
    # An invitation a sentence continues ("Send us a DM with your order number..."); a claim
    # that a DM was sent ("We have sent you a DM") only with brand_sends_dm.
    dm_wording: str = "Send us a DM"
    brand_sends_dm: bool = False
    response_window: str | None = None
    templates_dir: str | None = None
    # Saved answers for questions (a TOML file of [[answer]] tables) and reply memory
    # (approved replies drafted again for similar posts); see monitor.draft.answers / .memory.
    answers_file: str | None = None
    answer_threshold: float = 0.5
    memory: bool = True
    memory_threshold: float = 0.5
    writer: WriterSettings = field(default_factory=WriterSettings)


@dataclass(frozen=True)
class IncidentSettings:
    active: bool = False
    summary: str = ""
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # The labels the notice covers, and the link it points to (default [replies] status_url).
    # A confirmed incident from the review app covers fix-requests, questions and venting.
    labels: tuple[str, ...] = ("fix_request",)
    status_url: str | None = None


@dataclass(frozen=True)
class IncidentsSettings:
    """`[incidents]`: noticing widespread problems (monitor.incidents.detect)."""

    detect: bool = True
    # A surge: at least `min_authors` different authors' complaints within `window` sharing a
    # distinctive word, `ratio` times the word's usual rate over the trailing `baseline`.
    window: str = "1h"
    baseline: str = "7d"
    min_authors: int = 6
    ratio: float = 5.0
    # No suggestion before this much history exists: without it no usual rate is known.
    min_history: str = "12h"
    # Suggest only surges that describe a service failure: not a copy-and-paste campaign
    # (most authors posting one wording), nor posts that mostly say nothing is broken
    # (opinions against a policy, a request many make). False: every surge.
    failures_only: bool = True
    # Links a manager may give as the status page when confirming (besides [replies] ones).
    status_links: tuple[str, ...] = ()

    def seconds(self, key: str, path: str | None = None) -> float:
        return parse_duration(getattr(self, key), key=f"incidents.{key}", path=path)


@dataclass(frozen=True)
class AlertsSettings:
    """`[alerts]`: messages to the team through apprise (monitor.incidents.alerts)."""

    # The environment variable holding the apprise URLs (space or comma separated): they
    # carry tokens, so they never live in the config file. Unset or empty: no alerts.
    urls_env: str = "COMPLAINT_MONITOR_ALERT_URLS"
    feed_failures: int = 3
    # The oldest pending fix-request older than this raises an alert ("" turns it off).
    fix_request_age: str = "4h"


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key_env: str = "COMPLAINT_MONITOR_SECRET_KEY"  # noqa: S105 (a variable name)
    https: bool = False
    session_hours: float = 12.0
    page_size: int = 50
    # Request bodies over this many bytes are refused (413) before they are read.
    max_body_bytes: int = 1_048_576
    # Addresses of reverse proxies whose X-Forwarded-For is believed; none by default, so
    # nobody can pick the client address the sign-in throttle counts by.
    trusted_proxies: tuple[str, ...] = ()
    # The environment variable holding the bearer token that GET /metrics accepts (a
    # signed-in user may read it too); empty: sign-in only.
    metrics_token_env: str = ""


@dataclass(frozen=True)
class SchedulerSettings:
    jitter_seconds: float = 10.0
    http_timeout_seconds: float = 20.0
    workers: int = 8
    # PostgreSQL: how long a daemon's hold on a feed lasts without a heartbeat (renewed every
    # third of it). A killed daemon's feeds go to the others after at most this long.
    lease_seconds: float = 30.0

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

    def fingerprint(self) -> str:
        """A short hash of everything that defines how this feed is polled (not its name or
        `enabled`): a failure recorded under another fingerprint was about another config."""
        definition = {"kind": self.kind, "every": self.every, "max_pages": self.max_pages,
                      "platform": self.platform, "options": dict(self.options)}
        text = json.dumps(definition, sort_keys=True, default=str, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Settings:
    brand: BrandSettings = field(default_factory=BrandSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    classifier: ClassifierSettings = field(default_factory=ClassifierSettings)
    replies: RepliesSettings = field(default_factory=RepliesSettings)
    incident: IncidentSettings = field(default_factory=IncidentSettings)
    incidents: IncidentsSettings = field(default_factory=IncidentsSettings)
    alerts: AlertsSettings = field(default_factory=AlertsSettings)
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
    "incidents": IncidentsSettings,
    "alerts": AlertsSettings,
    "web": WebSettings,
    "scheduler": SchedulerSettings,
    "logging": LoggingSettings,
    "publish": PublishSettings,
}
FEED_COMMON_KEYS = ("name", "kind", "every", "enabled", "max_pages", "platform")
_FEED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


_PLURALS = {str: "strings", int: "whole numbers", float: "numbers", bool: "true or false values"}


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp) if a is not type(None))
    if origin is tuple:
        return f"a list of {_PLURALS.get(get_args(tp)[0], 'values')}"
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
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):  # a sub-table: [replies.writer]
        return _section(tp, value, name=key, path=path)
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
    every = parse_duration(data.get("every", "5m"), key=f"{label}.every", path=path)
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


def _check_proxies(proxies: tuple[str, ...], path: str | None) -> None:
    """Each trusted proxy is an IP address or network (uvicorn's forwarded_allow_ips)."""
    import ipaddress

    for value in proxies:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ConfigError(f"{value!r} is not an IP address or network (such as "
                              "127.0.0.1 or 10.0.0.0/8)", key="web.trusted_proxies",
                              path=path) from None


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
    settings.classifier.learn_seconds(path)  # a bad learn_every is refused with the config
    if settings.classifier.learn_min_new < 1:
        raise ConfigError("must be at least 1", key="classifier.learn_min_new", path=path)
    if settings.web.port < 0 or settings.web.port > 65535:
        raise ConfigError("must be a port number 0-65535", key="web.port", path=path)
    if not 1024 <= settings.web.max_body_bytes <= 1024 ** 3:
        raise ConfigError("must be a number of bytes from 1024 to 1073741824 (1 GiB)",
                          key="web.max_body_bytes", path=path)
    _check_proxies(settings.web.trusted_proxies, path)
    if not 2.0 <= settings.scheduler.lease_seconds <= 3600.0:
        raise ConfigError("must be from 2 to 3600 seconds", key="scheduler.lease_seconds",
                          path=path)
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
    _check_replies(settings.replies, path)
    _check_incidents(settings, path)
    return settings


def _check_incidents(settings: Settings, path: str | None) -> None:
    known_labels = tuple(label.value for label in Label)
    for i, label in enumerate(settings.incident.labels):
        if label not in known_labels:
            raise ConfigError(f"unknown label {label!r} (known: {', '.join(known_labels)})",
                              key=f"incident.labels[{i}]", path=path)
    inc = settings.incidents
    for key in ("window", "baseline", "min_history"):
        inc.seconds(key, path)
    if inc.seconds("baseline", path) < 2 * inc.seconds("window", path):
        raise ConfigError("must be at least twice incidents.window", key="incidents.baseline",
                          path=path)
    if inc.min_authors < 2:
        raise ConfigError("must be at least 2", key="incidents.min_authors", path=path)
    if inc.ratio <= 1.0:
        raise ConfigError("must be more than 1", key="incidents.ratio", path=path)
    for i, link in enumerate(inc.status_links):
        if urlsplit(link).scheme not in ("http", "https"):
            raise ConfigError("must be an http(s) link", key=f"incidents.status_links[{i}]",
                              path=path)
    alerts = settings.alerts
    if alerts.feed_failures < 1:
        raise ConfigError("must be at least 1", key="alerts.feed_failures", path=path)
    if alerts.fix_request_age.strip() not in ("", "0"):
        parse_duration(alerts.fix_request_age, key="alerts.fix_request_age", path=path)



def demo_settings(base_dir: str = ".") -> Settings:
    """The built-in config: SQLite in the current folder and the bundled demo feed."""
    return Settings(
        # As config.example.toml: the other Northwind (Microsoft's sample database) is not us.
        brand=BrandSettings(products=("Aria", "Brewline", "Descale Club", "Northwind app"),
                            exclude_terms=("northwind traders", "northwind database",
                                           "northwind sample database")),
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
    settings = parse(data, path=str(p), base_dir=str(p.resolve().parent))
    read_answers(settings)  # a bad saved answer is refused with the config, naming the entry
    return settings


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


# --- [replies]: thresholds, the writer model, and the saved-answers file ------------------------


def _check_replies(replies: RepliesSettings, path: str | None) -> None:
    for key in ("answer_threshold", "memory_threshold"):
        if not 0.0 < getattr(replies, key) <= 1.0:
            raise ConfigError("must be a similarity above 0 and at most 1", key=f"replies.{key}",
                              path=path)
    writer = replies.writer
    if writer.url:
        if not re.match(r"(?i)^https?://[^/\s]+", writer.url):
            raise ConfigError("must be an http:// or https:// URL of an OpenAI-compatible API, "
                              "e.g. \"http://127.0.0.1:11434/v1\"", key="replies.writer.url",
                              path=path)
        if not writer.model.strip():
            raise ConfigError("name the model the endpoint should use", key="replies.writer.model",
                              path=path)
    if writer.timeout_seconds <= 0:
        raise ConfigError("must be more than zero", key="replies.writer.timeout_seconds",
                          path=path)
    if writer.max_tokens < 16:
        raise ConfigError("must be at least 16", key="replies.writer.max_tokens", path=path)


@dataclass(frozen=True)
class SavedAnswer:
    """One of the brand's saved answers to a question: matched to `question` posts by
    similarity to its `examples` and by its `keywords`; `text` (plus `link`) becomes the
    draft. `source` says where it came from (the file, or who saved it in the review app)."""

    id: str
    text: str
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    link: str | None = None
    language: str = "en"
    source: str = ""


ANSWER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
SAVED_ANSWER_PREFIX = "saved-"
"""Ids of answers saved from the review app (kept in the database); a file may not use it."""
MAX_ANSWER_CHARS = 2000
_ANSWER_KEYS = {"id": str, "text": str, "examples": tuple[str, ...],
                "keywords": tuple[str, ...], "link": str, "language": str}
_URL_IN_TEXT = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")


def link_parts(url: str) -> tuple[str, str]:
    """(host without "www.", path without a final "/") of a link, a scheme assumed when it
    has none: what the allowed-link rules compare."""
    if not re.match(r"(?i)^[a-z][a-z0-9+.-]*://", url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", url
    return host.removeprefix("www."), parts.path.rstrip("/")


def link_allowed(url: str, replies: RepliesSettings) -> bool:
    """Whether `url` is the support or status page (or under one): the only links a reply
    may carry."""
    host, path = link_parts(url.rstrip(".,;:!?)"))
    for ok in (replies.support_url, replies.status_url):
        if not ok:
            continue
        ok_host, ok_path = link_parts(ok)
        if host and host == ok_host and (path == ok_path or path.startswith(ok_path + "/")):
            return True
    return False


def check_answer(entry: Mapping[str, Any], replies: RepliesSettings, *, where: str,
                 path: str | None, source: str = "") -> SavedAnswer:
    """One saved answer, validated (ConfigError naming `where`.key otherwise)."""
    for key in entry:
        if key not in _ANSWER_KEYS:
            raise ConfigError(f"unknown key (known: {', '.join(sorted(_ANSWER_KEYS))})",
                              key=f"{where}.{key}", path=path)
    values = {k: coerce(v, _ANSWER_KEYS[k], key=f"{where}.{k}", path=path)
              for k, v in entry.items()}
    answer_id = str(values.get("id", "")).strip()
    if not ANSWER_ID.match(answer_id):
        raise ConfigError("every answer needs an id: 1-48 lower-case letters, digits, '-' or "
                          "'_'", key=f"{where}.id", path=path)
    text = " ".join(str(values.get("text", "")).split())
    if not text:
        raise ConfigError("the answer's text is missing or empty", key=f"{where}.text",
                          path=path)
    if len(text) > MAX_ANSWER_CHARS:
        raise ConfigError(f"at most {MAX_ANSWER_CHARS} characters", key=f"{where}.text",
                          path=path)
    examples = tuple(e.strip() for e in values.get("examples", ()) if e.strip())
    keywords = tuple(k.strip().lower() for k in values.get("keywords", ()) if k.strip())
    if not examples and not keywords:
        raise ConfigError("give example questions (examples = [...]) or keywords, or nothing "
                          "can match this answer", key=f"{where}.examples", path=path)
    link = str(values["link"]).strip() if values.get("link") else None
    if link and not link_allowed(link, replies):
        raise ConfigError(f"{link!r} is not a configured link: a reply may link only to "
                          "[replies] support_url or status_url (or a page under them)",
                          key=f"{where}.link", path=path)
    for found in _URL_IN_TEXT.findall(text):
        if not link_allowed(found, replies):
            raise ConfigError(f"the text links to {found[:60]!r}, which is not a configured "
                              "link (support_url or status_url)", key=f"{where}.text",
                              path=path)
    language = str(values.get("language", "en")).strip().lower() or "en"
    return SavedAnswer(id=answer_id, text=text, examples=examples, keywords=keywords,
                       link=link, language=language, source=source)


def read_answers(settings: Settings) -> tuple[SavedAnswer, ...]:
    """The saved answers in `[replies] answers_file` (none when it is not set), each checked;
    ConfigError naming the file and the entry (`answer[ID].key`) for the first bad one."""
    name = settings.replies.answers_file
    if not name:
        return ()
    p = settings.resolve_path(name)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"saved answers file {p} not found", key="replies.answers_file",
                          path=settings.source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {p}: {exc}", key="replies.answers_file",
                          path=settings.source) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(p)) from exc
    extra = sorted(set(data) - {"answer"})
    if extra:
        raise ConfigError("unknown key: write each answer as an [[answer]] table",
                          key=extra[0], path=str(p))
    entries = data.get("answer", [])
    if not isinstance(entries, list):
        raise ConfigError("write each answer as an [[answer]] table", key="answer", path=str(p))
    out: list[SavedAnswer] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"answer[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError("expected a table", key=where, path=str(p))
        if isinstance(entry.get("id"), str) and entry["id"].strip():
            where = f"answer[{entry['id'].strip()}]"
        answer = check_answer(entry, settings.replies, where=where, path=str(p), source=p.name)
        if answer.id in seen:
            raise ConfigError("two answers have this id", key=f"{where}.id", path=str(p))
        if answer.id.startswith(SAVED_ANSWER_PREFIX):
            raise ConfigError(f"ids starting {SAVED_ANSWER_PREFIX!r} are kept for answers saved "
                              "from the review app", key=f"{where}.id", path=str(p))
        seen.add(answer.id)
        out.append(answer)
    return tuple(out)
