"""The [incidents], [alerts] and [incident] keys this issue added: defaults, and a bad value
refused naming its key."""

from __future__ import annotations

import pytest

from monitor.config import parse
from monitor.errors import ConfigError


def test_defaults() -> None:
    settings = parse({})
    assert settings.incidents.detect and settings.incidents.min_authors == 6
    assert settings.incidents.seconds("window") == 3600
    assert settings.alerts.urls_env == "COMPLAINT_MONITOR_ALERT_URLS"
    assert settings.incident.labels == ("fix_request",)


@pytest.mark.parametrize(("data", "key"), [
    ({"incidents": {"window": "soon"}}, "incidents.window"),
    ({"incidents": {"window": "2h", "baseline": "3h"}}, "incidents.baseline"),
    ({"incidents": {"min_authors": 1}}, "incidents.min_authors"),
    ({"incidents": {"ratio": 1}}, "incidents.ratio"),
    ({"incidents": {"status_links": ["ftp://x"]}}, "incidents.status_links[0]"),
    ({"incidents": {"surge": 3}}, "incidents.surge"),
    ({"alerts": {"feed_failures": 0}}, "alerts.feed_failures"),
    ({"alerts": {"fix_request_age": "old"}}, "alerts.fix_request_age"),
    ({"incident": {"labels": ["complaint"]}}, "incident.labels[0]"),
])
def test_bad_values_name_their_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse(data)
    assert err.value.key == key


def test_failures_only_is_on_by_default_and_a_boolean() -> None:
    assert parse({}).incidents.failures_only
    assert not parse({"incidents": {"failures_only": False}}).incidents.failures_only
    with pytest.raises(ConfigError) as err:
        parse({"incidents": {"failures_only": "yes"}})
    assert err.value.key == "incidents.failures_only"
