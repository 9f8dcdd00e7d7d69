"""The classifier and the drafter on any string: they never raise, and their output is sane.

Classification: a known label, a topic from TOPICS (or "other"), a priority in [0, 1],
VADER scores in range. Draft: a string (possibly flagged with violations), never an
exception, never template code run from the mention.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.classify import build_classifier
from monitor.config import demo_settings
from monitor.model import ClassifyContext, Label, Mention

LABELS = {label.value for label in Label}
anything = st.text(st.characters(codec=None), max_size=400) | st.sampled_from([
    "", "\x00", "\ud800 refund", "{{ 7*7 }} broken", "{% raw %}", "<script>", "!!!!!!!",
    "NOT HAPPY", "\u202e", "😡" * 50, "refund " * 500, ":( :) :D", "n't n't not never",
])
platforms = st.sampled_from(["mastodon", "bluesky", "reddit", "hackernews", "rss", "x",
                             "jsonl", "demo", "???"])


@pytest.fixture(scope="module")
def pipeline_parts() -> Iterator[tuple[Any, Any]]:
    from monitor.draft import build_drafter

    config = demo_settings()
    yield build_classifier(config), build_drafter(config)


HYP = settings(max_examples=300, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYP
@given(text=anything, platform=platforms,
       followers=st.none() | st.integers(min_value=-5, max_value=10**9),
       age=st.none() | st.floats(min_value=-1e6, max_value=1e9, allow_nan=False))
def test_classifier_never_raises(pipeline_parts: tuple[Any, Any], text: str, platform: str,
                                 followers: int | None, age: float | None) -> None:
    classifier, _ = pipeline_parts
    result = classifier.classify(text, ClassifyContext(platform=platform,
                                                       author_followers=followers,
                                                       age_hours=age))
    assert result.label.value in LABELS
    assert 0.0 <= result.priority <= 1.0
    assert -1.0 <= result.sentiment.compound <= 1.0
    assert all(isinstance(r, str) and r for r in result.reasons)
    assert isinstance(result.topic, str) and result.topic


@HYP
@given(text=anything, author=anything, platform=platforms)
def test_drafter_never_raises_and_never_runs_mention_code(
        pipeline_parts: tuple[Any, Any], text: str, author: str, platform: str) -> None:
    classifier, drafter = pipeline_parts
    mention = Mention(feed="f", platform=platform, external_id="1", text=text, author=author,
                      created_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    classification = classifier.classify(text)
    draft = drafter.draft(mention, classification)
    assert isinstance(draft.text, str) and isinstance(draft.template, str)
    assert all(isinstance(v, str) for v in draft.violations)
    assert "{{" not in draft.text and "{%" not in draft.text
