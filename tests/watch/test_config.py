"""The watch configuration file: what it accepts, the defaults, and errors that name the key and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eventwatch.watch.alerts import compile_rule
from eventwatch.watch.config import CHANGE_KINDS, ConfigError, load_config, parse_config

EXAMPLE = """
db: watch.db
feeds:
  - url: https://monitor.example/syria.rss
    interval: 120
    source: Levant Monitor
folders:
  - path: inbox/
serve: {port: 8765}
alerts:
  jsonl: alerts.jsonl
  webhooks:
    - name: desk
      url: https://desk.example/hooks/eventwatch
      headers: {Authorization: "Bearer ${DESK_TOKEN}"}
  rules:
    - name: idlib-deadly
      on: [new_incident, toll_rose]
      country: Syria
      admin1: Idlib
      min_fatalities: 5
    - name: harem-confirmed
      on: new_source
      near: {place: Harem, country: SY, radius_km: 20}
      min_sources: 2
      jsonl: false
"""


def test_example_config_loads_with_paths_relative_to_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK_TOKEN", "s3cret")
    path = tmp_path / "desk" / "watch.yaml"
    path.parent.mkdir()
    path.write_text(EXAMPLE, encoding="utf-8")
    config = load_config(path)
    assert config.db == str(path.parent / "watch.db")
    assert config.folders[0].path == path.parent / "inbox"
    assert config.feeds[0].interval == 120 and config.feeds[0].timeout == 20  # default
    assert config.serve is not None and config.serve.port == 8765
    assert config.alerts.webhooks[0].headers == {"Authorization": "Bearer s3cret"}
    deadly, confirmed = config.alerts.rules
    assert deadly.country == ["Syria"] and deadly.admin1 == ["Idlib"]  # a single value is a list of one
    assert confirmed.on == ["new_source"] and confirmed.near is not None and confirmed.near.radius_km == 20
    jsonl = f"jsonl:{(path.parent / 'alerts.jsonl').resolve()}"
    assert config.alerts.destinations(deadly) == ["webhook:desk", jsonl]
    assert config.alerts.destinations(confirmed) == ["webhook:desk"]


def test_rules_listen_to_every_change_kind_by_default() -> None:
    config = parse_config({"folders": [{"path": "in"}], "alerts": {"rules": [{"name": "all"}]}})
    assert tuple(config.alerts.rules[0].on) == CHANGE_KINDS
    assert config.alerts.rules[0].min_sources == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"feeds": [{"url": "ftp://x/feed"}]}, "feeds.0.url"),
        ({"feeds": [{"url": "https://a/f", "intervall": 5}]}, "intervall"),  # typos are errors, not ignored
        ({"folders": [{"path": "in"}], "alerts": {"rules": [{"name": "a"}, {"name": "a"}]}}, "unique"),
        ({"folders": [{"path": "in"}], "alerts": {"rules": [{"name": "a", "on": ["toll_fell"]}]}}, "on.0"),
        ({"folders": [{"path": "in"}], "alerts": {"rules": [{"name": "a", "webhooks": ["nope"]}]}}, "unknown webhooks"),
        ({"folders": [{"path": "in"}], "alerts": {"rules": [{"name": "a", "near": {"radius_km": 5}}]}}, "place"),
        ({"serve": False}, "nothing to watch"),
        ({"feeds": [{"url": "https://a/f"}, {"url": "https://a/f"}]}, "twice"),
        (["not", "a", "mapping"], "expected a mapping"),
    ],
)
def test_bad_configs_say_where_and_why(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(data, origin="watch.yaml")


def test_missing_environment_variable_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_TOKEN_FOR_TESTS", raising=False)
    data = {
        "folders": [{"path": "in"}],
        "alerts": {"webhooks": [{"url": "https://h/x", "headers": {"A": "${NO_SUCH_TOKEN_FOR_TESTS}"}}]},
    }
    with pytest.raises(ConfigError, match="NO_SUCH_TOKEN_FOR_TESTS is not set"):
        parse_config(data)


def test_unreadable_or_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds: [url: {", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


def test_the_readme_example_is_a_valid_config(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("DESK_TOKEN", "t")
    config = parse_config(yaml.safe_load(block))
    assert [r.name for r in config.alerts.rules] == ["idlib-deadly", "harem-confirmed", "coast-toll"]
    assert [compile_rule(r).centre is not None for r in config.alerts.rules] == [False, True, False]
