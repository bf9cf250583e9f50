"""The watch configuration: one YAML file naming the feeds, folders and API to follow and the alert rules.

Example (every key but the lists is optional)::

    db: watch.db                      # the store (``--db`` overrides)
    feeds:
      - url: https://example.org/syria.rss
        interval: 120                 # seconds between polls (backoff on errors goes up to max_backoff)
        timeout: 20
        source: Example Monitor       # else the feed's own title
    folders:
      - path: inbox/                  # every supported format, Telegram exports and X archives included
        interval: 2
    serve: {host: 127.0.0.1, port: 8000}   # dashboard + POST /api/reports (EVENTWATCH_TOKEN); ``serve: false`` off
    alerts:
      jsonl: alerts.jsonl
      webhooks:
        - url: https://desk.example.org/hooks/eventwatch
          headers: {Authorization: "Bearer ${DESK_TOKEN}"}
      rules:
        - name: idlib-deadly
          on: [new_incident, toll_rose]
          country: Syria
          admin1: Idlib
          min_fatalities: 5
        - name: harem-confirmed
          on: [new_source]
          near: {place: Harem, country: SY, radius_km: 20}
          min_sources: 2

``${NAME}`` anywhere in a string is replaced by the environment variable (a missing one is an error), so secrets
stay out of the file. Unknown keys are errors, so a typo never silently disables a filter.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from eventwatch.store.connection import is_postgres

ChangeKind = Literal["new_incident", "toll_rose", "new_source", "contradiction"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("new_incident", "toll_rose", "new_source", "contradiction")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ConfigError(ValueError):
    """The watch configuration cannot be used; the message names the file, the key and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_list(value: Any) -> Any:
    """A single value where a list is expected is a list of one (``country: Syria``)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("the url must start with http:// or https://")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
Names = Annotated[list[str], BeforeValidator(_as_list)]


class FeedConfig(_Strict):
    url: HttpUrl
    name: str | None = None  # how logs and --status name it (default: the URL)
    interval: float = Field(default=300.0, gt=0, description="seconds between polls")
    timeout: float = Field(default=20.0, gt=0, description="seconds for the whole request")
    max_bytes: int = Field(default=10 * 1024 * 1024, gt=0, description="larger responses are dropped with a reason")
    max_backoff: float = Field(default=3600.0, gt=0, description="longest wait after repeated errors")
    source: str | None = None  # overrides the feed title as the reports' outlet
    language: str | None = None  # when the feed does not say
    headers: dict[str, str] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"feed:{self.url}"

    @property
    def label(self) -> str:
        return self.name or self.url


class FolderConfig(_Strict):
    path: Path
    interval: float = Field(default=2.0, gt=0, description="seconds between scans")
    settle: float = Field(default=1.0, ge=0, description="a file changed this recently may still be being written")
    max_bytes: int | None = Field(default=None, gt=0)
    encoding: str | None = None

    @property
    def key(self) -> str:
        return f"folder:{self.path.resolve()}"

    @property
    def label(self) -> str:
        return str(self.path)


class ServeConfig(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    poll_seconds: float = Field(default=5.0, gt=0)


class NearConfig(_Strict):
    """A circle: around a named place (looked up in the offline gazetteer) or explicit coordinates."""

    place: str | None = None
    country: str | None = None  # narrows the place name's candidates (name or ISO alpha-2)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    radius_km: float = Field(default=25.0, gt=0)

    @model_validator(mode="after")
    def _one_centre(self) -> NearConfig:
        has_point = self.lat is not None and self.lon is not None
        if (self.place is None) == (not has_point):
            raise ValueError("give either place (a name) or lat and lon")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together")
        return self


class RuleConfig(_Strict):
    name: str = Field(min_length=1, max_length=200)
    on: Annotated[list[ChangeKind], BeforeValidator(_as_list)] = Field(
        default_factory=lambda: list(CHANGE_KINDS), min_length=1
    )
    country: Names = Field(default_factory=list)  # names or ISO alpha-2 codes
    admin1: Names = Field(default_factory=list)
    near: NearConfig | None = None
    event_type: Names = Field(default_factory=list)  # ACLED event or sub-event types
    actors: Names = Field(default_factory=list)  # any named actor contains one of these
    min_fatalities: int | None = Field(default=None, ge=0)
    min_sources: int = Field(default=1, ge=0, description="independent sources (corroboration)")
    webhooks: Names | None = None  # names of alerts.webhooks (default: all of them)
    jsonl: bool = True  # also append to alerts.jsonl

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, data: Any) -> Any:
        # YAML 1.1 reads a bare ``on:`` key as the boolean true: take it for the key it was meant to be.
        if isinstance(data, dict) and True in data:
            data = {("on" if k is True else k): v for k, v in data.items()}
        return data


class WebhookConfig(_Strict):
    url: HttpUrl
    name: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    timeout: float = Field(default=10.0, gt=0)

    @property
    def label(self) -> str:
        return self.name or self.url

    @property
    def destination(self) -> str:
        return f"webhook:{self.label}"


class RetryConfig(_Strict):
    base_seconds: float = Field(default=2.0, gt=0)
    max_seconds: float = Field(default=600.0, gt=0)


class AlertsConfig(_Strict):
    jsonl: Path | None = None
    webhooks: list[WebhookConfig] = Field(default_factory=list)
    retry: RetryConfig = RetryConfig()
    rules: list[RuleConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _names(self) -> AlertsConfig:
        names = [r.name for r in self.rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"rule names must be unique: {', '.join(dupes)}")
        hooks = [w.label for w in self.webhooks]
        if len(set(hooks)) != len(hooks):
            raise ValueError("webhook names (or urls) must be unique")
        for rule in self.rules:
            unknown = sorted(set(rule.webhooks or ()) - set(hooks))
            if unknown:
                raise ValueError(f"rule {rule.name!r} names unknown webhooks: {', '.join(unknown)}")
        return self

    @property
    def jsonl_destination(self) -> str | None:
        return f"jsonl:{self.jsonl.resolve()}" if self.jsonl is not None else None

    def destinations(self, rule: RuleConfig) -> list[str]:
        out = [w.destination for w in self.webhooks if rule.webhooks is None or w.label in rule.webhooks]
        if rule.jsonl and self.jsonl_destination:
            out.append(self.jsonl_destination)
        return out


class WatchConfig(_Strict):
    db: str | None = None  # a SQLite file (relative to the config file) or a PostgreSQL URL
    feeds: list[FeedConfig] = Field(default_factory=list)
    folders: list[FolderConfig] = Field(default_factory=list)
    serve: ServeConfig | None = ServeConfig()
    alerts: AlertsConfig = AlertsConfig()
    batch_size: int = Field(default=16, gt=0, description="reports extracted per pipeline step")
    progress_seconds: float = Field(default=30.0, gt=0, description="how often a progress line is logged")

    @field_validator("serve", mode="before")
    @classmethod
    def _serve_off(cls, value: Any) -> Any:
        if value is False:
            return None
        return {} if value is True else value

    @model_validator(mode="after")
    def _something(self) -> WatchConfig:
        if not (self.feeds or self.folders or self.serve):
            raise ValueError("nothing to watch: give feeds, folders or serve")
        urls = [f.url for f in self.feeds]
        if len(set(urls)) != len(urls):
            raise ValueError("a feed url is listed twice")
        return self


def _expand(value: Any, where: str) -> Any:
    if isinstance(value, str):

        def env(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise ConfigError(f"{where}: environment variable {name} is not set")
            return os.environ[name]

        return _ENV.sub(env, value)
    if isinstance(value, dict):
        return {k: _expand(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def _relative(config: WatchConfig, base: Path) -> WatchConfig:
    """Paths in the file are relative to the file's folder, not to wherever the command was started."""

    def fix(path: Path | None) -> Path | None:
        return path if path is None or path.is_absolute() else base / path

    db = config.db
    if db is not None and not is_postgres(db) and not Path(db).is_absolute():
        db = str(base / db)
    return config.model_copy(
        update={
            "db": db,
            "folders": [f.model_copy(update={"path": fix(f.path)}) for f in config.folders],
            "alerts": config.alerts.model_copy(update={"jsonl": fix(config.alerts.jsonl)}),
        }
    )


def parse_config(data: Any, *, origin: str = "config", base: Path | None = None) -> WatchConfig:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping of settings, got {type(data).__name__}")
    try:
        config = WatchConfig.model_validate(_expand(data, origin))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{origin}: {problems}") from exc
    return _relative(config, base) if base is not None else config


def load_config(path: Path) -> WatchConfig:
    """Read and check a watch configuration file (see the module docstring)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    return parse_config(data, origin=str(path), base=path.resolve().parent)
