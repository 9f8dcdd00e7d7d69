"""Config parsing: typed settings, errors that name the key and the file."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from monitor import config
from monitor.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_example_config_parses_and_uses_every_section() -> None:
    settings = config.load(ROOT / "config.example.toml")
    assert settings.brand.name
    assert {f.kind for f in settings.feeds} >= {"demo"}


def test_every_settings_key_is_documented_in_the_example() -> None:
    text = (ROOT / "config.example.toml").read_text()
    tables = list(config.SECTIONS.items())
    for section, cls in tables:
        assert re.search(rf"^#?\s*\[{section}\]", text, re.M), f"[{section}] not documented"
        for name, field in cls.__dataclass_fields__.items():
            sub = field.default_factory if callable(field.default_factory) else None
            if isinstance(sub, type) and dataclasses.is_dataclass(sub):  # [section.name]
                tables.append((f"{section}.{name}", sub))
                continue
            assert re.search(rf"^#?\s*{name}\s*=", text, re.M), f"{section}.{name} undocumented"
    for key in config.FEED_COMMON_KEYS:
        assert re.search(rf"^#?\s*{key}\s*=", text, re.M), f"feeds.{key} undocumented"


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[brand]\nnmae = "x"\n', "brand.nmae"),
        ('[brand]\nname = 3\n', "brand.name"),
        ('[brand]\nhandles = "@a"\n', "brand.handles"),
        ('[web]\nport = "80"\n', "web.port"),
        ('[nonsense]\n', "nonsense"),
        ('[[feeds]]\nkind = "demo"\n', "feeds[0].name"),
        ('[[feeds]]\nname = "a"\n', "feeds[0].kind"),
        ('[[feeds]]\nname = "a"\nkind = "demo"\nevery = "soon"\n', "feeds[a].every"),
        ('[[feeds]]\nname = "a"\nkind = "demo"\nmax_pages = 0\n', "feeds[a].max_pages"),
        ('[[feeds]]\nname = "a"\nkind = "demo"\n[[feeds]]\nname = "a"\nkind = "demo"\n',
         "feeds[a].name"),
    ],
)
def test_bad_config_names_the_key_and_file(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert err.value.key == key
    assert str(path) in str(err.value)
    assert key in str(err.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[brand\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(path)


def test_resolve_order(tmp_path: Path) -> None:
    assert config.resolve(None, {}, tmp_path).source == "built-in demo config"
    (tmp_path / "config.toml").write_text('[brand]\nname = "Here"\n')
    assert config.resolve(None, {}, tmp_path).brand.name == "Here"
    other = tmp_path / "other.toml"
    other.write_text('[brand]\nname = "Env"\n')
    assert config.resolve(None, {"COMPLAINT_MONITOR_CONFIG": str(other)}, tmp_path
                          ).brand.name == "Env"
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('[brand]\nname = "Explicit"\n')
    s = config.resolve(str(explicit), {"COMPLAINT_MONITOR_CONFIG": str(other),
                                       "COMPLAINT_MONITOR_DATABASE_URL": "sqlite:///x.db"},
                       tmp_path)
    assert s.brand.name == "Explicit"
    assert s.database.url == "sqlite:///x.db"


def test_durations() -> None:
    assert config.parse_duration("90s", key="k") == 90
    assert config.parse_duration("2m", key="k") == 120
    assert config.parse_duration("1.5h", key="k") == 5400
    with pytest.raises(ConfigError):
        config.parse_duration("0s", key="k")


@pytest.mark.parametrize("every", [5, 5.0, "5", " 90 "])
def test_a_bare_number_of_seconds_is_refused_naming_the_key(every: object) -> None:
    """`every = 5` was silently five seconds when five minutes was meant (issue 16, item 11)."""
    with pytest.raises(ConfigError, match="has no unit") as info:
        config.parse({"feeds": [{"name": "f", "kind": "demo", "every": every}]}, path="c.toml")
    assert info.value.key == "feeds[f].every" and '"5m"' in str(info.value)
    with pytest.raises(ConfigError, match="has no unit"):
        config.parse({"classifier": {"learn_every": "6"}})


def test_a_list_of_the_wrong_type_says_so_in_plain_words() -> None:
    with pytest.raises(ConfigError) as info:
        config.parse({"brand": {"handles": "@acme"}})
    assert "expected a list of strings" in str(info.value)


def test_settings_are_frozen() -> None:
    s = config.demo_settings()
    with pytest.raises(AttributeError):
        s.brand.name = "x"  # type: ignore[misc]


def test_secret_reads_environment_only() -> None:
    assert config.secret("TOKEN", {"TOKEN": "abc"}, key="feeds[a].token_env") == "abc"
    with pytest.raises(ConfigError, match="TOKEN is not set"):
        config.secret("TOKEN", {}, key="feeds[a].token_env")


def test_feed_options_are_kept_for_the_adapter() -> None:
    s = config.parse(tomllib.loads('[[feeds]]\nname="m"\nkind="mastodon"\nhashtags=["a"]\n'))
    assert dict(s.feeds[0].options) == {"hashtags": ["a"]}


def test_every_adapter_key_is_documented_in_the_example() -> None:
    import dataclasses
    import importlib

    from monitor.adapters.registry import BUILTINS

    text = (ROOT / "config.example.toml").read_text()
    for kind, target in BUILTINS.items():
        module = importlib.import_module(target.split(":")[0])
        # The module's own options classes (an imported base such as HttpOptionsBase is
        # covered through the classes that derive from it).
        options = [obj for name, obj in vars(module).items()
                   if name.endswith("Options") and isinstance(obj, type)
                   and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__]
        assert options, f"{kind}: no options dataclass found"
        for cls in options:
            for field in dataclasses.fields(cls):
                if field.name.startswith("_"):
                    continue
                assert re.search(rf"\b{field.name}\b", text), f"{kind}.{field.name} undocumented"
