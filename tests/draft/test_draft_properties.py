"""Property tests: whatever a mention says and whoever posts it, drafting never raises, the
draft passes its checks, and nothing from the mention but the vetted details reaches it."""

from __future__ import annotations

import importlib.resources
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.config import demo_settings
from monitor.draft import build_drafter, loader
from monitor.draft.length import count, limit
from monitor.model import TOPICS, Classification, Label, Mention, Sentiment

DRAFTER = build_drafter(demo_settings())  # built once: templates are compiled at build time
WORDS = st.sampled_from(["order", "#NW-48213", "idiot", "@rival", "https://x.example/a",
                         "{{", "}}", "{%", "%}", "SHOUT", "!!!", "booking", "ref", "QWERTY",
                         "u/other", "help@shop.example", "👨‍👩‍👧‍👦", "\u0301", "\x00"])
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=40).map(" ".join))
AUTHOR = st.one_of(st.text(max_size=40), st.sampled_from(
    ["@jo", "jo.bsky.social", "@jo@example.social", "u/jo", "", "@a b", "@x https://e.example"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, author=AUTHOR,
       network=st.sampled_from(["x", "bluesky", "mastodon", "reddit", "rss", "demo"]),
       label=st.sampled_from(list(Label)), topic=st.sampled_from([*TOPICS, "unknown"]),
       ident=st.text(max_size=12), variant=st.one_of(st.none(), st.integers(0, 50)),
       evidence=st.lists(st.sampled_from(["order", "parcel", "charged", "booking", "app",
                                          "down", "rude", "log in", "pedido", "colis"]),
                         max_size=3),
       language=st.sampled_from(["en", "es", "fr", "de", "pt", "und", "pt-BR"]),
       confidence=st.floats(0.0, 1.0))
def test_any_mention_gets_a_safe_draft(text: str, author: str, network: str, label: Label,
                                       topic: str, ident: str, variant: int | None,
                                       evidence: list[str], language: str,
                                       confidence: float) -> None:
    mention = Mention(feed="p", platform=network, external_id=ident, text=text, author=author,
                      created_at=datetime(2026, 1, 1, tzinfo=UTC))
    cls = Classification(label=label, sentiment=Sentiment(0.0, 1.0, 0.0, 0.0), topic=topic,
                         priority=0.5, reasons=(), evidence=tuple(evidence), language=language,
                         confidence=confidence)
    draft = DRAFTER.draft(mention, cls, variant=variant)
    assert draft.violations == (), (draft, text, author)
    # The same text passes when an edit or the publish re-check runs the checks on the post
    # alone, without the classification.
    assert DRAFTER.check(draft.text, mention) == (), (draft, text)
    assert count(draft.text, network) <= limit(network)
    body = draft.text.split(" ", 1)[1] if draft.text.startswith(("@", "u/")) else draft.text
    for leak in ("{{", "{%", "idiot", "@rival", "x.example", "u/other", "!!", "SHOUT", "\x00"):
        assert leak not in body
    assert not re.search(r"(?<![\w.])@", body)  # no tag but the author's, at the front


def test_shipped_dir_prefers_the_installed_resource_package(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    real_files = importlib.resources.files  # the loader's module is this very module
    monkeypatch.setattr(loader.importlib.resources, "files",
                        lambda name: tmp_path if name == loader.RESOURCE_PACKAGE else None)
    assert loader.shipped_templates_dir() == tmp_path

    # An installed namespace package (templates/ mapped without an __init__.py).
    (tmp_path / "ns" / "monitor_rt" / "praise").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(tmp_path / "ns"))
    namespace = real_files("monitor_rt")
    monkeypatch.setattr(loader.importlib.resources, "files", lambda name: namespace)
    assert loader.shipped_templates_dir() == tmp_path / "ns" / "monitor_rt"

    def missing(name: str) -> Path:
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(loader.importlib.resources, "files", missing)
    assert loader.shipped_templates_dir().name == "templates"
    assert (loader.shipped_templates_dir() / "praise" / "default.j2").is_file()
