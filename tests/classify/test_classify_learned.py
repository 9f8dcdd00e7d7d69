"""The optional learned scorer: trained on a tiny hand-made set here (the real one comes from
scripts/train_learned.py), loaded through build_classifier, and never raising."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("sklearn")

from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from monitor.classify import build_classifier
from monitor.classify.learned import (
    LearnedClassifier,
    dense_features,
    fix_vent_features,
    prepare,
    save,
)
from monitor.classify.rules import RulesClassifier
from monitor.config import ClassifierSettings, Settings
from monitor.errors import ConfigError
from monitor.model import Label

TRAIN = [
    ("my bag never arrived and nobody answers", "complaint"),
    ("flight cancelled again, terrible service", "complaint"),
    ("on hold for two hours, awful", "complaint"),
    ("worst airline, rude staff", "complaint"),
    ("thank you so much, lovely crew", "praise"),
    ("great flight, friendly staff, thanks", "praise"),
    ("love the new seats, awesome", "praise"),
    ("the crew was wonderful, thank you", "praise"),
    ("flying to boston on monday", "neutral"),
    ("what time does boarding start", "neutral"),
    ("heading to the airport now", "neutral"),
    ("is there wifi on this route", "neutral"),
]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    vec = TfidfVectorizer()
    words = vec.fit_transform([prepare(t) for t, _ in TRAIN])
    dense = csr_matrix([dense_features(rules.analyse(t)) for t, _ in TRAIN])
    model = LogisticRegression(C=10.0, max_iter=1000).fit(hstack([words, dense]).tocsr(),
                                                         [y for _, y in TRAIN])
    path = tmp_path_factory.mktemp("model") / "learned.pkl"
    save(path, vec, model, list(model.classes_), {"test": True})
    return path


def _learned(path: Path) -> LearnedClassifier:
    clf = build_classifier(Settings(classifier=ClassifierSettings(kind="learned",
                                                                  model_path=str(path))))
    assert isinstance(clf, LearnedClassifier)
    return clf


def test_learned_classifies_behind_the_protocol(model_path: Path) -> None:
    clf = _learned(model_path)
    assert clf.name == "learned"
    fix = clf.classify("my bag never arrived, where is it?")
    assert fix.label.is_complaint and fix.classifier == "learned"
    assert fix.label is Label.FIX_REQUEST  # the rules split complaints
    assert clf.classify("thank you, wonderful crew").label is Label.PRAISE
    assert clf.classify("flying to denver on friday").label is Label.NEUTRAL


def test_learned_reasons_say_so_when_it_overrules(model_path: Path) -> None:
    clf = _learned(model_path)
    for text in ("awful", "lovely", "boston"):
        c = clf.classify(text)
        assert isinstance(c.reasons, tuple)
        assert all(isinstance(r, str) and r for r in c.reasons)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_learned_never_raises(model_path: Path, text: str) -> None:
    c = _learned(model_path).classify(text)
    assert 0.0 <= c.priority <= 1.0


def test_missing_and_bad_model_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"classifier\.model_path") as missing:
        _learned(tmp_path / "nope.pkl")
    assert "train_learned.py" in str(missing.value)
    junk = tmp_path / "junk.pkl"
    junk.write_bytes(pickle.dumps({"format": "something else"}))
    with pytest.raises(ConfigError, match="not a model built by"):
        _learned(junk)
    with pytest.raises(ConfigError, match="needs a model file"):
        build_classifier(Settings(classifier=ClassifierSettings(kind="learned")))
    with pytest.raises(ConfigError, match=r"classifier\.kind"):
        build_classifier(Settings(classifier=ClassifierSettings(kind="magic")))


def test_unknown_config_topic_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"classifier\.topics\.shipping"):
        build_classifier(Settings(classifier=ClassifierSettings(
            topics={"shipping": ("parcel",)})))


# A tiny fix-request / venting set where the words alone decide, so a model that learned
# them must overrule the rules on the two probe texts below.
FIX_VENT = [
    ("zorblat my parcel please", "fix_request"),
    ("zorblat the booking", "fix_request"),
    ("zorblat again today", "fix_request"),
    ("zorblat it now", "fix_request"),
    ("quextor awful", "venting"),
    ("quextor terrible people", "venting"),
    ("quextor the worst", "venting"),
    ("quextor never again", "venting"),
]


@pytest.fixture(scope="module")
def fix_vent_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    vec = TfidfVectorizer()
    words = vec.fit_transform([prepare(t) for t, _ in TRAIN])
    dense = csr_matrix([dense_features(rules.analyse(t)) for t, _ in TRAIN])
    coarse = LogisticRegression(C=10.0, max_iter=1000).fit(hstack([words, dense]).tocsr(),
                                                          [y for _, y in TRAIN])
    fv_vec = TfidfVectorizer()
    fv_words = fv_vec.fit_transform([prepare(t) for t, _ in FIX_VENT])
    # The dense features are zeroed so only the made-up words carry the signal.
    fv_dense = csr_matrix([[0.0] * len(fix_vent_features(rules, rules.analyse("x")))
                           for _ in FIX_VENT])
    fv_model = LogisticRegression(C=100.0, max_iter=1000).fit(
        hstack([fv_words, fv_dense]).tocsr(), [y for _, y in FIX_VENT])
    path = tmp_path_factory.mktemp("model") / "learned-fv.pkl"
    save(path, vec, coarse, list(coarse.classes_), {"test": True}, (fv_vec, fv_model))
    return path


def test_fix_vent_model_splits_complaints(fix_vent_model_path: Path) -> None:
    clf = _learned(fix_vent_model_path)
    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    fix_text, vent_text = "zorblat zorblat zorblat", "quextor quextor quextor"
    assert clf.complaint_kind(fix_text, rules.analyse(fix_text)) is Label.FIX_REQUEST
    assert clf.complaint_kind(vent_text, rules.analyse(vent_text)) is Label.VENTING
    # Without a fix / vent model the rules' split is used (older files still load).
    for text in ("my bag never arrived, where is it?", "worst airline ever, never again"):
        a = rules.analyse(text)
        assert _learned_plain(text) is rules.complaint_kind(a.cues)


def _learned_plain(text: str) -> Label:
    rules = build_classifier(Settings(), kind="rules")
    assert isinstance(rules, RulesClassifier)
    plain = LearnedClassifier(rules, None, None, ("complaint",))
    return plain.complaint_kind(text, rules.analyse(text))


def test_malformed_fix_vent_entry_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pkl"
    bad.write_bytes(pickle.dumps({"format": "complaint-monitor/learned/1", "vectorizer": None,
                                  "model": None, "labels": [], "fix_vent": "nonsense"}))
    with pytest.raises(ConfigError, match="malformed fix_vent"):
        _learned(bad)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_learned_with_fix_vent_never_raises(fix_vent_model_path: Path, text: str) -> None:
    c = _learned(fix_vent_model_path).classify(text)
    assert 0.0 <= c.priority <= 1.0 and c.classifier in ("learned", "rules")
