"""Random TOML documents give either valid Settings or a ConfigError that names a key.

Documents are built from the real section and key names mixed with random ones, with random
values of every TOML type, written as TOML text and read through config.load (the same path
as --config). A syntactically valid document must never crash the loader, and a rejected one
must say which key to fix (and which file).
"""

from __future__ import annotations

import dataclasses
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import config
from monitor.errors import ConfigError

# TOML basic strings: no lone surrogates, and DEL must be escaped (JSON leaves it raw).
chars = st.characters(codec="utf-8", exclude_characters="\x7f")
words = st.text(chars, max_size=12)
scalars: st.SearchStrategy[Any] = (
    st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False) | words
    | st.sampled_from(["2m", "30s", "1h", "0s", "-5m", "soon", "", "sqlite:///x.db",
                       "postgresql://u@127.0.0.1/db", "INFO", "@acme", "rules"])
)
values = scalars | st.lists(scalars, max_size=3) | st.lists(words, max_size=3)


def known_keys(section: str) -> list[str]:
    return [f.name for f in dataclasses.fields(config.SECTIONS[section])]


def table_for(section: str) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(known_keys(section)) | words
    return st.dictionaries(keys, values, max_size=4)


feed_table = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["import", "acme-rss", "a b", "", "x" * 70]) | words,
        "kind": st.sampled_from(["jsonl", "rss", "demo", "mastodon", "nope"]) | scalars,
        "every": scalars, "enabled": values, "max_pages": values, "platform": values,
        "path": values, "url": values,
    },
)
documents = st.fixed_dictionaries(
    {},
    optional={
        **{name: table_for(name) for name in config.SECTIONS},
        "feeds": st.lists(feed_table, max_size=3),
    },
) | st.dictionaries(words.filter(bool), st.dictionaries(words, values, max_size=2), max_size=2)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def toml_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def to_toml(doc: dict[str, Any]) -> str:
    lines: list[str] = []
    for section, body in doc.items():
        if section == "feeds" and isinstance(body, list):
            for feed in body:
                lines.append("[[feeds]]")
                lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in feed.items())
            continue
        lines.append(f"[{toml_key(section)}]")
        lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in body.items())
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None)
@given(doc=documents)
def test_random_toml_is_settings_or_names_a_key(doc: dict[str, Any]) -> None:
    text = to_toml(doc)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_text(text, encoding="utf-8")
        try:
            loaded = config.load(path)
        except ConfigError as exc:
            assert exc.key, f"ConfigError without a key for:\n{text}\n-> {exc}"
            assert exc.path == str(path)
            assert exc.key in str(exc)
            return
    assert isinstance(loaded, config.Settings)
    names = [f.name for f in loaded.feeds]
    assert len(names) == len(set(names))
    assert all(f.every > 0 and f.kind for f in loaded.feeds)
    assert all(isinstance(h, str) for h in loaded.brand.handles)
    assert 0 <= loaded.web.port <= 65535


def test_the_generator_writes_valid_toml_that_round_trips() -> None:
    import tomllib

    doc = {"brand": {"name": "Acme \u202e\x01", "handles": ["@acme"]},
           "feeds": [{"name": "import", "kind": "jsonl", "every": 1.5e3}]}
    assert tomllib.loads(to_toml(doc)) == doc


# Found by this suite: `every = []` (or a table) once raised TypeError instead of ConfigError.
@settings(max_examples=50, deadline=None)
@given(every=st.lists(scalars, max_size=2) | st.dictionaries(words, scalars, max_size=1))
def test_every_of_the_wrong_type_names_its_key(every: Any) -> None:
    with pytest.raises(ConfigError) as info:
        config.parse({"feeds": [{"name": "f", "kind": "jsonl", "every": every}]})
    assert info.value.key == "feeds[f].every"
