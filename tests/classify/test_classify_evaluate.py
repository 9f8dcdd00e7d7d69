"""The eval metrics on a tiny hand-made set, checked against hand-computed numbers."""

from __future__ import annotations

import pytest

from monitor.classify import evaluate as E


def test_metrics_by_hand() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["a", "a", "b", "b", "c", "c"]
    r = E.score(gold, pred, labels=["a", "b", "c"])
    assert r.n == 6
    assert r.accuracy == pytest.approx(4 / 6)
    # a: tp 2, predicted 2, support 3 -> p 1, r 2/3, f1 0.8
    assert r.per_label["a"].precision == pytest.approx(1.0)
    assert r.per_label["a"].recall == pytest.approx(2 / 3)
    assert r.per_label["a"].f1 == pytest.approx(0.8)
    # b: tp 1, predicted 2, support 2 -> p .5, r .5, f1 .5
    assert r.per_label["b"].f1 == pytest.approx(0.5)
    # c: tp 1, predicted 2, support 1 -> p .5, r 1, f1 2/3
    assert r.per_label["c"].f1 == pytest.approx(2 / 3)
    assert r.macro_f1 == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert r.confusion["a"] == {"a": 2, "b": 1, "c": 0}
    assert r.confusion["b"]["c"] == 1


def test_absent_label_counts_zero_and_text_lists_it() -> None:
    r = E.score(["x", "x"], ["x", "x"], labels=["x", "y"])
    assert r.per_label["y"].f1 == 0.0 and r.per_label["y"].support == 0
    assert r.macro_f1 == pytest.approx(0.5)
    text = r.as_text()
    assert "macro-F1=0.500" in text and "\ny " in text


def test_as_dict_shape() -> None:
    d = E.score(["a", "b"], ["a", "a"]).as_dict()
    assert set(d) == {"n", "accuracy", "macro_f1", "per_label", "confusion"}
    assert d["confusion"] == {"a": {"a": 1, "b": 0}, "b": {"a": 1, "b": 0}}


def test_mismatch_and_unknown_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="2 gold labels but 1"):
        E.score(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="not in the label list: z"):
        E.score(["a"], ["z"], labels=["a"])


def test_collapses_and_baselines() -> None:
    assert E.complaint_or_not("fix_request") == E.complaint_or_not("venting") == "complaint"
    assert E.complaint_or_not("praise") == "not_complaint"
    assert E.three_way("venting") == "complaint" and E.three_way("neutral") == "neutral"
    binary, three = E.compound_baseline()
    assert (binary(-0.3), binary(0.0)) == ("complaint", "not_complaint")
    assert (three(-0.3), three(0.0), three(0.6)) == ("complaint", "neutral", "praise")
