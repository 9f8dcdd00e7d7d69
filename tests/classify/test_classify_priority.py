"""Priority: the documented formula's ordering guarantees."""

from __future__ import annotations

import pytest

from monitor.classify import Classifier
from monitor.classify.priority import BANDS, priority
from monitor.model import ClassifyContext, Label


def test_bands_never_overlap() -> None:
    worst_fix = priority(Label.FIX_REQUEST, 1.0, 0.0, None)
    best_vent = priority(Label.VENTING, -1.0, 5.0,
                         ClassifyContext(author_followers=10**9, age_hours=1000))
    worst_vent = priority(Label.VENTING, 1.0, 0.0, None)
    best_praise = priority(Label.PRAISE, -1.0, 5.0,
                           ClassifyContext(author_followers=10**9, age_hours=1000))
    assert worst_fix > best_vent > worst_vent > best_praise
    assert best_vent == BANDS[Label.VENTING][1]


@pytest.mark.parametrize("label", list(Label))
def test_monotone_in_each_factor(label: Label) -> None:
    base = priority(label, -0.2, 0.0, ClassifyContext(author_followers=100, age_hours=1))
    assert priority(label, -0.8, 0.0, ClassifyContext(author_followers=100, age_hours=1)) > base
    assert priority(label, -0.2, 1.0, ClassifyContext(author_followers=100, age_hours=1)) > base
    assert priority(label, -0.2, 0.0, ClassifyContext(author_followers=10**5, age_hours=1)) > base
    assert priority(label, -0.2, 0.0, ClassifyContext(author_followers=100, age_hours=30)) > base


def test_formula_value() -> None:
    # strength = 0.35*0.5 + 0.25*(1/2) + 0.20*(log10(1001)/6) + 0.20*(24/48)
    ctx = ClassifyContext(author_followers=1000, age_hours=24)
    expected = 0.5 + 0.5 * (0.35 * 0.5 + 0.25 * 0.5 + 0.2 * (3.000434 / 6) + 0.2 * 0.5)
    assert priority(Label.FIX_REQUEST, -0.5, 1.0, ctx) == pytest.approx(expected, abs=1e-3)


def test_unknown_or_bad_context_counts_as_zero() -> None:
    plain = priority(Label.VENTING, -0.5, 0.0, None)
    odd = ClassifyContext(author_followers=-5, age_hours=float("nan"))
    assert priority(Label.VENTING, -0.5, 0.0, odd) == plain


def test_classifier_orders_fix_above_venting_above_praise(clf: Classifier) -> None:
    fix = clf.classify("where is my order? it never arrived")
    vent = clf.classify("worst company ever, absolutely pathetic, never again #fail")
    praise = clf.classify("thank you, the support team was brilliant")
    neutral = clf.classify("heading to the shop later")
    assert (fix.label, vent.label, praise.label) == (Label.FIX_REQUEST, Label.VENTING,
                                                     Label.PRAISE)
    assert fix.priority > vent.priority > praise.priority
    assert vent.priority > neutral.priority


def test_older_and_louder_rank_higher(clf: Classifier) -> None:
    text = "my parcel never arrived"
    fresh = clf.classify(text, ClassifyContext(author_followers=10, age_hours=0.1))
    old = clf.classify(text, ClassifyContext(author_followers=10, age_hours=20))
    loud = clf.classify(text, ClassifyContext(author_followers=500_000, age_hours=0.1))
    assert old.priority > fresh.priority
    assert loud.priority > fresh.priority
    urgent = clf.classify("my parcel never arrived and I need it today, urgent")
    assert urgent.priority > clf.classify(text).priority
