"""The classifier never raises and stays within its contract on hostile strings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.classify import Classifier
from monitor.model import TOPICS, Classification, ClassifyContext, Label

HOSTILE = [
    "",
    " ",
    "\x00" * 50,
    "a\x00b help\x00me",
    "\ud800 lone surrogate \udfff where is my order",
    "😡" * 5000,
    "x" * 1_000_000,
    "refund " * 150_000,
    "#" * 1000,
    "@" * 1000,
    "?" * 1000,
    "\u202e\u200b\ufeff reversed",
    "ДОСТАВКА НЕ ПРИШЛА",
    "不工作 退款",
]


def _valid(result: Classification) -> None:
    assert isinstance(result.label, Label)
    assert result.topic in TOPICS
    assert 0.0 <= result.priority <= 1.0
    assert -1.0 <= result.sentiment.compound <= 1.0
    assert all(isinstance(r, str) and r for r in result.reasons)


def test_hostile_strings(clf: Classifier) -> None:
    for text in HOSTILE:
        _valid(clf.classify(text))


def test_huge_text_is_cut_not_ignored(clf: Classifier) -> None:
    result = clf.classify("my order never arrived, please help. " + "blah " * 200_000)
    assert result.label is Label.FIX_REQUEST


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text(clf: Classifier, text: str) -> None:
    _valid(clf.classify(text))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["not", "never", "help", "refund", "great", "#fail", "?", "!",
                              "worst", "thanks", "where", "is", "my", "order", "😡", "\x00",
                              "can't", "log", "in", "down", "@brand", "."]), max_size=40),
    st.one_of(st.none(), st.integers(min_value=-10, max_value=10**12)),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
)
def test_any_cue_soup_and_context(clf: Classifier, words: list[str], followers: int | None,
                                  age: float | None) -> None:
    ctx = ClassifyContext(platform="x", author_followers=followers, age_hours=age)
    _valid(clf.classify(" ".join(words), ctx))
