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
from monitor.classify.learned import LearnedClassifier, dense_features, prepare, save
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
    rules = build_classifier(Settings())
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
